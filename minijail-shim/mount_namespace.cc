#include "minijail-shim/mount_namespace.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace shim {

absl::Status EnterNewMountNamespace() {
  if (unshare(CLONE_NEWNS) != 0) {
    if (errno == EPERM) {
      return absl::PermissionDeniedError(
          "unshare(CLONE_NEWNS): Operation not permitted (needs "
          "CAP_SYS_ADMIN)");
    }
    return absl::InternalError(
        absl::StrCat("unshare(CLONE_NEWNS): ", strerror(errno)));
  }
  if (mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
    return absl::InternalError(
        absl::StrCat("mount(/, MS_REC|MS_SLAVE) in the new mount namespace: ",
                     strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace shim
