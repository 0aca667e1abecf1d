// Resources → writes for cgroup v1 controllers (the hybrid host this runs on
// and Chromium OS), following runc's fs driver file by file.
#ifndef LIBCONTAINER_CGROUP_V1_H_
#define LIBCONTAINER_CGROUP_V1_H_

#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/cgroup_write.h"
#include "libcontainer/resources.h"

namespace libcontainer {

// The device rules every container gets after its own, as runc appends them:
// the nodes of the default /dev (null, zero, full, random, urandom, tty,
// console, ptmx, /dev/pts/*) stay usable whatever the config denies.
std::vector<CgroupDeviceRule> DefaultDeviceRules();

// Every rule a container's devices cgroup gets, in order: everything
// denied, the config's rules, then DefaultDeviceRules(). The v1 writes and
// the v2 device filter both follow it.
std::vector<CgroupDeviceRule> DeviceRulesInOrder(const Resources& resources);

// "c 1:3 rwm" for devices.allow / devices.deny; "a" for type a, which the
// kernel reads as everything, whatever follows.
std::string FormatDeviceRule(const CgroupDeviceRule& rule);

// Ordered writes for a freshly created v1 cgroup. Devices come first (deny
// all, the config's rules, the defaults); limits are ordered so that the
// kernel's cross-checks pass on a new cgroup (memsw before memory, periods
// before quotas and runtimes). Resources.unified is not handled here.
absl::StatusOr<std::vector<CgroupWrite>> PlanV1Writes(
    const Resources& resources);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_V1_H_
