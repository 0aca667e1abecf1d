#include "run_oci/termination_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace run_oci {
namespace {

constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
constexpr int kSignalCount = sizeof(kSignals) / sizeof(kSignals[0]);

// Written by the main thread, read by the handler (which runs on it too).
volatile sig_atomic_t g_owner = 0;  // run_oci's pid
volatile sig_atomic_t g_abort_signal = 0;
volatile sig_atomic_t g_forward_pidfd = -1;
volatile sig_atomic_t g_hook_pidfd = -1;
bool g_active = false;
bool g_supervised = false;
struct sigaction g_previous[kSignalCount];
bool g_installed[kSignalCount];

// <linux/pidfd.h> of Linux 6.9; Debian 12's headers predate it.
constexpr unsigned kPidfdSignalProcessGroup = 1u << 2;

void SignalPidfd(int pidfd, int signal, unsigned flags = 0) {
  syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, flags);
}

// The hook and, if it leads one, its process group: the group is the one
// whose id is the pidfd's pid, pinned by the pidfd, so a recycled number
// never redirects it, and a hook that leads no group has nothing there.
void KillHook(int pidfd) {
  SignalPidfd(pidfd, SIGKILL);
  SignalPidfd(pidfd, SIGKILL, kPidfdSignalProcessGroup);
}

void ClosePidfd(volatile sig_atomic_t* slot) {
  const int previous = *slot;
  *slot = -1;
  if (previous >= 0) close(previous);
}

// Async-signal-safe: getpid, signal, raise, kill and pidfd_send_signal only.
void OnTerminationSignal(int signal) {
  const int saved_errno = errno;
  if (getpid() != g_owner) {
    // A process cloned from run_oci that has not reached execve yet (the
    // container's init waiting to be started, a hook being spawned): take
    // the default action, as without this handler.
    ::signal(signal, SIG_DFL);
    raise(signal);
  } else if (const int target = g_forward_pidfd; target >= 0) {
    SignalPidfd(target, signal);
  } else {
    if (g_abort_signal == 0) g_abort_signal = signal;
    const int hook = g_hook_pidfd;
    if (hook >= 0) KillHook(hook);
  }
  errno = saved_errno;
}

}  // namespace

void HandleTerminationDuringSetup() {
  g_owner = getpid();
  g_abort_signal = 0;
  struct sigaction action = {};
  action.sa_handler = OnTerminationSignal;
  // SA_RESTART: the setup's own system calls go on; what can block for long
  // (a hook) is ended by SIGKILLing it.
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int i = 0; i < kSignalCount; ++i) {
    g_installed[i] = false;
    if (g_supervised && kSignals[i] == SIGHUP) continue;
    if (sigaction(kSignals[i], nullptr, &g_previous[i]) != 0 ||
        g_previous[i].sa_handler == SIG_IGN) {
      continue;
    }
    g_installed[i] = sigaction(kSignals[i], &action, nullptr) == 0;
  }
  g_active = true;
}

int SetupAbortSignal() { return g_abort_signal; }

absl::Status CheckSetupNotAborted(const std::string& id) {
  const int signal = g_abort_signal;
  if (signal == 0) return absl::OkStatus();
  const char* name = sigabbrev_np(signal);
  return absl::CancelledError(absl::StrCat("container ", id,
                                           ": setup interrupted by SIG",
                                           name != nullptr ? name : "?"));
}

void WatchHook(int pidfd) {
  if (!g_active) return;
  const int copy = fcntl(pidfd, F_DUPFD_CLOEXEC, 3);
  const int previous = g_hook_pidfd;
  g_hook_pidfd = copy;
  if (previous >= 0) close(previous);
  // A request that came just before the hook started.
  if (copy >= 0 && g_abort_signal != 0) KillHook(copy);
}

void UnwatchHook() { ClosePidfd(&g_hook_pidfd); }

void ForwardTerminationTo(pid_t pid) {
  if (!g_active || g_supervised) return;
  // A pidfd, not the pid: the handler may run after the container's init
  // has been reaped, when its pid may name another process.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return;
  g_forward_pidfd = pidfd;
  // Set only before the line above, so each request is sent exactly once.
  const int pending = g_abort_signal;
  if (pending != 0) {
    g_abort_signal = 0;
    SignalPidfd(pidfd, pending);
  }
}

int RestoreTerminationHandling() {
  if (!g_active) return 0;
  for (int i = 0; i < kSignalCount; ++i) {
    if (g_installed[i]) sigaction(kSignals[i], &g_previous[i], nullptr);
    g_installed[i] = false;
  }
  // Read after the old handlers are back: a later request goes to them.
  const int pending = g_abort_signal;
  ClosePidfd(&g_forward_pidfd);
  g_abort_signal = 0;
  UnwatchHook();
  g_active = false;
  return pending;
}

void LeaveTerminationRequestsToSupervisor() { g_supervised = true; }

}  // namespace run_oci
