#include "libcontainer/criu.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libcontainer/criu_args.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/spawn.h"

namespace libcontainer {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// criu runs helpers (ip, iptables, modprobe) found through PATH.
std::vector<std::string> Environment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    env.emplace_back(*e);
  }
  return env;
}

bool IsExecutable(const std::string& path) {
  return access(path.c_str(), X_OK) == 0;
}

absl::StatusOr<CriuRun> Reap(pid_t pid, CriuRun run) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return base::ErrnoStatus(errno, "criu: waitpid");
  }
  run.exit_status =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace

absl::StatusOr<std::string> FindCriu() {
  const char* path_env = getenv("PATH");
  std::vector<std::string> dirs = absl::StrSplit(
      path_env != nullptr ? path_env : "", ':', absl::SkipEmpty());
  for (const char* sbin : {"/usr/local/sbin", "/usr/sbin", "/sbin"}) {
    dirs.push_back(sbin);
  }
  for (const std::string& dir : dirs) {
    if (dir[0] != '/') continue;  // a relative PATH entry is cwd-dependent
    std::string candidate = absl::StrCat(dir, "/criu");
    if (IsExecutable(candidate)) return candidate;
  }
  return absl::NotFoundError(
      "criu: not found in PATH or /usr/sbin (Debian's criu package "
      "provides it)");
}

absl::Status BindRootForCriu(const std::string& rootfs,
                             const std::string& target) {
  if (mount(rootfs.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC,
            nullptr) != 0) {
    return base::ErrnoStatus(
        errno, absl::StrCat("criu: bind ", rootfs, " at ", target));
  }
  return absl::OkStatus();
}

absl::StatusOr<CriuRun> RunCriu(const std::vector<std::string>& argv,
                                bool pass_stdio) {
  if (pass_stdio) {
    shim::SpawnSpec spec;
    spec.argv = argv;
    spec.env = Environment();
    spec.stdin_fd = STDIN_FILENO;
    spec.stdout_fd = STDOUT_FILENO;
    spec.stderr_fd = STDERR_FILENO;
    ASSIGN_OR_RETURN(pid_t pid, shim::Spawn(spec));
    return Reap(pid, CriuRun{});
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return base::ErrnoStatus(errno, "criu: pipe2");
  base::ScopedFd read_end(fds[0]);
  base::ScopedFd write_end(fds[1]);
  shim::SpawnSpec spec;
  spec.argv = argv;
  spec.env = Environment();
  spec.stdout_fd = write_end.get();
  spec.stderr_fd = write_end.get();
  ASSIGN_OR_RETURN(pid_t pid, shim::Spawn(spec));
  write_end.reset();
  CriuRun run;
  char buf[4096];
  while (true) {
    ssize_t n = read(read_end.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (run.output.size() < kMaxOutput) {
      run.output.append(buf, std::min(static_cast<size_t>(n),
                                      kMaxOutput - run.output.size()));
    }
  }
  return Reap(pid, std::move(run));
}

absl::Status CheckCriu(const std::string& criu) {
  ASSIGN_OR_RETURN(CriuRun run, RunCriu({criu, "check"}));
  if (run.exit_status == 0) return absl::OkStatus();
  std::string reason = CriuErrorReason(run.output);
  return absl::FailedPreconditionError(absl::StrCat(
      "criu check failed (", criu, " check, exit status ", run.exit_status,
      "): ", reason.empty() ? "no reason given" : reason));
}

}  // namespace libcontainer
