#include "run_oci/process_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/mount_namespace.h"
#include "minijail-shim/pidfd.h"
#include "minijail-shim/spawn.h"

namespace run_oci {

absl::StatusOr<HookProcess> SpawnHookProcess(const HookCommand& command) {
  shim::SpawnSpec spec;
  spec.path = command.path;
  spec.argv = command.argv;
  if (spec.argv.empty()) spec.argv.push_back(command.path);
  spec.env = command.env;
  spec.join_namespaces_of = command.join_namespaces_of;
  spec.stdin_fd = command.stdin_fd;
  spec.stdout_fd = command.stdout_fd;
  spec.stderr_fd = command.stderr_fd;
  spec.new_process_group = command.new_process_group;
  ASSIGN_OR_RETURN(pid_t pid, shim::Spawn(spec));
  HookProcess process;
  process.pid = pid;
  // Our unreaped child: even if it already exited, the pid is still its.
  absl::StatusOr<base::ScopedFd> pidfd = shim::PidfdOpen(pid);
  if (!pidfd.ok()) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return pidfd.status();
  }
  process.pidfd = *std::move(pidfd);
  return process;
}

absl::Status EnterIntermediateMountNamespace() {
  return shim::EnterNewMountNamespace();
}

absl::StatusOr<SyslogForwarder> StartSyslogForwarder(const std::string& tag) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", strerror(errno)));
  }
  base::ScopedFd read_end(fds[0]), write_end(fds[1]);
  shim::SpawnSpec spec;
  // The child's /proc/self/exe is ours: the sealed view this process was
  // re-executed from (run_oci/sealed_reexec.h), or the host's binary for a
  // run through the exec stub; either way it stays a process of the host,
  // which only reads the container's output.
  spec.path = "/proc/self/exe";
  spec.argv = {program_invocation_name, kSyslogForwarderCommand, tag};
  spec.stdin_fd = read_end.get();
  // `run` reaps it after teardown; after create/start it outlives run_oci
  // and init (or a subreaper) reaps it.
  ASSIGN_OR_RETURN(pid_t pid, shim::Spawn(spec));
  return SyslogForwarder{std::move(write_end), pid};
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
