// Resources → writes for the cgroup2 (unified) hierarchy. On a pure v2 host
// every limit goes here; on a hybrid host (v1 controllers plus an empty
// cgroup2 tree, like runc) only Resources.unified does.
#ifndef LIBCONTAINER_CGROUP_V2_H_
#define LIBCONTAINER_CGROUP_V2_H_

#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/cgroup_write.h"
#include "libcontainer/resources.h"

namespace libcontainer {

// `unified_only`: the host has no v1 controllers, so translate every limit
// (runc's conversions: shares → cpu.weight, memory+swap → memory.swap.max).
// Device rules are not among the writes: on cgroup v2 they are a BPF
// program (device_filter.h), which Cgroups attaches.
absl::StatusOr<std::vector<CgroupWrite>> PlanV2Writes(
    const Resources& resources, bool unified_only);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_V2_H_
