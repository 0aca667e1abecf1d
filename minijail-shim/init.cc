#include "minijail-shim/init.h"

#include <errno.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shim {

void BlockAllSignals(sigset_t* saved) {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, saved);
}

void RunInit(pid_t program) {
  // Issue 13: the init needs no fd (signals and waitpid), and one it kept
  // would outlive the program: the sync socket, keep_fds meant for the
  // program (a pipe's writer that never closes), anything still inherited.
  // close_range already worked in this process (child_fds.cc).
  syscall(SYS_close_range, STDERR_FILENO + 1, ~0U, 0);
  sigset_t all;
  sigfillset(&all);
  int program_status = 0;
  bool program_done = false;
  for (;;) {
    siginfo_t info;
    const int sig = sigwaitinfo(&all, &info);
    if (sig < 0) {
      if (errno == EINTR) continue;
      _exit(127);
    }
    if (sig != SIGCHLD) {
      // Everything else is meant for the program (SIGTERM, SIGINT, SIGHUP,
      // SIGUSR1/2, SIGQUIT, SIGWINCH, ...).
      kill(program, sig);
      continue;
    }
    for (;;) {
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid == program) {
        program_status = status;
        program_done = true;
      }
    }
    if (program_done) break;
  }
  if (WIFSIGNALED(program_status)) _exit(128 + WTERMSIG(program_status));
  _exit(WEXITSTATUS(program_status));
}

}  // namespace shim
