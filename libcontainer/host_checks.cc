#include "libcontainer/host_checks.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace libcontainer {
namespace {

bool Exists(const char* path) { return access(path, F_OK) == 0; }

}  // namespace

absl::Status CheckHostSupport(const Config& config) {
  if (!config.apparmor_profile.empty()) {
    if (!Exists("/sys/kernel/security/apparmor")) {
      return absl::FailedPreconditionError(
          absl::StrCat("process.apparmorProfile \"", config.apparmor_profile,
                       "\": AppArmor is not enabled on this host"));
    }
    return absl::UnimplementedError(
        absl::StrCat("process.apparmorProfile \"", config.apparmor_profile,
                     "\": applying AppArmor profiles is not supported yet"));
  }
  if (config.intel_rdt) {
    if (!Exists("/sys/fs/resctrl/info")) {
      return absl::FailedPreconditionError(
          "linux.intelRdt: resctrl is not mounted at /sys/fs/resctrl");
    }
    return absl::UnimplementedError(
        "linux.intelRdt: Intel RDT is not supported yet");
  }
  if (!config.mount_label.empty()) {
    if (!Exists("/sys/fs/selinux/enforce")) {
      return absl::FailedPreconditionError(
          absl::StrCat("linux.mountLabel \"", config.mount_label,
                       "\": SELinux is not enabled on this host"));
    }
    return absl::UnimplementedError(
        absl::StrCat("linux.mountLabel \"", config.mount_label,
                     "\": SELinux mount labels are not supported yet"));
  }
  return absl::OkStatus();
}

}  // namespace libcontainer
