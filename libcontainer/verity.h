// dm-verity mounts (Chromium's "dm=" mount option). Needs device-mapper;
// without /dev/mapper/control this fails with a clear error before anything
// else is set up.
#ifndef LIBCONTAINER_VERITY_H_
#define LIBCONTAINER_VERITY_H_

#include <string>

#include "absl/status/statusor.h"
#include "libcontainer/config.h"

namespace libcontainer {

// Returns the device-mapper device to mount instead of mount.source.
absl::StatusOr<std::string> SetUpVerity(const Mount& mount);

}  // namespace libcontainer

#endif  // LIBCONTAINER_VERITY_H_
