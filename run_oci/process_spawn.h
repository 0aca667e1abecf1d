// run_oci's helper processes (hooks, the syslog forwarder) are started by
// minijail-shim, the only layer that creates processes and enters
// namespaces; this adapts its interface to the hook runner's.
#ifndef RUN_OCI_PROCESS_SPAWN_H_
#define RUN_OCI_PROCESS_SPAWN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "run_oci/hook_runner.h"

namespace run_oci {

absl::StatusOr<HookProcess> SpawnHookProcess(const HookCommand& command);

// Enters a fresh mount namespace for mounts made "in the intermediate
// namespace", so that they vanish with run_oci's namespace.
absl::Status EnterIntermediateMountNamespace();

// The hidden command under which run_oci re-executes itself as the syslog
// forwarder of a container's stdout/stderr.
inline constexpr char kSyslogForwarderCommand[] = "__syslog_forwarder";

struct SyslogForwarder {
  base::ScopedFd write_end;  // the container's stdout and stderr
  pid_t pid = -1;            // our child; exits at EOF
};

// Starts the forwarder (tagged `tag`); it exits at EOF, i.e. when the
// container's last writer is gone.
absl::StatusOr<SyslogForwarder> StartSyslogForwarder(const std::string& tag);

// The forwarder's main: stdin lines to syslog(LOG_INFO). Returns the exit
// code.
int RunSyslogForwarder(const std::string& tag);

}  // namespace run_oci

#endif  // RUN_OCI_PROCESS_SPAWN_H_
