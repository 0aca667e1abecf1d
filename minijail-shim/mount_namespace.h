// The intermediate mount namespace run_oci enters before setting up a
// container's host-side mounts (loop devices, Chromium's intermediate
// mounts), so that they vanish with the runtime instead of leaking.
#ifndef MINIJAIL_SHIM_MOUNT_NAMESPACE_H_
#define MINIJAIL_SHIM_MOUNT_NAMESPACE_H_

#include "absl/status/status.h"

namespace shim {

// unshare(CLONE_NEWNS), then / becomes MS_REC|MS_SLAVE: host mounts still
// propagate in, nothing we mount propagates out. EPERM is reported as
// needing CAP_SYS_ADMIN; a multithreaded caller gets EINVAL (CLONE_FS).
absl::Status EnterNewMountNamespace();

}  // namespace shim

#endif  // MINIJAIL_SHIM_MOUNT_NAMESPACE_H_
