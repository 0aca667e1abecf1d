#include "minijail-shim/child_fds.h"

#include <errno.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "minijail-shim/child.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

void Keep(std::vector<KeptFd>* out, int fd, FdCheckpoint until) {
  if (fd > STDERR_FILENO) out->push_back(KeptFd{fd, until});
}

int CloseRange(unsigned int first, unsigned int last) {
  return static_cast<int>(syscall(SYS_close_range, first, last, 0));
}

}  // namespace

std::vector<KeptFd> ListKeptFds(const JailSpec& spec, const ChildPlan& plan) {
  std::vector<KeptFd> kept;
  // Not here, so closed at kStdio: the cgroup v1 tasks fds (JoinCgroups,
  // the child's first step), cgroup2_dir_fd (clone3 used it), the sources
  // of stdin/stdout/stderr (dup2'd onto 0/1/2), and every fd of the runtime.
  for (const NamespaceJoin& join : plan.joins) {
    Keep(&kept, join.fd, FdCheckpoint::kNamespaces);
  }
  for (const MountPlan& mount : plan.mounts) {
    Keep(&kept, mount.userns_fd, FdCheckpoint::kRoot);
  }
  Keep(&kept, spec.console_socket_fd, FdCheckpoint::kConsole);
  // Failures travel on the sync socket up to execve.
  Keep(&kept, plan.sync_fd, FdCheckpoint::kExec);
  // The start socket: accepted on after kReady; ChildAwaitStart closes it.
  Keep(&kept, spec.start_fd, FdCheckpoint::kExec);
  // The sealed stub the program is executed through (exec_stub.h).
  Keep(&kept, spec.exec_stub_fd, FdCheckpoint::kExec);
  // The state startContainer hooks read on stdin (start_hooks.h), filled
  // by the parent at kReady.
  Keep(&kept, plan.start_hooks_state_fd, FdCheckpoint::kExec);
  for (int fd : spec.keep_fds) Keep(&kept, fd, FdCheckpoint::kProgram);

  // One entry per fd, with the longest life any use asked for.
  std::sort(kept.begin(), kept.end(), [](const KeptFd& a, const KeptFd& b) {
    return a.fd != b.fd ? a.fd < b.fd : a.until > b.until;
  });
  kept.erase(std::unique(
                 kept.begin(), kept.end(),
                 [](const KeptFd& a, const KeptFd& b) { return a.fd == b.fd; }),
             kept.end());
  return kept;
}

void CloseFdsAt(const ChildPlan& plan, FdCheckpoint point) {
  // close_range over each gap between the fds still kept.
  unsigned int next = STDERR_FILENO + 1;
  for (const KeptFd& k : plan.kept_fds) {
    if (k.until <= point) continue;
    const unsigned int fd = static_cast<unsigned int>(k.fd);
    if (fd > next && CloseRange(next, fd - 1) != 0) {
      ChildFail(plan.sync_fd, Step::kFds, -1, Op::kSyscall, errno);
    }
    next = fd + 1;
  }
  if (CloseRange(next, ~0U) != 0) {
    ChildFail(plan.sync_fd, Step::kFds, -1, Op::kSyscall, errno);
  }
}

}  // namespace shim
