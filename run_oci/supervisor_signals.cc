#include "run_oci/supervisor_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace run_oci {
namespace {

volatile sig_atomic_t g_owner = 0;
int g_pipe[2] = {-1, -1};

constexpr char kStopByte = 'S';
constexpr char kReloadByte = 'R';

// Async-signal-safe: getpid, signal, raise and write only.
void OnSupervisorSignal(int signal) {
  const int saved_errno = errno;
  if (getpid() != g_owner) {
    // A process cloned from run_oci before its execve: the default, as
    // without this handler (termination_signals.cc does the same).
    ::signal(signal, SIG_DFL);
    raise(signal);
  } else {
    const char byte = signal == SIGHUP ? kReloadByte : kStopByte;
    (void)!write(g_pipe[1], &byte, 1);
  }
  errno = saved_errno;
}

}  // namespace

absl::Status HandleSupervisorSignals() {
  if (g_pipe[0] >= 0) return absl::OkStatus();
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", strerror(errno)));
  }
  g_owner = getpid();
  struct sigaction action = {};
  action.sa_handler = OnSupervisorSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGQUIT, SIGHUP}) {
    struct sigaction previous;
    // Inherited as ignored (nohup): stays ignored, as termination_signals.
    if (sigaction(signal, nullptr, &previous) == 0 &&
        previous.sa_handler == SIG_IGN) {
      continue;
    }
    if (sigaction(signal, &action, nullptr) != 0) {
      return absl::InternalError(
          absl::StrCat("sigaction ", signal, ": ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

int SupervisorSignalFd() { return g_pipe[0]; }

SupervisorEvent TakeSupervisorRequest() {
  char byte;
  if (read(g_pipe[0], &byte, 1) != 1) return SupervisorEvent::kTimeout;
  return byte == kReloadByte ? SupervisorEvent::kReload
                             : SupervisorEvent::kStop;
}

void RequestSupervisorStop() {
  const char byte = kStopByte;
  (void)!write(g_pipe[1], &byte, 1);
}

}  // namespace run_oci
