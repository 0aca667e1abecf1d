// Config devices → the shim's device nodes. Chromium's dynamic major/minor
// take the number from the host's node at the same path, so a config can
// name e.g. a binder or a loop device whose minor differs per boot.
#ifndef LIBCONTAINER_DEVICES_H_
#define LIBCONTAINER_DEVICES_H_

#include <sys/stat.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/config.h"
#include "minijail-shim/jail.h"

namespace libcontainer {

// stat(2) of a host path; injectable so unit tests need no real nodes.
using StatFunction = std::function<int(const std::string&, struct stat*)>;

absl::StatusOr<shim::DeviceSpec> ResolveDevice(const Device& device,
                                               const StatFunction& stat_fn);

absl::StatusOr<std::vector<shim::DeviceSpec>> ResolveDevices(
    const std::vector<Device>& devices, const StatFunction& stat_fn);

// The real stat(2).
StatFunction HostStat();

}  // namespace libcontainer

#endif  // LIBCONTAINER_DEVICES_H_
