// One planned write into a container's cgroup. The v1 and v2 planners turn
// Resources into an ordered list of these (pure, unit-tested); Cgroups then
// performs them against the real hierarchies.
#ifndef LIBCONTAINER_CGROUP_WRITE_H_
#define LIBCONTAINER_CGROUP_WRITE_H_

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "libcontainer/resources.h"

namespace libcontainer {

struct CgroupWrite {
  // v1 controller owning the file ("memory", "devices", ...); empty for the
  // cgroup2 (unified) hierarchy.
  std::string controller;
  std::string file;
  std::string value;
  // Deprecated knobs (kmem) that newer kernels dropped: skipped with a
  // warning when the file is missing or the kernel refuses it.
  bool best_effort = false;
  // Also written, top-down, to every parent cgroup this container created:
  // the real-time budget of a cgroup must fit into its parent's.
  bool parents_first = false;

  bool operator==(const CgroupWrite& o) const {
    return controller == o.controller && file == o.file && value == o.value &&
           best_effort == o.best_effort && parents_first == o.parents_first;
  }
};

// Container engines send 0 for "not set" (Kubernetes: cpu.quota 0,
// cpu.period 0, memory.limit 0) where the kernel has no useful 0: it
// refuses cfs_quota_us/cfs_period_us 0 (EINVAL), clamps cpu.shares 0 to 2,
// and takes memory.limit_in_bytes 0 literally, which OOM-kills the
// container at once. Like runc, the planners skip such a value: `v` unless
// it is absent or 0. Fields whose 0 means something (swappiness, cpu.idle,
// cpu.burst, pids.limit, hugetlb and throttle limits) do not go through
// this.
template <typename T>
std::optional<T> UnlessZero(const std::optional<T>& v) {
  if (v.has_value() && *v == 0) return std::nullopt;
  return v;
}

// pids.max for a set limit: -1 (any negative) is "max", 0 stays 0.
inline std::string PidsMaxValue(int64_t limit) {
  return limit < 0 ? std::string("max") : std::to_string(limit);
}

// One line of rdma.max (v1 and cgroup2 spell it alike): the device, then
// only the limits that are set.
inline std::string RdmaMaxValue(const std::string& device,
                                const RdmaLimit& limit) {
  std::string value = device;
  if (limit.hca_handles) {
    absl::StrAppend(&value, " hca_handle=", *limit.hca_handles);
  }
  if (limit.hca_objects) {
    absl::StrAppend(&value, " hca_object=", *limit.hca_objects);
  }
  return value;
}

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_WRITE_H_
