#include "minijail-shim/console.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "minijail-shim/base/decimal.h"
#include "minijail-shim/base/fd_passing.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

[[noreturn]] void Fail(const ChildPlan& plan, Op op, int err) {
  ChildFail(plan.sync_fd, Step::kConsole, -1, op, err);
}

// "/dev/pts/<n>" into `out` without allocating; returns its length.
size_t SlavePath(unsigned int n, char (&out)[32]) {
  static const char kPrefix[] = "/dev/pts/";
  size_t len = sizeof(kPrefix) - 1;
  memcpy(out, kPrefix, len);
  return len + base::WriteDecimal(n, out + len);
}

void SendMaster(const ChildPlan& plan, int master, const char* name,
                size_t name_len) {
  if (base::SendWithFd(plan.spec->console_socket_fd, name, name_len, master) <
      0) {
    Fail(plan, Op::kWrite, errno);
  }
}

// CVE-2025-52565: an image's /dev (bound from one of its directories) can
// make ptmx, pts or console links to any file. The master comes from the
// devpts mounted at /dev/pts itself: /dev/pts reached without crossing a
// symlink and checked to be devpts, whose entries only the kernel makes,
// and its ptmx checked to be the 5:2 multiplexer. /dev/ptmx and
// /dev/console are never looked at.
int OpenPtyMaster(const ChildPlan& plan) {
  const int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) Fail(plan, Op::kOpen, errno);
  int op = 0;
  const int pts =
      OpenInRootNoSymlinks(root, "/dev/pts", CreateMode::kNone, &op);
  if (pts < 0) Fail(plan, static_cast<Op>(op), -pts);
  close(root);
  struct statfs fs;
  if (fstatfs(pts, &fs) != 0) Fail(plan, Op::kStatfs, errno);
  if (fs.f_type != DEVPTS_SUPER_MAGIC) Fail(plan, Op::kNotDevpts, 0);
  const int master =
      openat(pts, "ptmx", O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
  if (master < 0) Fail(plan, Op::kOpen, errno);
  close(pts);
  struct stat st;
  if (fstat(master, &st) != 0) Fail(plan, Op::kStat, errno);
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2)) {
    Fail(plan, Op::kNotPtyMaster, 0);
  }
  return master;
}

}  // namespace

void SetUpConsole(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (spec.console_socket_fd < 0) return;
  const int master = OpenPtyMaster(plan);
  int unlock = 0;
  unsigned int number = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) != 0 ||
      ioctl(master, TIOCGPTN, &number) != 0) {
    Fail(plan, Op::kSyscall, errno);
  }
  // The peer of this very master, without a path lookup in /dev/pts.
  const int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) Fail(plan, Op::kOpen, errno);
  if (fchown(slave, spec.uid, spec.gid) != 0) Fail(plan, Op::kChown, errno);
  if (spec.console_rows != 0 || spec.console_cols != 0) {
    struct winsize size = {};
    size.ws_row = spec.console_rows;
    size.ws_col = spec.console_cols;
    if (ioctl(slave, TIOCSWINSZ, &size) != 0) Fail(plan, Op::kSyscall, errno);
  }
  char name[32];
  const size_t name_len = SlavePath(number, name);
  SendMaster(plan, master, name, name_len);
  close(master);
  close(spec.console_socket_fd);
  // Where the exec stub forks the program, the fork takes the terminal:
  // this process's session would hang it up when it exits.
  if (!plan.stub_forks && (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0)) {
    Fail(plan, Op::kSyscall, errno);
  }
  for (int target = 0; target <= 2; ++target) {
    if (dup2(slave, target) < 0) Fail(plan, Op::kDup, errno);
  }
  if (slave > 2) close(slave);
}

}  // namespace shim
