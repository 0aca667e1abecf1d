#include "minijail-shim/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "minijail-shim/cgroup_mount.h"
#include "minijail-shim/copy_up.h"
#include "minijail-shim/dev.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

// Cleared in the child when the kernel lacks open_tree/mount_setattr.
bool g_detached_binds = true;

constexpr unsigned long kAtimeFlags =
    MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;

[[noreturn]] void Fail(const ChildPlan& plan, Step step, int index, Op op,
                       int err) {
  ChildFail(plan.sync_fd, step, index, op, err);
}

// A remount replaces every per-mount flag, so keep the ones the source has
// (a bind of a nosuid mount must stay nosuid; in a user namespace the kernel
// refuses to clear them anyway) unless the spec sets the atime mode itself.
unsigned long RemountFlags(unsigned long wanted, unsigned long locked) {
  if (wanted & kAtimeFlags) locked &= ~kAtimeFlags;
  return MS_REMOUNT | MS_BIND | wanted | locked;
}

// A bind's per-mount flags (ro, nosuid, nodev, noexec, atime, nosymfollow)
// as mount_setattr attributes; the superblock ones (sync, ...) do not apply
// to a bind, as with MS_REMOUNT|MS_BIND. Only set, never cleared (but the atime
// mode, which the spec chose): like the remount it replaces, it keeps what the
// source locks.
void SetBindAttrs(unsigned long flags, struct mount_attr* attr) {
  if (flags & MS_RDONLY) attr->attr_set |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID) attr->attr_set |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV) attr->attr_set |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC) attr->attr_set |= MOUNT_ATTR_NOEXEC;
  if (flags & MS_NODIRATIME) attr->attr_set |= MOUNT_ATTR_NODIRATIME;
  if (flags & MS_NOSYMFOLLOW) attr->attr_set |= MOUNT_ATTR_NOSYMFOLLOW;
  if (flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) {
    attr->attr_clr |= MOUNT_ATTR__ATIME;
    attr->attr_set |= (flags & MS_NOATIME)    ? MOUNT_ATTR_NOATIME
                      : (flags & MS_RELATIME) ? MOUNT_ATTR_RELATIME
                                              : MOUNT_ATTR_STRICTATIME;
  }
}

// A bind through the new mount API: a detached copy of the source tree
// (idmapped through the user namespace the parent made from the mount's
// mappings, when it has them), its flags set while detached, attached at
// the target. Against mount(MS_BIND) plus a remount through
// /proc/self/fd/N this saves a statfs, a second lookup of the target and
// both magic-link walks: about a third of a bind's cost. 0 or errno (with
// *op); ENOSYS before Linux 5.12.
int DetachedBind(const MountSpec& m, const MountPlan& mp, int target_fd,
                 Op* op) {
  *op = Op::kMount;
  const unsigned int rec = (m.flags & MS_REC) ? AT_RECURSIVE : 0;
  const int tree = open_tree(AT_FDCWD, m.source.c_str(),
                             OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
  if (tree < 0) return errno;
  int err = 0;
  struct mount_attr attr;
  if (mp.userns_fd >= 0) {
    memset(&attr, 0, sizeof(attr));
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<uint64_t>(mp.userns_fd);
    if (mount_setattr(tree, "", AT_EMPTY_PATH | rec, &attr, sizeof(attr)) != 0)
      err = errno;
  }
  // Like MS_REMOUNT without MS_REC: the flags go on the top mount only.
  memset(&attr, 0, sizeof(attr));
  SetBindAttrs(mp.remount_flags, &attr);
  if (err == 0 && (attr.attr_set | attr.attr_clr) != 0 &&
      mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) != 0) {
    err = errno;
    *op = Op::kRemount;
  }
  if (err == 0 &&
      move_mount(tree, "", target_fd, "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    err = errno;
    *op = Op::kMount;
  }
  close(tree);
  return err;
}

// OCI "rro", "rnosuid", ...: on the mount `fd` names and everything below
// it, once it is in place.
void ApplyRecursiveAttrsAt(const ChildPlan& plan, int index, int fd,
                           const MountSpec& m) {
  struct mount_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.attr_set = m.recursive_attr_set;
  attr.attr_clr = m.recursive_attr_clr;
  if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                    sizeof(attr)) != 0) {
    Fail(plan, Step::kMounts, index, Op::kRemount, errno);
  }
}

// The same for a mount reachable only by looking the target up again.
void ApplyRecursiveAttrs(const ChildPlan& plan, int index, int root_fd,
                         const MountSpec& m) {
  if ((m.recursive_attr_set | m.recursive_attr_clr) == 0) return;
  int op = 0;
  const int fd = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kNone, &op);
  if (fd < 0) Fail(plan, Step::kMounts, index, static_cast<Op>(op), -fd);
  ApplyRecursiveAttrsAt(plan, index, fd, m);
  close(fd);
}

// MS_* per-mount flags as fsmount(2) attributes.
unsigned int FsmountAttrs(unsigned long flags) {
  unsigned int attrs = 0;
  if (flags & MS_RDONLY) attrs |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID) attrs |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV) attrs |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC) attrs |= MOUNT_ATTR_NOEXEC;
  if (flags & MS_NODIRATIME) attrs |= MOUNT_ATTR_NODIRATIME;
  if (flags & MS_NOSYMFOLLOW) attrs |= MOUNT_ATTR_NOSYMFOLLOW;
  if (flags & MS_NOATIME) {
    attrs |= MOUNT_ATTR_NOATIME;
  } else if (flags & MS_STRICTATIME) {
    attrs |= MOUNT_ATTR_STRICTATIME;
  }
  return attrs;
}

// The superblock flags and the comma-separated data ("hidepid=2,gid=5")
// as fsconfig(2) calls, then the superblock. 0 or errno.
int ConfigureFs(int fs_fd, const char* source, unsigned long flags,
                const char* options) {
  if (*source != '\0' &&
      fsconfig(fs_fd, FSCONFIG_SET_STRING, "source", source, 0) != 0) {
    return errno;
  }
  struct SbFlag {
    unsigned long flag;
    const char* name;
  };
  static constexpr SbFlag kSbFlags[] = {{MS_RDONLY, "ro"},
                                        {MS_SYNCHRONOUS, "sync"},
                                        {MS_DIRSYNC, "dirsync"},
                                        {MS_LAZYTIME, "lazytime"}};
  for (const SbFlag& f : kSbFlags) {
    if ((flags & f.flag) &&
        fsconfig(fs_fd, FSCONFIG_SET_FLAG, f.name, nullptr, 0) != 0) {
      return errno;
    }
  }
  char data[1024];
  const size_t len = strlen(options);
  if (len >= sizeof(data)) return E2BIG;
  memcpy(data, options, len + 1);
  char* option = data;
  while (option != nullptr) {
    char* comma = strchr(option, ',');
    if (comma != nullptr) *comma = '\0';
    char* value = strchr(option, '=');
    if (value != nullptr) *value++ = '\0';
    int rc = 0;
    if (value != nullptr) {
      rc = fsconfig(fs_fd, FSCONFIG_SET_STRING, option, value, 0);
    } else if (*option != '\0') {
      rc = fsconfig(fs_fd, FSCONFIG_SET_FLAG, option, nullptr, 0);
    }
    if (rc != 0) return errno;
    option = comma != nullptr ? comma + 1 : nullptr;
  }
  return fsconfig(fs_fd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0 ? 0
                                                                        : errno;
}

// proc and sysfs (CVE-2025-52881): the mount point may not be or cross a
// symlink, the new instance goes onto exactly the directory resolved, and
// its fd is kept for the protections applied after pivot_root.
void MountPseudoFs(const ChildPlan& plan, int index, int root_fd,
                   KeptMounts* kept) {
  const MountSpec& m = plan.spec->mounts[index];
  if (kept->count >= KeptMounts::kMaxPseudoFs) {
    Fail(plan, Step::kMounts, index, Op::kMount, E2BIG);
  }
  int op = 0;
  const int target = OpenInRootNoSymlinks(root_fd, m.target.c_str(),
                                          CreateMode::kDirectory, &op);
  if (target < 0)
    Fail(plan, Step::kMounts, index, static_cast<Op>(op), -target);
  const int mnt =
      MakeDetachedFs(m.type.c_str(), m.source.c_str(), m.flags, m.data.c_str());
  if (mnt < 0) Fail(plan, Step::kMounts, index, Op::kMount, -mnt);
  if (move_mount(mnt, "", target, "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    Fail(plan, Step::kMounts, index, Op::kMount, errno);
  }
  close(target);
  kept->spec_index[kept->count] = index;
  kept->fd[kept->count] = mnt;
  ++kept->count;
  if (m.propagation != 0) {
    // Before pivot_root, /proc/self/fd is the runtime's procfs; the link
    // names the new mount itself.
    char fd_path[32];
    FdPath(mnt, fd_path);
    if (mount(nullptr, fd_path, nullptr, m.propagation, nullptr) != 0) {
      Fail(plan, Step::kMounts, index, Op::kPropagation, errno);
    }
  }
  if ((m.recursive_attr_set | m.recursive_attr_clr) != 0) {
    ApplyRecursiveAttrsAt(plan, index, mnt, m);
  }
}

// tmpcopyup: the directory `target` resolved (still uncovered) copied into
// the detached tmpfs `mnt`, before anyone can see it.
void CopyUp(const ChildPlan& plan, int index, int target, int mnt) {
  const MountPlan& mp = plan.mounts[index];
  // Both O_PATH: "." below them opens the very directories for real.
  const int src = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (src < 0) Fail(plan, Step::kCopyUp, index, Op::kOpen, errno);
  const int dst = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dst < 0) Fail(plan, Step::kCopyUp, index, Op::kOpen, errno);
  Op op = Op::kNone;
  const int err = CopyUpTree(src, dst, mp.copy_up_mode, mp.copy_up_owner, &op);
  if (err != 0) Fail(plan, Step::kCopyUp, index, op, err);
  close(dst);
  close(src);
}

// A tmpfs whose contents the shim makes: a spec's /dev (the default nodes)
// or a tmpcopyup mount (a copy of what it covers). The new instance is made
// detached with the spec's flags and data, moved onto exactly the directory
// resolved, and filled through its own fd: never by looking the target up
// again, which a rootfs symlink swapped in meanwhile could redirect.
void MountFilledTmpfs(const ChildPlan& plan, int index, int root_fd) {
  const MountSpec& m = plan.spec->mounts[index];
  int op = 0;
  const int target =
      OpenInRoot(root_fd, m.target.c_str(), CreateMode::kDirectory, &op);
  if (target < 0)
    Fail(plan, Step::kMounts, index, static_cast<Op>(op), -target);
  const int mnt =
      MakeDetachedFs(m.type.c_str(), m.source.c_str(), m.flags, m.data.c_str());
  if (mnt < 0) Fail(plan, Step::kMounts, index, Op::kMount, -mnt);
  if (m.copy_up) CopyUp(plan, index, target, mnt);
  if (move_mount(mnt, "", target, "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    Fail(plan, Step::kMounts, index, Op::kMount, errno);
  }
  close(target);
  if (m.propagation != 0) {
    char fd_path[32];
    FdPath(mnt, fd_path);
    if (mount(nullptr, fd_path, nullptr, m.propagation, nullptr) != 0) {
      Fail(plan, Step::kMounts, index, Op::kPropagation, errno);
    }
  }
  if (m.default_dev_nodes) PopulateDev(plan, mnt);
  if ((m.recursive_attr_set | m.recursive_attr_clr) != 0) {
    ApplyRecursiveAttrsAt(plan, index, mnt, m);
  }
  close(mnt);
}

}  // namespace

void SetDetachedBindsForTesting(bool enabled) { g_detached_binds = enabled; }

bool DetachedBindsEnabled() { return g_detached_binds; }

int KeptMounts::FdOf(int index) const {
  int found = -1;
  for (int i = 0; i < count; ++i) {
    if (spec_index[i] == index) found = fd[i];
  }
  return found;
}

void KeptMounts::Replace(int index, int new_fd) {
  for (int i = 0; i < count; ++i) {
    if (spec_index[i] == index) {
      close(fd[i]);
      fd[i] = new_fd;
    }
  }
}

void KeptMounts::CloseAll() {
  for (int i = 0; i < count; ++i) close(fd[i]);
  count = 0;
  if (null_mount >= 0) close(null_mount);
  if (tmpfs_mount >= 0) close(tmpfs_mount);
  null_mount = tmpfs_mount = -1;
}

int MakeDetachedFs(const char* type, const char* source, unsigned long flags,
                   const char* options) {
  const int fs_fd = fsopen(type, FSOPEN_CLOEXEC);
  if (fs_fd < 0) return -errno;
  int err = ConfigureFs(fs_fd, source, flags, options);
  int mnt = -1;
  if (err == 0) {
    mnt = fsmount(fs_fd, FSMOUNT_CLOEXEC, FsmountAttrs(flags));
    if (mnt < 0) err = errno;
  }
  close(fs_fd);
  return err == 0 ? mnt : -err;
}

int OpenDetachedProc() {
  return MakeDetachedFs("proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
}

namespace {

unsigned long FlagsOf(const struct statfs& st) {
  unsigned long flags = 0;
  if (st.f_flags & ST_RDONLY) flags |= MS_RDONLY;
  if (st.f_flags & ST_NOSUID) flags |= MS_NOSUID;
  if (st.f_flags & ST_NODEV) flags |= MS_NODEV;
  if (st.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flags & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flags & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

}  // namespace

unsigned long LockedMountFlags(const char* path) {
  struct statfs st;
  return statfs(path, &st) == 0 ? FlagsOf(st) : 0;
}

unsigned long LockedMountFlagsOf(int fd) {
  struct statfs st;
  return fstatfs(fd, &st) == 0 ? FlagsOf(st) : 0;
}

int PrepareRoot(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  // Every mount private, or a slave where the spec wants the host's events
  // to keep reaching the container (slave; shared, which is a slave too):
  // whatever the spec says, nothing mounted from here on may propagate out,
  // and pivot_root refuses a shared parent. Never the spec's value itself:
  // a non-recursive one would leave the host's shared mounts below "/" (the
  // rootfs' own, say) shared, and a bind of anything on an unbindable mount,
  // the rootfs bind below included, is EINVAL. SetRootPropagation applies
  // it to the new root once the container's own binds are all made.
  const unsigned long prop =
      (spec.rootfs_propagation & (MS_SLAVE | MS_SHARED)) != 0
          ? MS_REC | MS_SLAVE
          : MS_REC | MS_PRIVATE;
  if (mount(nullptr, "/", nullptr, prop, nullptr) != 0) {
    Fail(plan, Step::kRootPropagation, -1, Op::kPropagation, errno);
  }
  const char* root = spec.rootfs.empty() ? "/" : spec.rootfs.c_str();
  if (!spec.rootfs.empty() &&
      mount(root, root, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    Fail(plan, Step::kRootBind, -1, Op::kMount, errno);
  }
  int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) Fail(plan, Step::kRootBind, -1, Op::kOpen, errno);
  return fd;
}

void ApplyMounts(const ChildPlan& plan, int root_fd, KeptMounts* kept) {
  const JailSpec& spec = *plan.spec;
  char fd_path[32];
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const MountSpec& m = spec.mounts[i];
    const MountPlan& mp = plan.mounts[i];
    const int index = static_cast<int>(i);
    if (mp.is_pseudo_fs) {
      MountPseudoFs(plan, index, root_fd, kept);
      continue;
    }
    if (m.default_dev_nodes || m.copy_up) {
      MountFilledTmpfs(plan, index, root_fd);
      continue;
    }
    if (m.type == "cgroup") {
      MountCgroup(plan, index, root_fd);
      ApplyRecursiveAttrs(plan, index, root_fd, m);
      continue;
    }
    int op = 0;
    const CreateMode create = mp.is_bind && !mp.source_is_dir
                                  ? CreateMode::kFile
                                  : CreateMode::kDirectory;
    int fd = OpenInRoot(root_fd, m.target.c_str(), create, &op);
    if (fd < 0) Fail(plan, Step::kMounts, index, static_cast<Op>(op), -fd);
    FdPath(fd, fd_path);
    unsigned long locked = 0;
    bool flags_set = false;
    if (mp.is_bind && g_detached_binds) {
      Op bind_op = Op::kMount;
      const int err = DetachedBind(m, mp, fd, &bind_op);
      if (err == ENOSYS && mp.userns_fd < 0) {
        g_detached_binds = false;  // an old kernel: mount(2) from now on
      } else if (err != 0) {
        Fail(plan, Step::kMounts, index, bind_op, err);
      } else {
        flags_set = true;
      }
    } else if (mp.is_bind && mp.userns_fd >= 0) {
      Fail(plan, Step::kMounts, index, Op::kMount, ENOSYS);
    }
    if (mp.is_bind && !flags_set) {
      locked = LockedMountFlags(m.source.c_str());
      if (mount(m.source.c_str(), fd_path, nullptr,
                MS_BIND | (m.flags & MS_REC), nullptr) != 0) {
        Fail(plan, Step::kMounts, index, Op::kMount, errno);
      }
    } else if (!mp.is_bind &&
               mount(m.source.c_str(), fd_path, m.type.c_str(), m.flags,
                     m.data.empty() ? nullptr : m.data.c_str()) != 0) {
      Fail(plan, Step::kMounts, index, Op::kMount, errno);
    }
    close(fd);
    if ((mp.remount_flags != 0 && !flags_set) || m.propagation != 0) {
      // The O_PATH fd names the directory under the new mount; look the
      // target up again to reach the mount itself.
      fd = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kNone, &op);
      if (fd < 0) Fail(plan, Step::kMounts, index, static_cast<Op>(op), -fd);
      FdPath(fd, fd_path);
      if (mp.remount_flags != 0 && !flags_set &&
          mount(nullptr, fd_path, nullptr,
                RemountFlags(mp.remount_flags, locked), nullptr) != 0) {
        Fail(plan, Step::kMounts, index, Op::kRemount, errno);
      }
      if (m.propagation != 0 &&
          mount(nullptr, fd_path, nullptr, m.propagation, nullptr) != 0) {
        Fail(plan, Step::kMounts, index, Op::kPropagation, errno);
      }
      close(fd);
    }
    // Last: a remount of the top mount would replace its flags.
    ApplyRecursiveAttrs(plan, index, root_fd, m);
  }
}

void PivotRoot(const ChildPlan& plan, int root_fd) {
  if (fchdir(root_fd) != 0) Fail(plan, Step::kPivotRoot, -1, Op::kChdir, errno);
  if (syscall(SYS_pivot_root, ".", ".") != 0) {
    Fail(plan, Step::kPivotRoot, -1, Op::kSyscall, errno);
  }
  // The old root now sits on top of "." and umount2 (a mountpoint lookup)
  // reaches it. Detaching it cannot propagate to the host: PrepareRoot made
  // every mount private or slave. (runc's extra mount(MS_SLAVE|MS_REC, ".")
  // would hit the new root instead, "." not crossing mounts, and undo the
  // spec's propagation.)
  if (umount2(".", MNT_DETACH) != 0) {
    Fail(plan, Step::kPivotRoot, -1, Op::kUmount, errno);
  }
  if (chdir("/") != 0) Fail(plan, Step::kPivotRoot, -1, Op::kChdir, errno);
}

void FinishRoot(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (spec.rootfs_readonly &&
      mount(nullptr, "/", nullptr,
            RemountFlags(MS_RDONLY, LockedMountFlags("/")), nullptr) != 0) {
    Fail(plan, Step::kReadonlyRoot, -1, Op::kRemount, errno);
  }
}

void SetRootPropagation(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (!spec.rootfs.empty() && spec.rootfs_propagation != 0 &&
      mount(nullptr, "/", nullptr, spec.rootfs_propagation, nullptr) != 0) {
    Fail(plan, Step::kRootPropagation, -1, Op::kPropagation, errno);
  }
}

}  // namespace shim
