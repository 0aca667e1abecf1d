// The moment a container counts as ready (notify_socket.h): after its
// poststart hooks, and, when it notifies itself, once it said READY=1.
#ifndef RUN_OCI_COMMANDS_READINESS_H_
#define RUN_OCI_COMMANDS_READINESS_H_

#include <sys/types.h>

#include "absl/status/status.h"
#include "run_oci/cli.h"
#include "run_oci/commands/container_setup.h"

namespace run_oci {

// Waits for the container's own READY=1 if it notifies itself (at most
// --ready_timeout), then sends READY=1 and MAINPID=`main_pid` to
// NOTIFY_SOCKET. Nothing without NOTIFY_SOCKET.
absl::Status AnnounceReady(const CommandLine& cl, const SetUpContainer& setup,
                           pid_t main_pid);

}  // namespace run_oci

#endif  // RUN_OCI_COMMANDS_READINESS_H_
