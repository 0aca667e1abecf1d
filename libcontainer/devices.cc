#include "libcontainer/devices.h"

#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/errno_status.h"

namespace libcontainer {
namespace {

// The default OCI leaves the mode to the runtime; runc uses 0666.
constexpr mode_t kDefaultDeviceMode = 0666;

}  // namespace

absl::StatusOr<shim::DeviceSpec> ResolveDevice(const Device& device,
                                               const StatFunction& stat_fn) {
  shim::DeviceSpec spec;
  spec.path = device.path;
  mode_t kind = 0;
  switch (device.type) {
    case 'c':
    case 'u':  // unbuffered: a character device to the kernel
      kind = S_IFCHR;
      break;
    case 'b':
      kind = S_IFBLK;
      break;
    case 'p':
      kind = S_IFIFO;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("device ", device.path, ": unknown type '",
                       std::string(1, device.type), "'"));
  }
  spec.mode = kind | (device.file_mode ? (*device.file_mode & 07777)
                                       : kDefaultDeviceMode);
  int64_t major = device.major;
  int64_t minor = device.minor;
  if (kind != S_IFIFO && (device.dynamic_major || device.dynamic_minor)) {
    struct stat st;
    if (stat_fn(device.path, &st) != 0) {
      int err = errno;
      return base::ErrnoStatus(
          err, absl::StrCat("device ", device.path,
                            ": dynamic major/minor: stat of the host node"));
    }
    if ((st.st_mode & S_IFMT) != kind) {
      return absl::FailedPreconditionError(
          absl::StrCat("device ", device.path,
                       ": dynamic major/minor: the host node is not a ",
                       kind == S_IFCHR ? "character" : "block", " device"));
    }
    if (device.dynamic_major) major = ::major(st.st_rdev);
    if (device.dynamic_minor) minor = ::minor(st.st_rdev);
  }
  if (kind != S_IFIFO) {
    if (major < 0 || minor < 0 || major > 0xfff || minor > 0xfffff) {
      return absl::InvalidArgumentError(
          absl::StrCat("device ", device.path, ": major ", major, " minor ",
                       minor, " out of range"));
    }
    spec.dev = makedev(major, minor);
  }
  spec.uid = device.uid.value_or(0);
  spec.gid = device.gid.value_or(0);
  return spec;
}

absl::StatusOr<std::vector<shim::DeviceSpec>> ResolveDevices(
    const std::vector<Device>& devices, const StatFunction& stat_fn) {
  std::vector<shim::DeviceSpec> specs;
  specs.reserve(devices.size());
  for (const Device& device : devices) {
    auto spec = ResolveDevice(device, stat_fn);
    if (!spec.ok()) return spec.status();
    specs.push_back(*std::move(spec));
  }
  return specs;
}

StatFunction HostStat() {
  return [](const std::string& path, struct stat* st) {
    return ::stat(path.c_str(), st);
  };
}

}  // namespace libcontainer
