#include "run_oci/process_spawn.h"

#include <fcntl.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace run_oci {

absl::StatusOr<HookProcess> SpawnHookProcess(const HookCommand& command) {
  // TODO(cli): switch to shim::Spawn once minijail-shim/spawn.h lands.
  return absl::UnimplementedError("hooks: minijail-shim Spawn not available");
}

absl::Status EnterIntermediateMountNamespace() {
  return absl::UnimplementedError(
      "intermediate mount namespace: minijail-shim support not available");
}

absl::StatusOr<shim::ScopedFd> StartSyslogForwarder(const std::string& tag) {
  return absl::UnimplementedError(
      "--log_tag: minijail-shim Spawn not available");
}

int RunSyslogForwarder(const std::string& tag) {
  openlog(tag.c_str(), 0, LOG_USER);
  char* line = nullptr;
  size_t capacity = 0;
  ssize_t n;
  while ((n = getline(&line, &capacity, stdin)) >= 0) {
    if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
    syslog(LOG_INFO, "%s", line);
  }
  free(line);
  return 0;
}

}  // namespace run_oci
