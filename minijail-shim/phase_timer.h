// Timestamps of the child's setup phases, for `run_oci --timings`. The child
// writes CLOCK_MONOTONIC stamps into a fixed array (clock_gettime is
// async-signal-safe and, through the vDSO, not even a system call) and sends
// the array with every kReached message; the parent keeps the last one.
//
// The array is a process global: the child is a copy of the parent, whose
// array is never written, so every child starts from zeros. In a new time
// namespace with a monotonic offset (timeOffsets) the stamps taken after the
// second fork are shifted by that offset.
#ifndef MINIJAIL_SHIM_PHASE_TIMER_H_
#define MINIJAIL_SHIM_PHASE_TIMER_H_

#include <time.h>

#include <cstdint>

namespace shim {

// In the order the child reaches them.
enum class ChildPhase : int32_t {
  kStart,           // first thing after clone
  kCgroupsJoined,   // wrote itself into the v1 cgroups
  kNamespaces,      // setns/unshare done, about to report kCloned
  kClonedAcked,     // the parent wrote id maps and added us to cgroups
  kMounts,          // rootfs, mounts and devices done, before kPreChroot
  kPreChrootAcked,  // prechroot hooks ran
  kPivotRoot,       // pivot_root, masked and read-only paths done
  kSeccompStart,    // about to load the seccomp filter
  kSeccompEnd,      // filter loaded
  kReady,           // about to report kReady
  kCount,
};

// ns since an arbitrary point; 0 means the phase was not reached.
struct PhaseStamps {
  int64_t ns[static_cast<int>(ChildPhase::kCount)] = {};

  int64_t at(ChildPhase phase) const { return ns[static_cast<int>(phase)]; }
};

inline int64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Written only by a jailed child between clone and execve.
inline PhaseStamps g_child_phase_stamps;

inline void MarkChildPhase(ChildPhase phase) {
  g_child_phase_stamps.ns[static_cast<int>(phase)] = MonotonicNs();
}

}  // namespace shim

#endif  // MINIJAIL_SHIM_PHASE_TIMER_H_
