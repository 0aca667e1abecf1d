#include "tests/testing/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/scoped_fd.h"
#include "tests/testing/temp_dir.h"

namespace ocitest {

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         const std::string& input,
                                         const std::vector<std::string>& env) {
  if (argv.empty()) return absl::InvalidArgumentError("RunCommand: empty argv");
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  base::ScopedFd in_r(in_pipe[0]), in_w(in_pipe[1]);
  base::ScopedFd out_r(out_pipe[0]), out_w(out_pipe[1]);
  base::ScopedFd err_r(err_pipe[0]), err_w(err_pipe[1]);
  std::vector<char*> cargv = base::NullTerminated(argv);
  std::vector<char*> cenv = base::NullTerminated(env);

  pid_t pid = fork();
  if (pid < 0)
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    dup2(in_r.get(), 0);
    dup2(out_w.get(), 1);
    dup2(err_w.get(), 2);
    if (env.empty()) {
      execvp(cargv[0], cargv.data());
    } else {
      execvpe(cargv[0], cargv.data(), cenv.data());
    }
    _exit(127);
  }
  in_r.reset();
  out_w.reset();
  err_w.reset();

  // Feed stdin and drain both outputs together so a chatty child never
  // blocks on a full pipe. Stop at the child's exit rather than at EOF: a
  // container it left running in the background may hold the pipes open.
  base::ScopedFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) {
    return absl::InternalError(
        absl::StrCat("pidfd_open: ", std::strerror(errno)));
  }
  CommandResult result;
  size_t written = 0;
  if (input.empty()) in_w.reset();
  signal(SIGPIPE, SIG_IGN);
  bool exited = false;
  auto drain = [&](base::ScopedFd& fd, std::string& sink) {
    char buf[4096];
    ssize_t r = read(fd.get(), buf, sizeof(buf));
    if (r <= 0) {
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) return false;
      fd.reset();
      return false;
    }
    sink.append(buf, r);
    return true;
  };
  while (!exited && (out_r || err_r || in_w)) {
    struct pollfd fds[4];
    int n = 0;
    fds[n++] = {pidfd.get(), POLLIN, 0};
    if (in_w) fds[n++] = {in_w.get(), POLLOUT, 0};
    if (out_r) fds[n++] = {out_r.get(), POLLIN, 0};
    if (err_r) fds[n++] = {err_r.get(), POLLIN, 0};
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == pidfd.get()) {
        exited = true;
      } else if (in_w && fds[i].fd == in_w.get()) {
        ssize_t w =
            write(in_w.get(), input.data() + written, input.size() - written);
        if (w <= 0 || (written += w) == input.size()) in_w.reset();
      } else if (out_r && fds[i].fd == out_r.get()) {
        drain(out_r, result.out);
      } else if (err_r && fds[i].fd == err_r.get()) {
        drain(err_r, result.err);
      }
    }
  }
  // Whatever the child wrote before exiting is already in the pipes.
  for (base::ScopedFd* fd : {&out_r, &err_r}) {
    if (!*fd) continue;
    fcntl(fd->get(), F_SETFL, O_NONBLOCK);
    std::string& sink = fd == &out_r ? result.out : result.err;
    while (*fd && drain(*fd, sink)) {
    }
  }
  in_w.reset();
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("waitpid: ", std::strerror(errno)));
    }
  }
  result.exit_code =
      WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  return result;
}

long BlockedIn(pid_t pid) {
  absl::StatusOr<std::string> text =
      ReadFile(absl::StrCat("/proc/", pid, "/syscall"));
  long nr = -1;
  if (!text.ok()) return -1;
  std::vector<std::string> fields = absl::StrSplit(*text, ' ');
  if (fields.empty() || !absl::SimpleAtoi(fields[0], &nr)) return -1;
  return nr;
}

}  // namespace ocitest
