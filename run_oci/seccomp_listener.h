// OCI linux.seccomp.listenerPath: once the filter is loaded, the runtime
// connects to the seccomp agent's unix socket and sends it the filter's
// notification fd (SCM_RIGHTS) with the "container process state" JSON
// (config-linux.md, "The Container Process State"), then closes the
// connection.
#ifndef RUN_OCI_SECCOMP_LISTENER_H_
#define RUN_OCI_SECCOMP_LISTENER_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"

namespace run_oci {

// {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state"}.
std::string ContainerProcessStateJson(pid_t pid, const std::string& metadata,
                                      const std::string& state_json);

// Sends `seccomp_fd` and `process_state_json` to the agent at
// `listener_path` in one sendmsg. Errors name the field:
// "config.json: linux.seccomp.listenerPath /run/agent.sock: connect: ...".
absl::Status SendSeccompListener(const std::string& listener_path,
                                 int seccomp_fd,
                                 const std::string& process_state_json);

}  // namespace run_oci

#endif  // RUN_OCI_SECCOMP_LISTENER_H_
