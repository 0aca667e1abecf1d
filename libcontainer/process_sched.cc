#include "libcontainer/process_sched.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "libcontainer/errno_status.h"

namespace libcontainer {
namespace {

constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassShift = 13;

// glibc 2.36 has no sched_attr; this is the kernel's SCHED_ATTR_SIZE_VER0.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

}  // namespace

absl::Status ApplyIoPriority(pid_t pid, const IoPriority& io) {
  int value = (io.io_class << kIoprioClassShift) | io.priority;
  if (syscall(SYS_ioprio_set, kIoprioWhoProcess, pid, value) != 0) {
    int err = errno;
    return ErrnoStatus(
        err, absl::StrCat("process.ioPriority: ioprio_set(class ", io.io_class,
                          ", priority ", io.priority, ")"));
  }
  return absl::OkStatus();
}

absl::Status ApplyScheduler(pid_t pid, const Scheduler& sched) {
  SchedAttr attr;
  memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.sched_policy = static_cast<uint32_t>(sched.policy);
  attr.sched_flags = sched.flags;
  attr.sched_nice = sched.nice.value_or(0);
  attr.sched_priority = static_cast<uint32_t>(sched.priority.value_or(0));
  attr.sched_runtime = sched.runtime.value_or(0);
  attr.sched_deadline = sched.deadline.value_or(0);
  attr.sched_period = sched.period.value_or(0);
  if (syscall(SYS_sched_setattr, pid, &attr, 0) != 0) {
    int err = errno;
    return ErrnoStatus(err,
                       absl::StrCat("process.scheduler: sched_setattr(policy ",
                                    sched.policy, ")"));
  }
  return absl::OkStatus();
}

}  // namespace libcontainer
