// The kernel-shaped values of a JailSpec, in the kernel's own units (ids,
// RLIMIT_* numbers, CAP_* bits, IOPRIO_CLASS_*, clock names). Plain data
// with no shim code, so that libcontainer::Config holds them as they are
// and nothing copies them field by field on the way down to the jail.
#ifndef MINIJAIL_SHIM_KERNEL_VALUES_H_
#define MINIJAIL_SHIM_KERNEL_VALUES_H_

#include <cstdint>
#include <string>

namespace shim {

// One line of /proc/<pid>/{uid,gid}_map or of an idmapped mount's map:
// "inside outside count".
struct IdMapLine {
  uint32_t inside = 0;
  uint32_t outside = 0;
  uint32_t count = 0;
};

// One prlimit(2).
struct RlimitSpec {
  int resource = 0;   // RLIMIT_*
  uint64_t soft = 0;  // RLIM_INFINITY allowed
  uint64_t hard = 0;
};

// Bit i set means capability i (CAP_* number) is in the set.
struct CapSpec {
  uint64_t bounding = 0;
  uint64_t effective = 0;
  uint64_t inheritable = 0;
  uint64_t permitted = 0;
  uint64_t ambient = 0;
};

// ioprio_set(2) IOPRIO_WHO_PROCESS.
struct IoPrioritySpec {
  int io_class = 0;  // IOPRIO_CLASS_*
  int priority = 0;  // 0 (highest) to 7
};

// sched_setattr(2)'s struct sched_attr fields.
struct SchedulerSpec {
  int policy = 0;      // SCHED_*
  uint64_t flags = 0;  // SCHED_FLAG_*
  int32_t nice = 0;
  uint32_t priority = 0;
  uint64_t runtime = 0;
  uint64_t deadline = 0;
  uint64_t period = 0;
};

// One line of /proc/<pid>/timens_offsets.
struct TimeOffsetSpec {
  std::string clock;  // "monotonic" or "boottime"
  int64_t secs = 0;
  uint32_t nanosecs = 0;
};

}  // namespace shim

#endif  // MINIJAIL_SHIM_KERNEL_VALUES_H_
