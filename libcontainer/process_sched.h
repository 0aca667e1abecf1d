// I/O priority and CPU scheduling of the container's process, set by the
// parent on the child's pid while it waits at SyncPoint::kCloned. Both are
// inherited by fork and kept across execve, and doing it from outside keeps
// the shim's child free of it.
#ifndef LIBCONTAINER_PROCESS_SCHED_H_
#define LIBCONTAINER_PROCESS_SCHED_H_

#include <sys/types.h>

#include "absl/status/status.h"
#include "libcontainer/config.h"

namespace libcontainer {

// ioprio_set(2) IOPRIO_WHO_PROCESS.
absl::Status ApplyIoPriority(pid_t pid, const IoPriority& io);

// sched_setattr(2): policy, nice, priority, flags and deadline parameters.
absl::Status ApplyScheduler(pid_t pid, const Scheduler& sched);

}  // namespace libcontainer

#endif  // LIBCONTAINER_PROCESS_SCHED_H_
