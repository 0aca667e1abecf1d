#include "minijail-shim/cgroup_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "minijail-shim/jail.h"
#include "minijail-shim/mounts.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

constexpr unsigned long kTmpfsFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC |
                                      MS_RELATIME | MS_NOATIME |
                                      MS_STRICTATIME | MS_NODIRATIME;

[[noreturn]] void Fail(const ChildPlan& plan, int index, Op op, int err) {
  ChildFail(plan.sync_fd, Step::kMounts, index, op, err);
}

// Binds `source` on dir_fd/name (or on dir_fd itself when name is empty),
// then remounts it with the mount's flags. 0 or errno, *op set.
int BindOne(int dir_fd, const char* source, const char* name,
            unsigned long flags, Op* op) {
  int target = dir_fd;
  if (name[0] != '\0') {
    *op = Op::kMkdir;
    if (mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST) return errno;
    *op = Op::kOpen;
    target =
        openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
    if (target < 0) return errno;
  }
  char fd_path[32];
  FdPath(target, fd_path);
  *op = Op::kMount;
  int err = mount(source, fd_path, nullptr, MS_BIND | MS_REC, nullptr) == 0
                ? 0
                : errno;
  if (target != dir_fd) close(target);
  if (err != 0 || name[0] == '\0') return err;
  // Reopen to reach the bind itself rather than the directory under it.
  *op = Op::kOpen;
  target = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (target < 0) return errno;
  FdPath(target, fd_path);
  *op = Op::kRemount;
  const unsigned long remount =
      MS_REMOUNT | MS_BIND | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) |
      (LockedMountFlags(source) & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
  err = mount(nullptr, fd_path, nullptr, remount, nullptr) == 0 ? 0 : errno;
  close(target);
  return err;
}

}  // namespace

void MountCgroup(const ChildPlan& plan, int index, int root_fd) {
  const MountSpec& m = plan.spec->mounts[index];
  int op = 0;
  int fd = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kDirectory, &op);
  if (fd < 0) Fail(plan, index, static_cast<Op>(op), -fd);
  const std::vector<CgroupBindSpec>& binds = plan.spec->cgroup_binds;
  if (binds[0].name.empty()) {  // cgroup v2: the container's directory itself
    const char* source = binds[0].source.c_str();
    Op bind_op = Op::kNone;
    const int err = BindOne(fd, source, "", m.flags, &bind_op);
    if (err != 0) Fail(plan, index, bind_op, err);
    close(fd);
    fd = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kNone, &op);
    if (fd < 0) Fail(plan, index, static_cast<Op>(op), -fd);
    char fd_path[32];
    FdPath(fd, fd_path);
    const unsigned long remount =
        MS_REMOUNT | MS_BIND | (m.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) |
        (LockedMountFlags(source) & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
    if (mount(nullptr, fd_path, nullptr, remount, nullptr) != 0) {
      Fail(plan, index, Op::kRemount, errno);
    }
    close(fd);
    return;
  }
  char fd_path[32];
  FdPath(fd, fd_path);
  if (mount("cgroup", fd_path, "tmpfs", m.flags & kTmpfsFlags, "mode=755") !=
      0) {
    Fail(plan, index, Op::kMount, errno);
  }
  close(fd);
  const int dir = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kNone, &op);
  if (dir < 0) Fail(plan, index, static_cast<Op>(op), -dir);
  for (const CgroupBindSpec& bind : binds) {
    Op bind_op = Op::kNone;
    const int err =
        BindOne(dir, bind.source.c_str(), bind.name.c_str(), m.flags, &bind_op);
    if (err != 0) Fail(plan, index, bind_op, err);
  }
  close(dir);
}

}  // namespace shim
