// The state directory's start socket: between `create` and `start` the
// container's process waits on it, and `start` learns through it whether
// the container's startContainer hooks passed and its program was
// executed (minijail-shim/start_channel.h has the protocol). It replaces
// the exec fifo, which could only let the process go: a fifo carries no
// answer back, so `start` reported success for a container whose hooks or
// execve then failed. One inode, like the fifo.
#ifndef RUN_OCI_START_SOCKET_H_
#define RUN_OCI_START_SOCKET_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "run_oci/state_dir.h"

namespace run_oci {

// create: <dir>/start.sock, listening; the fd goes to the container's
// process (CreateOptions::start_fd).
absl::StatusOr<base::ScopedFd> ListenStartSocket(const StateDir& dir);

// start: lets the waiting process go on, waits until it has run its
// startContainer hooks and executed `program` (only named in errors), and
// removes the socket, which makes the container "running". The error of a
// failed hook reads "hook startContainer[0] /bin/x: exited with status 3";
// FailedPrecondition when the process is gone.
absl::Status ReleaseStartSocket(const StateDir& dir,
                                const std::string& program);

}  // namespace run_oci

#endif  // RUN_OCI_START_SOCKET_H_
