#include "minijail-shim/dev.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>

#include "minijail-shim/mounts.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

// Indexes into the names sync_pipe.cc prints for Step::kDefaultDev.
enum DevIndex {
  kDevDir = 0,
  kFirstNode = 1,  // null .. tty
  kPts = 7,
  kShm = 8,
  kMqueue = 9,
  kFirstLink = 10,  // fd, stdin, stdout, stderr, ptmx
};

struct DefaultNode {
  const char* name;
  unsigned int major;
  unsigned int minor;
};
constexpr DefaultNode kNodes[] = {{"null", 1, 3},    {"zero", 1, 5},
                                  {"full", 1, 7},    {"random", 1, 8},
                                  {"urandom", 1, 9}, {"tty", 5, 0}};

struct DefaultLink {
  const char* name;
  const char* target;
};
constexpr DefaultLink kLinks[] = {{"fd", "/proc/self/fd"},
                                  {"stdin", "/proc/self/fd/0"},
                                  {"stdout", "/proc/self/fd/1"},
                                  {"stderr", "/proc/self/fd/2"},
                                  {"ptmx", "pts/ptmx"}};

[[noreturn]] void Fail(const ChildPlan& plan, Step step, int index, Op op,
                       int err) {
  ChildFail(plan.sync_fd, step, index, op, err);
}

// mknod(2) needs CAP_MKNOD in the initial user namespace; in a new one the
// host's node is bound onto an empty file instead. Returns 0 or errno, with
// *op set.
int MakeNode(const ChildPlan& plan, int dir_fd, const char* name, mode_t mode,
             dev_t dev, const char* host_path, Op* op) {
  if (!plan.new_user_ns || S_ISFIFO(mode)) {
    *op = Op::kMknod;
    if (mknodat(dir_fd, name, mode, dev) == 0) return 0;
    if (errno != EEXIST) return errno;
    // The spec's node replaces what is there (a default one, say).
    if (unlinkat(dir_fd, name, 0) != 0) return errno;
    return mknodat(dir_fd, name, mode, dev) == 0 ? 0 : errno;
  }
  *op = Op::kCreateFile;
  int f =
      openat(dir_fd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (f < 0) return errno;
  close(f);
  *op = Op::kOpen;
  int target = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0) return errno;
  char fd_path[32];
  FdPath(target, fd_path);
  *op = Op::kMount;
  int rc = mount(host_path, fd_path, nullptr, MS_BIND, nullptr);
  int err = errno;
  close(target);
  if (rc != 0) return err;
  // Like crun: the bound node is nosuid,noexec (a device needs neither).
  *op = Op::kOpen;
  target = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0) return errno;
  FdPath(target, fd_path);
  *op = Op::kRemount;
  rc = mount(nullptr, fd_path, nullptr,
             MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC |
                 (LockedMountFlags(host_path) & ~MS_NOATIME & ~MS_NODIRATIME),
             nullptr);
  err = errno;
  close(target);
  return rc == 0 ? 0 : err;
}

int MountAt(int dir_fd, const char* name, const char* fstype,
            unsigned long flags, const char* data) {
  if (mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST) return errno;
  int fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  char fd_path[32];
  FdPath(fd, fd_path);
  const int rc = mount(fstype, fd_path, fstype, flags, data);
  const int err = errno;
  close(fd);
  return rc == 0 ? 0 : err;
}

}  // namespace

void MakeDefaultDev(const ChildPlan& plan, int root_fd) {
  const Step step = Step::kDefaultDev;
  int op = 0;
  int fd = OpenInRoot(root_fd, "/dev", CreateMode::kDirectory, &op);
  if (fd < 0) Fail(plan, step, kDevDir, static_cast<Op>(op), -fd);
  char fd_path[32];
  FdPath(fd, fd_path);
  if (mount("tmpfs", fd_path, "tmpfs", MS_NOSUID | MS_STRICTATIME,
            "mode=755,size=65536k") != 0) {
    Fail(plan, step, kDevDir, Op::kMount, errno);
  }
  close(fd);
  // The fresh tmpfs holds nothing a rootfs could have planted, so *at calls
  // on its root are safe from here on.
  const int dev = OpenInRoot(root_fd, "/dev", CreateMode::kNone, &op);
  if (dev < 0) Fail(plan, step, kDevDir, static_cast<Op>(op), -dev);
  PopulateDev(plan, dev);
  close(dev);
}

void PopulateDev(const ChildPlan& plan, int dev) {
  const Step step = Step::kDefaultDev;
  char host_path[32];
  for (size_t i = 0; i < sizeof(kNodes) / sizeof(kNodes[0]); ++i) {
    memcpy(host_path, "/dev/", 5);
    strncpy(host_path + 5, kNodes[i].name, sizeof(host_path) - 6);
    host_path[sizeof(host_path) - 1] = '\0';
    Op node_op = Op::kNone;
    const int err = MakeNode(plan, dev, kNodes[i].name, S_IFCHR | 0666,
                             makedev(kNodes[i].major, kNodes[i].minor),
                             host_path, &node_op);
    if (err != 0)
      Fail(plan, step, kFirstNode + static_cast<int>(i), node_op, err);
  }
  int err = plan.spec_mounts_dev_pts
                ? 0
                : MountAt(dev, "pts", "devpts", MS_NOSUID | MS_NOEXEC,
                          "newinstance,ptmxmode=0666,mode=0620");
  if (err != 0) Fail(plan, step, kPts, Op::kMount, err);
  err = plan.spec_mounts_dev_shm
            ? 0
            : MountAt(dev, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      "mode=1777,size=65536k");
  if (err != 0) Fail(plan, step, kShm, Op::kMount, err);
  err = plan.spec_mounts_dev_mqueue
            ? 0
            : MountAt(dev, "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      nullptr);
  // mqueue needs privilege over the IPC namespace; a user-namespaced
  // container sharing the host's IPC namespace simply has no /dev/mqueue.
  if (err != 0 && !(err == EPERM && plan.new_user_ns && !plan.new_ipc_ns)) {
    Fail(plan, step, kMqueue, Op::kMount, err);
  }
  for (size_t i = 0; i < sizeof(kLinks) / sizeof(kLinks[0]); ++i) {
    if (symlinkat(kLinks[i].target, dev, kLinks[i].name) != 0) {
      Fail(plan, step, kFirstLink + static_cast<int>(i), Op::kSymlink, errno);
    }
  }
}

void MakeDevices(const ChildPlan& plan, int root_fd) {
  const JailSpec& spec = *plan.spec;
  char dir[PATH_MAX];
  for (size_t i = 0; i < spec.devices.size(); ++i) {
    const DeviceSpec& d = spec.devices[i];
    const int index = static_cast<int>(i);
    const size_t len = d.path.size();
    if (len >= sizeof(dir))
      Fail(plan, Step::kDevices, index, Op::kNone, ENAMETOOLONG);
    memcpy(dir, d.path.c_str(), len + 1);
    char* slash = strrchr(dir, '/');
    if (slash == nullptr || slash[1] == '\0') {
      Fail(plan, Step::kDevices, index, Op::kNone, EINVAL);
    }
    *slash = '\0';
    const char* name = slash + 1;
    int op = 0;
    const int dir_fd =
        OpenInRoot(root_fd, dir[0] ? dir : "/", CreateMode::kDirectory, &op);
    if (dir_fd < 0)
      Fail(plan, Step::kDevices, index, static_cast<Op>(op), -dir_fd);
    Op node_op = Op::kNone;
    int err =
        MakeNode(plan, dir_fd, name, d.mode, d.dev, d.path.c_str(), &node_op);
    if (err != 0) Fail(plan, Step::kDevices, index, node_op, err);
    if (node_op == Op::kMknod &&
        fchownat(dir_fd, name, d.uid, d.gid, AT_SYMLINK_NOFOLLOW) != 0) {
      Fail(plan, Step::kDevices, index, Op::kChown, errno);
    }
    close(dir_fd);
  }
}

}  // namespace shim
