#include "minijail-shim/start_hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/sync_pipe.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace shim {
namespace {

constexpr int kHookExecFailedExit = 127;
constexpr int kChildFailExit = 126;

// The record and the hook's name in one SEQPACKET message: the start
// channel's reader (run_oci start) has no JailSpec to look the name up in;
// Jail::Start's reader takes the record and drops the rest.
void SendHookFailure(int fd, const StartHookSpec& hook, int index,
                     HookResult result, int value, Op op, int err) {
  ChildMsg msg;
  msg.kind = MsgKind::kFailure;
  msg.step = Step::kStartHooks;
  msg.index = index;
  msg.op = op;
  msg.err = err;
  msg.hook_result = result;
  msg.hook_value = value;
  struct iovec iov[2] = {
      {&msg, sizeof(msg)},
      {const_cast<char*>(hook.name.data()), hook.name.size()}};
  struct msghdr hdr;
  memset(&hdr, 0, sizeof(hdr));
  hdr.msg_iov = iov;
  hdr.msg_iovlen = 2;
  while (sendmsg(fd, &hdr, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void FailHook(int fd, const StartHookSpec& hook, int index,
                           HookResult result, int value, Op op, int err) {
  SendHookFailure(fd, hook, index, result, value, op, err);
  _exit(kChildFailExit);
}

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// The hook's process: its own group, the state on stdin, the container's
// stderr as stdout and stderr, nothing else inherited.
[[noreturn]] void ExecHook(const StartHookSpec& hook, const StartHookPlan& plan,
                           int index, int state_fd, int report_fd) {
  // Also done by the parent; whichever comes first makes the group exist
  // before the parent can time out and kill it.
  setpgid(0, 0);
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  // One open file shared by the hooks, read one after another: rewind it.
  if (lseek(state_fd, 0, SEEK_SET) != 0 || dup2(state_fd, 0) != 0) {
    SendHookFailure(report_fd, hook, index, HookResult::kSpawn, 0, Op::kDup,
                    errno);
    _exit(kHookExecFailedExit);
  }
  // A container started without a stderr: the hook keeps its stdout.
  if (dup2(2, 1) != 1 && errno != EBADF) {
    SendHookFailure(report_fd, hook, index, HookResult::kSpawn, 0, Op::kDup,
                    errno);
    _exit(kHookExecFailedExit);
  }
  // The program's keep_fds are not the hook's. Best effort: a seccomp
  // filter may refuse close_range, and what leaks is only what the
  // container's program gets anyway.
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(hook.path.c_str(), plan.argv.data(), plan.envp.data());
  // The report fd is close-on-exec: it is still open only here.
  SendHookFailure(report_fd, hook, index, HookResult::kSpawn, 0, Op::kExecve,
                  errno);
  _exit(kHookExecFailedExit);
}

// Waits for the hook behind `pidfd` until `timeout_s` (0: forever); false
// on timeout.
bool WaitForExit(int pidfd, int timeout_s, const StartHookSpec& hook, int index,
                 int report_fd) {
  const int64_t deadline = timeout_s > 0 ? NowMs() + timeout_s * 1000LL : 0;
  for (;;) {
    int wait_ms = -1;
    if (deadline != 0) {
      const int64_t left = deadline - NowMs();
      wait_ms = left > 0 ? static_cast<int>(left) : 0;
    }
    struct pollfd pfd = {pidfd, POLLIN, 0};
    const int n = poll(&pfd, 1, wait_ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) {
      FailHook(report_fd, hook, index, HookResult::kSpawn, 0, Op::kWait, errno);
    }
  }
}

// Runs hook `index`; returns only when it exited with status 0.
void RunOne(const JailSpec& spec, const std::vector<StartHookPlan>& plans,
            size_t index, int state_fd, int report_fd) {
  const StartHookSpec& hook = spec.start_hooks[index];
  const int i = static_cast<int>(index);
  int pidfd = -1;
  // A raw clone, as for the init: glibc's fork() runs atfork handlers. Not
  // clone3, which common seccomp profiles (Docker's, containerd's) answer
  // with ENOSYS.
  const long pid =
      syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, nullptr, 0);
  if (pid < 0) {
    FailHook(report_fd, hook, i, HookResult::kSpawn, 0, Op::kClone, errno);
  }
  if (pid == 0) ExecHook(hook, plans[index], i, state_fd, report_fd);
  setpgid(static_cast<pid_t>(pid), 0);
  if (!WaitForExit(pidfd, hook.timeout_seconds, hook, i, report_fd)) {
    // The hook and whatever it started in its group: our unreaped child's
    // pid cannot name another group. A child that left the group
    // (setsid) dies with the container, whose start now fails.
    kill(-static_cast<pid_t>(pid), SIGKILL);
    kill(static_cast<pid_t>(pid), SIGKILL);
    siginfo_t ignored;
    while (waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &ignored, WEXITED) <
               0 &&
           errno == EINTR) {
    }
    FailHook(report_fd, hook, i, HookResult::kTimedOut, hook.timeout_seconds,
             Op::kNone, 0);
  }
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  while (waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &info, WEXITED) != 0) {
    if (errno != EINTR) {
      FailHook(report_fd, hook, i, HookResult::kSpawn, 0, Op::kWait, errno);
    }
  }
  close(pidfd);
  if (info.si_code == CLD_EXITED && info.si_status == 0) return;
  if (info.si_code == CLD_EXITED) {
    FailHook(report_fd, hook, i, HookResult::kExited, info.si_status, Op::kNone,
             0);
  }
  FailHook(report_fd, hook, i, HookResult::kSignaled, info.si_status, Op::kNone,
           0);
}

}  // namespace

absl::Status ValidateStartHooks(const JailSpec& spec) {
  if (!spec.start_hooks.empty() && !spec.start_hooks_state) {
    return absl::InvalidArgumentError(
        "jail: start hooks: no state for their stdin");
  }
  for (const StartHookSpec& hook : spec.start_hooks) {
    if (hook.path.empty() || hook.path[0] != '/') {
      return absl::InvalidArgumentError(
          absl::StrCat(hook.name, ": path must be absolute"));
    }
    if (hook.argv.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(hook.name, ": no argv"));
    }
  }
  return absl::OkStatus();
}

std::vector<StartHookPlan> PlanStartHooks(const JailSpec& spec) {
  std::vector<StartHookPlan> plans(spec.start_hooks.size());
  for (size_t i = 0; i < spec.start_hooks.size(); ++i) {
    plans[i].argv = base::NullTerminated(spec.start_hooks[i].argv);
    plans[i].envp = base::NullTerminated(spec.start_hooks[i].env);
  }
  return plans;
}

absl::StatusOr<base::ScopedFd> MakeHookStateFile() {
  base::ScopedFd fd(static_cast<int>(
      memfd_create("oci-state", MFD_CLOEXEC | MFD_ALLOW_SEALING)));
  if (!fd) {
    return absl::InternalError(
        absl::StrCat("jail: start hooks: memfd_create: ", strerror(errno)));
  }
  if (fd.get() >= 3) return fd;
  base::ScopedFd moved(fcntl(fd.get(), F_DUPFD_CLOEXEC, 3));
  if (!moved) {
    return absl::InternalError(
        absl::StrCat("jail: start hooks: fcntl: ", strerror(errno)));
  }
  return moved;
}

absl::Status FillHookStateFile(int fd, absl::string_view state) {
  size_t done = 0;
  while (done < state.size()) {
    const ssize_t n = write(fd, state.data() + done, state.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::InternalError(
          absl::StrCat("jail: start hooks: write state: ", strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  if (fcntl(fd, F_ADD_SEALS,
            F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0) {
    return absl::InternalError(
        absl::StrCat("jail: start hooks: seal state: ", strerror(errno)));
  }
  return absl::OkStatus();
}

void RunStartHooks(const JailSpec& spec,
                   const std::vector<StartHookPlan>& hooks, int state_fd,
                   int report_fd) {
  for (size_t i = 0; i < spec.start_hooks.size(); ++i) {
    RunOne(spec, hooks, i, state_fd, report_fd);
  }
}

}  // namespace shim
