// pidfds: a handle on one process that cannot be confused with a recycled
// pid, for signalling and waiting from any layer.
#ifndef MINIJAIL_SHIM_PIDFD_H_
#define MINIJAIL_SHIM_PIDFD_H_

#include <sys/types.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"

namespace shim {

// pidfd_open(2), close-on-exec. A pid that no longer exists is NotFound.
absl::StatusOr<base::ScopedFd> PidfdOpen(pid_t pid);

// pidfd_send_signal(2). A process that already exited is NotFound.
absl::Status PidfdSendSignal(int pidfd, int signal);

}  // namespace shim

#endif  // MINIJAIL_SHIM_PIDFD_H_
