#include "minijail-shim/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/exec_format.h"

namespace shim {
namespace {

enum class SpawnStep : int { kStdio, kSetns, kExec, kProcessGroup };

struct SpawnFailure {
  SpawnStep step;
  int err;
  int index;  // into kNamespaces for kSetns
};

struct NsName {
  const char* name;
  int flag;
};
// User first: it grants the capabilities needed to enter the others.
constexpr NsName kNamespaces[] = {
    {"user", CLONE_NEWUSER},    {"mnt", CLONE_NEWNS},  {"uts", CLONE_NEWUTS},
    {"ipc", CLONE_NEWIPC},      {"net", CLONE_NEWNET}, {"pid", CLONE_NEWPID},
    {"cgroup", CLONE_NEWCGROUP}};

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

struct JoinFd {
  int fd;
  int flag;
  int index;
};

[[noreturn]] void ChildFailed(int fd, SpawnStep step, int err, int index) {
  SpawnFailure f{step, err, index};
  (void)!write(fd, &f, sizeof(f));
  _exit(127);
}

// What the child runs: a path (looked up by execve), or a file the parent
// opened in the runtime's namespaces (execveat).
struct Program {
  const char* path = nullptr;
  int fd = -1;
  bool is_script = false;
};

[[noreturn]] void RunSpawnChild(int err_fd, const int stdio[3],
                                const std::vector<JoinFd>& joins,
                                bool new_process_group, Program program,
                                char* const* argv, char* const* envp) {
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  // Before anything can fail: the parent's timeout kills the group.
  if (new_process_group && setpgid(0, 0) != 0) {
    ChildFailed(err_fd, SpawnStep::kProcessGroup, errno, 0);
  }
  if (program.fd >= 0 && program.fd < 3) {
    // Out of the way of the dup2s below.
    program.fd = fcntl(program.fd, F_DUPFD_CLOEXEC, 3);
    if (program.fd < 0) ChildFailed(err_fd, SpawnStep::kExec, errno, 0);
  }
  int moved[3];
  for (int i = 0; i < 3; ++i) {
    moved[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
    if (moved[i] < 0) ChildFailed(err_fd, SpawnStep::kStdio, errno, i);
  }
  for (int i = 0; i < 3; ++i) {
    if (dup2(moved[i], i) < 0) ChildFailed(err_fd, SpawnStep::kStdio, errno, i);
  }
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  for (const JoinFd& j : joins) {
    if (setns(j.fd, j.flag) != 0) {
      ChildFailed(err_fd, SpawnStep::kSetns, errno, j.index);
    }
  }
  if (program.fd < 0) {
    execve(program.path, argv, envp);
    ChildFailed(err_fd, SpawnStep::kExec, errno, 0);
  }
  // A script run from an fd is handed to its interpreter as /dev/fd/N,
  // which must then survive execve (the kernel refuses a close-on-exec one
  // with ENOENT).
  if (program.is_script && fcntl(program.fd, F_SETFD, 0) != 0) {
    ChildFailed(err_fd, SpawnStep::kExec, errno, 0);
  }
  syscall(SYS_execveat, program.fd, "", argv, envp, AT_EMPTY_PATH);
  ChildFailed(err_fd, SpawnStep::kExec, errno, 0);
}

// Opens the program of a namespace-joining spawn here, in the runtime's
// mount namespace (see spawn.h), and checks that running it loads nothing
// else by path from the container. The kernel resolves an ELF interpreter
// (PT_INTERP, the dynamic loader, which then opens the libraries) and a
// script's "#!" interpreter by path at execve time, in the caller's mount
// namespace and root: after setns that is the container's. For a mount
// namespace the container made itself, createContainer and prechroot
// hooks run before pivot_root, so its root is still a copy of the
// runtime's, and the config's mounts cannot reach outside the rootfs
// (their targets resolve inside it): the loader and libraries found there
// are the runtime's own. A joined mount namespace (linux.namespaces with a
// path) can have any root, e.g. another container's image: then only a
// statically linked program is safe, and anything else is refused.
absl::StatusOr<base::ScopedFd> OpenProgramInRuntimeNamespace(
    const std::string& prog, pid_t target, bool* is_script) {
  // O_PATH first: the path may lie under a rootfs, where an image can put
  // a FIFO (a blocking open) or a device node (an open with side effects).
  base::ScopedFd path_fd(open(prog.c_str(), O_PATH | O_CLOEXEC));
  struct stat st;
  if (!path_fd || fstat(path_fd.get(), &st) != 0) {
    const std::string text =
        absl::StrCat("spawn ", prog, ": open: ", strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(text)
                           : absl::InternalError(text);
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("spawn ", prog, ": not a regular file"));
  }
  // Readable for the headers; the same file, not a second lookup.
  base::ScopedFd fd(open(absl::StrCat("/proc/self/fd/", path_fd.get()).c_str(),
                         O_RDONLY | O_CLOEXEC));
  if (!fd) {
    return absl::InternalError(
        absl::StrCat("spawn ", prog, ": reopen: ", strerror(errno)));
  }
  absl::StatusOr<ExecInfo> info = ClassifyExecutable(fd.get());
  if (!info.ok()) {
    return absl::InternalError(
        absl::StrCat("spawn ", prog, ": ", info.status().message()));
  }
  *is_script = info->format == ExecFormat::kScript;
  if (info->format == ExecFormat::kStaticElf ||
      SameFile(absl::StrCat("/proc/", target, "/root"), "/")) {
    return fd;
  }
  const std::string what =
      info->format == ExecFormat::kDynamicElf ? "its ELF interpreter "
      : info->format == ExecFormat::kScript   ? "its #! interpreter "
                                              : "the loader of its format";
  return absl::FailedPreconditionError(absl::StrCat(
      "spawn ", prog, ": ", what, info->interpreter,
      " would be loaded from the root of process ", target,
      ", which is not the runtime's: only a statically linked program can "
      "run there"));
}

// The program's absolute path (SpawnSpec::path, else argv[0]).
absl::StatusOr<std::string> ProgramPath(const SpawnSpec& spec) {
  if (spec.argv.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("spawn ", spec.path, ": empty argv"));
  }
  const std::string& prog = spec.path.empty() ? spec.argv[0] : spec.path;
  if (prog.empty() || prog[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("spawn ", prog, ": program must be an absolute path"));
  }
  return prog;
}

// The namespaces of `target` that differ from ours, opened (`owned` keeps
// the fds) for the child to enter in kNamespaces' order.
absl::Status OpenNamespacesOf(pid_t target, const std::string& prog,
                              std::vector<base::ScopedFd>* owned,
                              std::vector<JoinFd>* joins) {
  for (size_t i = 0; i < sizeof(kNamespaces) / sizeof(kNamespaces[0]); ++i) {
    const std::string path =
        absl::StrCat("/proc/", target, "/ns/", kNamespaces[i].name);
    // Entering one's own user namespace is EINVAL; the others are
    // harmless no-ops but cost a syscall each, so skip every identical one.
    if (SameFile(path, absl::StrCat("/proc/self/ns/", kNamespaces[i].name))) {
      continue;
    }
    base::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      return absl::NotFoundError(
          absl::StrCat("spawn ", prog, ": open ", path, ": ", strerror(errno)));
    }
    joins->push_back({fd.get(), kNamespaces[i].flag, static_cast<int>(i)});
    owned->push_back(std::move(fd));
  }
  return absl::OkStatus();
}

// The step of a failure the child reported, for the message.
std::string FailedStep(const SpawnFailure& failure, const SpawnSpec& spec,
                       const Program& program) {
  switch (failure.step) {
    case SpawnStep::kStdio:
      return absl::StrCat("stdio fd ", failure.index);
    case SpawnStep::kSetns:
      return absl::StrCat("setns(", kNamespaces[failure.index].name, " of pid ",
                          spec.join_namespaces_of, ")");
    case SpawnStep::kExec:
      return program.fd >= 0 ? "execveat" : "execve";
    case SpawnStep::kProcessGroup:
      return "setpgid";
  }
  return "";
}

// Waits for the close-on-exec pipe: EOF is a successful execve, a
// SpawnFailure the reason the child gave up (it is reaped then).
absl::Status AwaitExec(pid_t pid, int err_read, const std::string& prog,
                       const SpawnSpec& spec, const Program& program) {
  SpawnFailure failure;
  ssize_t n;
  do {
    n = read(err_read, &failure, sizeof(failure));
  } while (n < 0 && errno == EINTR);
  if (n == 0) return absl::OkStatus();
  // The child failed (or the read did): it exits 127 on its own; reap it.
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof(failure))) {
    return absl::InternalError(
        absl::StrCat("spawn ", prog, ": reading the child's status failed"));
  }
  const std::string text =
      absl::StrCat("spawn ", prog, ": ", FailedStep(failure, spec, program),
                   ": ", strerror(failure.err));
  return failure.err == ENOENT ? absl::NotFoundError(text)
                               : absl::InternalError(text);
}

}  // namespace

absl::StatusOr<pid_t> Spawn(const SpawnSpec& spec) {
  ASSIGN_OR_RETURN(const std::string prog, ProgramPath(spec));
  std::vector<char*> argv = base::NullTerminated(spec.argv);
  std::vector<char*> envp = base::NullTerminated(spec.env);
  std::vector<base::ScopedFd> owned;
  std::vector<JoinFd> joins;
  Program program;
  program.path = prog.c_str();
  base::ScopedFd program_fd;
  if (spec.join_namespaces_of > 0) {
    RETURN_IF_ERROR(
        OpenNamespacesOf(spec.join_namespaces_of, prog, &owned, &joins));
    ASSIGN_OR_RETURN(
        program_fd, OpenProgramInRuntimeNamespace(prog, spec.join_namespaces_of,
                                                  &program.is_script));
    program.fd = program_fd.get();
  }
  base::ScopedFd dev_null(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!dev_null) {
    return absl::InternalError(
        absl::StrCat("spawn ", prog, ": open /dev/null: ", strerror(errno)));
  }
  const int stdio[3] = {spec.stdin_fd >= 0 ? spec.stdin_fd : dev_null.get(),
                        spec.stdout_fd >= 0 ? spec.stdout_fd : dev_null.get(),
                        spec.stderr_fd >= 0 ? spec.stderr_fd : dev_null.get()};
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(
        absl::StrCat("spawn ", prog, ": pipe2: ", strerror(errno)));
  }
  base::ScopedFd err_read(pipe_fds[0]);
  base::ScopedFd err_write(pipe_fds[1]);

  struct clone_args args;
  memset(&args, 0, sizeof(args));
  // The runtime's signal handlers mean nothing to the hook.
  args.flags = CLONE_CLEAR_SIGHAND;
  args.exit_signal = SIGCHLD;
  const long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid < 0) {
    return absl::InternalError(
        absl::StrCat("spawn ", prog, ": clone3: ", strerror(errno)));
  }
  if (pid == 0) {
    RunSpawnChild(err_write.get(), stdio, joins, spec.new_process_group,
                  program, argv.data(), envp.data());
  }
  // Also from here (whichever runs first): a kill(-pid) right after Spawn
  // returns must find the group. EACCES once the child has exec'd, by which
  // time it has done it itself.
  if (spec.new_process_group) setpgid(static_cast<pid_t>(pid), 0);
  err_write.reset();
  RETURN_IF_ERROR(
      AwaitExec(static_cast<pid_t>(pid), err_read.get(), prog, spec, program));
  return static_cast<pid_t>(pid);
}

}  // namespace shim
