// New limits for a container that is already running (runc update). The
// writes are Create's plans (cgroup_v1.h, cgroup_v2.h); what differs is
// that limits are already in force, so the order of interdependent writes
// depends on them, and that device rules are not touched.
#ifndef LIBCONTAINER_CGROUP_UPDATE_H_
#define LIBCONTAINER_CGROUP_UPDATE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "libcontainer/cgroup_write.h"

namespace libcontainer {

// v1 keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every
// moment. Create's plan lowers memory first, which suits a new cgroup;
// with `current_limit` in force, a new memsw above it (or unlimited) must
// go first instead, or raising both fails halfway with EINVAL. Other
// writes keep their order.
std::vector<CgroupWrite> OrderForLiveCgroup(
    std::vector<CgroupWrite> writes, std::optional<int64_t> current_limit);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_UPDATE_H_
