#include "minijail-shim/protected_paths.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/lexical_path.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

// ---- Parent side ----

// An absolute container path as components, "." and ".." folded
// (CheckContainerPath already refused a ".." above "/"). Under a proc or
// sysfs mount no symlink is followed, so folding is what the kernel would
// do there.
std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> out;
  for (absl::string_view part : base::FoldedComponents(path)) {
    out.emplace_back(part);
  }
  return out;
}

struct PseudoFsTarget {
  int index;  // into spec.mounts
  std::vector<std::string> target;
};

// The deepest proc/sysfs mount containing `path` (the later one of equal
// depth: it is on top), and the rest of the path below it.
ProtectedPathPlan Place(const std::string& path,
                        const std::vector<PseudoFsTarget>& pseudo_fs) {
  const std::vector<std::string> parts = Components(path);
  ProtectedPathPlan placed;
  placed.path = path;
  size_t depth = 0;
  for (const PseudoFsTarget& fs : pseudo_fs) {
    if (fs.target.size() > parts.size() ||
        !std::equal(fs.target.begin(), fs.target.end(), parts.begin())) {
      continue;
    }
    if (placed.mount_index >= 0 && fs.target.size() < depth) continue;
    placed.mount_index = fs.index;
    depth = fs.target.size();
  }
  if (placed.mount_index >= 0) {
    const std::vector<std::string> rest(parts.begin() + depth, parts.end());
    placed.path = rest.empty() ? "." : absl::StrJoin(rest, "/");
  }
  return placed;
}

// ---- Child side (async-signal-safe) ----

[[noreturn]] void Fail(const ChildPlan& plan, Step step, size_t index, Op op,
                       int err) {
  ChildFail(plan.sync_fd, step, static_cast<int>(index), op, err);
}

bool Missing(int fd) { return fd == -ENOENT || fd == -ENOTDIR; }

// An O_PATH fd of the protected path, or -errno with *op.
int OpenProtected(const ProtectedPathPlan& pp, const KeptMounts& kept,
                  int root_fd, int* op) {
  if (pp.mount_index < 0) {
    return OpenInRoot(root_fd, pp.path.c_str(), CreateMode::kNone, op);
  }
  *op = static_cast<int>(Op::kResolve);
  const int base = kept.FdOf(pp.mount_index);
  if (base < 0) return -EBADF;
  const int fd = OpenBeneath(base, pp.path.c_str(), O_PATH);
  if (fd == -ELOOP) *op = static_cast<int>(Op::kCrossesSymlink);
  return fd;
}

// Linux 5.2-5.11 (no mount_setattr): the attached copy is remounted
// through its magic link, looked up in a procfs of the child's own: the
// container's /proc may be an image's directory by now.
int RemountReadonlyThroughOwnProc(int mnt) {
  const int proc = OpenDetachedProc();
  if (proc < 0) return -proc;
  const int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  char link[32];
  FdPath(mnt, link);  // "/proc/self/fd/N": "self/fd/N" below the procfs
  int err = 0;
  if (cwd < 0 || fchdir(proc) != 0) {
    err = errno;
  } else if (mount(nullptr, link + strlen("/proc/"), nullptr,
                   MS_REMOUNT | MS_BIND | MS_RDONLY | LockedMountFlagsOf(mnt),
                   nullptr) != 0) {
    err = errno;
  }
  if (cwd >= 0) {
    if (fchdir(cwd) != 0 && err == 0) err = errno;
    close(cwd);
  }
  close(proc);
  return err;
}

// A recursive copy of the tree at `target`, its top mount read-only (as
// runc's and crun's remount), attached on top of `target`. The copy's fd,
// or -errno with *op.
int BindReadonly(int target, Op* op) {
  *op = Op::kMount;
  const int tree = open_tree(
      target, "",
      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
  if (tree < 0) return -errno;
  int err = 0;
  bool remount = !DetachedBindsEnabled();
  if (!remount) {
    struct mount_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) != 0) {
      err = errno;
      remount = err == ENOSYS;
      if (remount) err = 0;
      *op = Op::kRemount;
    }
  }
  if (err == 0 &&
      move_mount(tree, "", target, "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    err = errno;
    *op = Op::kMount;
  }
  if (err == 0 && remount) {
    err = RemountReadonlyThroughOwnProc(tree);
    *op = Op::kRemount;
  }
  if (err == 0) return tree;
  close(tree);
  return -err;
}

// Attaches *source at `target` the first time and a copy of it (cloned from
// where it is attached: a detached mount can only be cloned from Linux 6.15
// on) each time after. 0 or errno.
int AttachMask(int* source, bool* attached, int target) {
  int mnt = *source;
  if (*attached) {
    mnt = open_tree(*source, "",
                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (mnt < 0) return errno;
  }
  int err = 0;
  if (move_mount(mnt, "", target, "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    err = errno;
  }
  if (*attached) {
    close(mnt);
  } else if (err == 0) {
    *attached = true;
  }
  return err;
}

void Mask(const ChildPlan& plan, size_t index, int target, KeptMounts* kept) {
  const Step step = Step::kMaskedPaths;
  struct stat st;
  if (fstat(target, &st) != 0) Fail(plan, step, index, Op::kStat, errno);
  int err;
  if (S_ISDIR(st.st_mode)) {
    if (kept->tmpfs_mount < 0) {
      kept->tmpfs_mount = MakeDetachedFs("tmpfs", "tmpfs", MS_RDONLY, "");
      if (kept->tmpfs_mount < 0) {
        Fail(plan, step, index, Op::kMount, -kept->tmpfs_mount);
      }
    }
    err = AttachMask(&kept->tmpfs_mount, &kept->tmpfs_attached, target);
  } else {
    if (kept->null_mount < 0) {
      Fail(plan, step, index, static_cast<Op>(kept->null_op), kept->null_err);
    }
    err = AttachMask(&kept->null_mount, &kept->null_attached, target);
  }
  if (err != 0) Fail(plan, step, index, Op::kMount, err);
}

}  // namespace

absl::Status PlanProtectedPaths(const JailSpec& spec, ChildPlan* plan) {
  std::vector<PseudoFsTarget> pseudo_fs;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const MountSpec& m = spec.mounts[i];
    MountPlan& mp = plan->mounts[i];
    mp.is_pseudo_fs = !mp.is_bind && (m.type == "proc" || m.type == "sysfs");
    if (!mp.is_pseudo_fs) continue;
    pseudo_fs.push_back({static_cast<int>(i), Components(m.target)});
    if (m.type == "proc" &&
        pseudo_fs.back().target == std::vector<std::string>{"proc"}) {
      plan->sysctl_proc_mount = static_cast<int>(i);
    }
  }
  if (pseudo_fs.size() > KeptMounts::kMaxPseudoFs) {
    return absl::InvalidArgumentError(absl::StrCat("jail: mounts: more than ",
                                                   KeptMounts::kMaxPseudoFs,
                                                   " proc and sysfs mounts"));
  }
  for (const std::string& path : spec.masked_paths) {
    plan->masked_paths.push_back(Place(path, pseudo_fs));
  }
  for (const std::string& path : spec.readonly_paths) {
    plan->readonly_paths.push_back(Place(path, pseudo_fs));
  }
  for (const auto& [key, value] : spec.sysctls) {
    plan->sysctl_paths.push_back(
        absl::StrCat("sys/", absl::StrReplaceAll(key, {{".", "/"}})));
  }
  return absl::OkStatus();
}

void PrepareMaskSources(const ChildPlan& plan, KeptMounts* kept) {
  if (plan.spec->masked_paths.empty()) return;
  // CVE-2025-31133: the host's node, never the container's /dev/null.
  // O_NOFOLLOW: a link is itself checked (and refused), not its target.
  const int null_fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (null_fd < 0) {
    kept->null_err = errno;
    kept->null_op = static_cast<int>(Op::kOpen);
    return;
  }
  struct stat st;
  if (fstat(null_fd, &st) != 0 || !S_ISCHR(st.st_mode) ||
      st.st_rdev != makedev(1, 3)) {
    kept->null_op = static_cast<int>(Op::kNotNullDevice);
  } else {
    kept->null_mount = open_tree(
        null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (kept->null_mount < 0) {
      kept->null_err = errno;
      kept->null_op = static_cast<int>(Op::kMount);
    }
  }
  close(null_fd);
}

void ProtectPaths(const ChildPlan& plan, KeptMounts* kept) {
  const JailSpec& spec = *plan.spec;
  if (spec.readonly_paths.empty() && spec.masked_paths.empty()) return;
  const int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) {
    ChildFail(plan.sync_fd, Step::kReadonlyPaths, -1, Op::kOpen, errno);
  }
  // Read-only paths first (runc's order): a mask then sits on top of the
  // read-only copy that covers it rather than inside what was copied.
  for (size_t i = 0; i < plan.readonly_paths.size(); ++i) {
    const ProtectedPathPlan& pp = plan.readonly_paths[i];
    int op = 0;
    const int fd = OpenProtected(pp, *kept, root, &op);
    if (Missing(fd)) continue;
    if (fd < 0) Fail(plan, Step::kReadonlyPaths, i, static_cast<Op>(op), -fd);
    Op bind_op = Op::kMount;
    const int copy = BindReadonly(fd, &bind_op);
    if (copy < 0) Fail(plan, Step::kReadonlyPaths, i, bind_op, -copy);
    close(fd);
    // The root of a kept mount is now covered: later paths below it must
    // reach the copy on top, which this fd names.
    if (pp.mount_index >= 0 && pp.path == ".") {
      kept->Replace(pp.mount_index, copy);
    } else {
      close(copy);
    }
  }
  for (size_t i = 0; i < plan.masked_paths.size(); ++i) {
    int op = 0;
    const int fd = OpenProtected(plan.masked_paths[i], *kept, root, &op);
    if (Missing(fd)) continue;
    if (fd < 0) Fail(plan, Step::kMaskedPaths, i, static_cast<Op>(op), -fd);
    Mask(plan, i, fd, kept);
    close(fd);
  }
  close(root);
}

}  // namespace shim
