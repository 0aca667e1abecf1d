// The container's file system, child side: root propagation, the rootfs
// bind, the spec's mounts resolved inside the rootfs, pivot_root and the
// read-only root. Every failure goes to the parent through ChildFail.
//
// proc and sysfs (CVE-2025-52881): their mount points may be neither nor
// cross a symlink, the new instance is made with fsopen/fsmount and moved
// onto the O_PATH fd of the mount point, and the fsmount fd is kept, so
// that sysctls, masked and read-only paths reach that very mount later,
// never by looking /proc up again (another writer may have renamed it away
// and left a symlink to a decoy in its place).
#ifndef MINIJAIL_SHIM_MOUNTS_H_
#define MINIJAIL_SHIM_MOUNTS_H_

#include "minijail-shim/child.h"

namespace shim {

// What the child keeps from mount time until the protections are applied.
// Lives on the child's stack: no allocation.
struct KeptMounts {
  static constexpr int kMaxPseudoFs = 16;
  int count = 0;
  int spec_index[kMaxPseudoFs];  // into spec.mounts
  int fd[kMaxPseudoFs];          // the mount's root (from fsmount)
  // Masks (protected_paths.cc): a detached bind of the host's /dev/null,
  // checked to be 1:3, made before pivot_root (null_err/null_op say why
  // there is none), and a read-only tmpfs. Once the first mask is attached
  // the fd names it and later masks are clones of it.
  int null_mount = -1;
  bool null_attached = false;
  int null_err = 0;
  int null_op = 0;  // Op
  int tmpfs_mount = -1;
  bool tmpfs_attached = false;

  // The kept fd of spec.mounts[index], -1 when none.
  int FdOf(int index) const;
  void Replace(int index, int new_fd);
  void CloseAll();
};

// Makes every mount private (a slave for a slave or shared rootfs
// propagation) and binds the rootfs on itself; returns an O_PATH fd of the
// new root ("/" without a rootfs).
int PrepareRoot(const ChildPlan& plan);

// spec.mounts in order; proc and sysfs mounts end up in *kept.
void ApplyMounts(const ChildPlan& plan, int root_fd, KeptMounts* kept);

// pivot_root(".", ".") then a lazy unmount of the old root stacked on top:
// no temporary directory in the rootfs is needed (the runc trick).
void PivotRoot(const ChildPlan& plan, int root_fd);

// After pivot_root: the read-only root. (Masked and read-only paths come
// later, after the sysctls: protected_paths.h.)
void FinishRoot(const ChildPlan& plan);

// Last of the file system, after the masked and read-only paths: the
// spec's rootfsPropagation on the new root (and below it for the r forms).
// Those paths are binds of parts of the root, which an unbindable root
// would refuse (EINVAL).
void SetRootPropagation(const ChildPlan& plan);

// A new superblock of `type` (fsopen, fsconfig with the source, the
// superblock flags of `flags` and the comma-separated `options`, fsmount
// with the per-mount flags), attached nowhere. The fd or -errno.
int MakeDetachedFs(const char* type, const char* source, unsigned long flags,
                   const char* options);

// A new procfs instance of the child's pid namespace, attached nowhere:
// magic links and sysctls that must not depend on the container's /proc.
// The fd or -errno.
int OpenDetachedProc();

// False once the kernel lacked mount_setattr (or a test said so).
bool DetachedBindsEnabled();

// Binds go through open_tree/mount_setattr/move_mount (Linux 5.12) when
// the kernel has them; false forces mount(2) and a remount, the path for
// older kernels, so that tests cover it too.
void SetDetachedBindsForTesting(bool enabled);

// MS_* flags of the mount containing `path` that a MS_REMOUNT|MS_BIND must
// keep (the kernel locks them in a user namespace); 0 when statfs fails.
unsigned long LockedMountFlags(const char* path);
unsigned long LockedMountFlagsOf(int fd);

}  // namespace shim

#endif  // MINIJAIL_SHIM_MOUNTS_H_
