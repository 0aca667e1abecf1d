// The container's file system, child side: root propagation, the rootfs
// bind, the spec's mounts resolved inside the rootfs, pivot_root, and the
// read-only/masked paths applied afterwards. Every failure goes to the parent
// through ChildFail.
#ifndef MINIJAIL_SHIM_MOUNTS_H_
#define MINIJAIL_SHIM_MOUNTS_H_

#include "minijail-shim/child.h"

namespace shim {

// Makes / private (or the configured propagation) and binds the rootfs on
// itself; returns an O_PATH fd of the new root ("/" without a rootfs).
int PrepareRoot(const ChildPlan& plan);

void ApplyMounts(const ChildPlan& plan, int root_fd);

// pivot_root(".", ".") then a lazy unmount of the old root stacked on top:
// no temporary directory in the rootfs is needed (the runc trick).
void PivotRoot(const ChildPlan& plan, int root_fd);

// After pivot_root: rootfs propagation, read-only root, masked and
// read-only paths.
void FinishRoot(const ChildPlan& plan);

// Binds go through open_tree/mount_setattr/move_mount (Linux 5.12) when
// the kernel has them; false forces mount(2) and a remount, the path for
// older kernels, so that tests cover it too.
void SetDetachedBindsForTesting(bool enabled);

// MS_* flags of the mount containing `path` that a MS_REMOUNT|MS_BIND must
// keep (the kernel locks them in a user namespace); 0 when statfs fails.
unsigned long LockedMountFlags(const char* path);

}  // namespace shim

#endif  // MINIJAIL_SHIM_MOUNTS_H_
