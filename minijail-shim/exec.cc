#include "minijail-shim/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "minijail-shim/base/decimal.h"
#include "minijail-shim/child.h"
#include "minijail-shim/exec_stub/stub_abi.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

bool SpaceTab(char c) { return c == ' ' || c == '\t'; }

// First index in [first, last] whose char is not a space or tab; -1: none.
int SkipSpaceTab(const char* buf, int first, int last) {
  for (int i = first; i <= last; ++i) {
    if (!SpaceTab(buf[i])) return i;
  }
  return -1;
}

// First index in [first, last] holding a space, a tab or NUL; -1: none.
int FindTerminator(const char* buf, int first, int last) {
  for (int i = first; i <= last; ++i) {
    if (SpaceTab(buf[i]) || buf[i] == '\0') return i;
  }
  return -1;
}

// The syscall was refused as such (no openat2/execveat in the kernel, or a
// seccomp profile without them), which says nothing about the file.
bool SyscallRefused(int err) { return err == ENOSYS || err == EPERM; }

// `path` (relative: from the cwd) without following magic links; an fd or
// -errno.
int OpenNoMagicLinks(const char* path, int flags) {
  struct open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_NO_MAGICLINKS;
  int fd;
  do {
    fd = static_cast<int>(
        syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how)));
  } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
  return fd < 0 ? -errno : fd;
}

// The first kShebangBufSize bytes (zero-padded) of the regular file `fd`
// names, read through `path` as long as it still names that file: the
// O_PATH fd itself cannot be read, and reopening it through /proc/self/fd
// is the magic link this file avoids. 0 or errno.
int ReadHead(const char* path, int fd, char* buf) {
  const int rfd = OpenNoMagicLinks(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (rfd < 0) return -rfd;
  struct stat exec_st, read_st;
  int err = 0;
  if (fstat(fd, &exec_st) != 0 || fstat(rfd, &read_st) != 0) {
    err = errno;
  } else if (!S_ISREG(read_st.st_mode) || exec_st.st_dev != read_st.st_dev ||
             exec_st.st_ino != read_st.st_ino) {
    err = ENOENT;  // replaced since the exec attempt
  }
  memset(buf, 0, kShebangBufSize);
  if (err == 0 && pread(rfd, buf, kShebangBufSize, 0) < 0) err = errno;
  close(rfd);
  return err;
}

struct Attempt {
  int err = ENOENT;
  Op op = Op::kExecve;
  int depth = 0;  // 0: the candidate itself, n: its n-th #! interpreter
};

Attempt Failed(int err, Op op, int depth) { return Attempt{err, op, depth}; }

// The fallback when openat2/execveat are refused (see exec.h).
Attempt PlainExecve(const char* file, char* const* argv, char* const* envp,
                    int depth) {
  execve(file, argv, envp);
  return Failed(errno, Op::kExecve, depth);
}

// Puts the kernel's script argv into plan.script_argv: argv[0] replaced by
// the script's path, then the optional argument and the interpreter in
// front. *base is the first slot in use (argv copied to the end at depth 0).
char* const* PushInterpreter(const ChildPlan& plan, int depth,
                             const char* script, char* interp, char* arg,
                             size_t* base) {
  char** slots = plan.script_argv.data();
  if (depth == 0) {
    const size_t count = plan.argv.size();  // with its nullptr
    *base = plan.script_argv.size() - count;
    memcpy(slots + *base, plan.argv.data(), count * sizeof(char*));
  }
  slots[*base] = const_cast<char*>(script);
  if (arg != nullptr) slots[--*base] = arg;
  slots[--*base] = interp;
  return slots + *base;
}

enum class Mode {
  kExec,   // execveat: returns only on failure
  kCheck,  // what execveat would say, as far as can be told without it
  kStub,   // kCheck's walk, then the binary it found through the exec stub
};

// execveat's answer for `fd`; in kCheck mode 0 for a regular file we may
// execute (faccessat2; a kernel or profile without it is not asked).
int TryFile(int fd, char* const* argv, char* const* envp, Mode mode) {
  if (mode == Mode::kExec) {
    syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
    return errno;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) return errno;
  if (!S_ISREG(st.st_mode)) return EACCES;
  if (syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH) != 0 &&
      !SyscallRefused(errno)) {
    return errno;
  }
  return 0;
}

// A non-negative number in `buf` (12 bytes); returns buf.
char* FormatNumber(unsigned int value, char* buf) {
  base::WriteDecimal(value, buf);
  return buf;
}

// The stub's argv (exec_stub/stub_abi.h) in plan.script_argv, in front of
// `argv`: plan.argv (copied to the end first) or a script's argv already
// there, which PushInterpreter left at least kFirstProgramArg slots above
// the start.
char* const* StubArgv(const ChildPlan& plan, char* const* argv, int fd,
                      int depth) {
  char** slots = plan.script_argv.data();
  const size_t size = plan.script_argv.size();
  size_t base;
  if (argv >= slots && argv < slots + size) {
    base = static_cast<size_t>(argv - slots);
  } else {
    const size_t count = plan.argv.size();  // with its nullptr
    base = size - count;
    memcpy(slots + base, plan.argv.data(), count * sizeof(char*));
  }
  base -= exec_stub::kFirstProgramArg;
  slots[base] = const_cast<char*>(exec_stub::kArgv0);
  slots[base + 1] = FormatNumber(fd, plan.stub_numbers[0]);
  slots[base + 2] = FormatNumber(plan.sync_fd, plan.stub_numbers[1]);
  slots[base + 3] = FormatNumber(depth, plan.stub_numbers[2]);
  int mode = 0;
  if (plan.stub_forks) {
    mode = exec_stub::kForkMode;
    if (plan.spec->console_socket_fd >= 0) mode |= exec_stub::kTakeTerminalMode;
  }
  slots[base + 4] = FormatNumber(mode, plan.stub_numbers[3]);
  return slots + base;
}

// Executes the stub, which executes `fd` with `argv`; returns only on
// failure. The program's fd and the sync socket have to survive the
// stub's own execve; the stub makes both close-on-exec again.
Attempt ExecThroughStub(const ChildPlan& plan, int fd, char* const* argv,
                        char* const* envp, int depth) {
  if (fcntl(fd, F_SETFD, 0) != 0 || fcntl(plan.sync_fd, F_SETFD, 0) != 0) {
    return Failed(errno, Op::kSyscall, depth);
  }
  syscall(SYS_execveat, plan.spec->exec_stub_fd, "",
          StubArgv(plan, argv, fd, depth), envp, AT_EMPTY_PATH);
  return Failed(errno, Op::kExecve, depth);
}

// One PATH candidate and its #! interpreters. err 0 only in kCheck mode.
Attempt ExecCandidate(const ChildPlan& plan, const char* path, Mode mode) {
  char heads[kMaxScriptDepth + 1][kShebangBufSize];
  char* const* argv = plan.argv.data();
  char* const* envp = plan.envp.data();
  const char* file = path;
  size_t base = 0;
  for (int depth = 0;; ++depth) {
    const int fd = OpenNoMagicLinks(file, O_PATH);
    if (fd < 0 && SyscallRefused(-fd)) {
      if (mode == Mode::kCheck) return Failed(0, Op::kNone, depth);
      // A plain execve would follow magic links from run_oci's own binary.
      if (mode == Mode::kStub) return Failed(-fd, Op::kOpen, depth);
      return PlainExecve(file, argv, envp, depth);
    }
    if (fd < 0) return Failed(-fd, Op::kOpen, depth);
    const int err = TryFile(fd, argv, envp, mode);
    if (mode == Mode::kExec && SyscallRefused(err)) {
      close(fd);
      return PlainExecve(file, argv, envp, depth);
    }
    // execveat's ENOENT also stands for "a #! script through a
    // close-on-exec fd"; a check looks at every executable file.
    const bool look = mode == Mode::kExec ? err == ENOENT : err == 0;
    const int read_err = look ? ReadHead(file, fd, heads[depth]) : EIO;
    if (!look) {
      close(fd);
      return Failed(err, Op::kExecve, depth);
    }
    if (read_err != 0 || heads[depth][0] != '#' || heads[depth][1] != '!') {
      // Not a script (or unreadable, as an execute-only binary): the
      // stub's to execute; else a real ENOENT, or a check that found a
      // binary.
      if (mode == Mode::kStub)
        return ExecThroughStub(plan, fd, argv, envp, depth);
      close(fd);
      return Failed(mode == Mode::kExec ? ENOENT : 0, Op::kExecve, depth);
    }
    close(fd);
    if (depth == kMaxScriptDepth) return Failed(ELOOP, Op::kExecve, depth);
    char* interp = nullptr;
    char* arg = nullptr;
    if (ParseShebang(heads[depth], &interp, &arg) != 0) {
      return Failed(ENOEXEC, Op::kExecve, depth);
    }
    argv = PushInterpreter(plan, depth, file, interp, arg, &base);
    file = interp;
  }
}

// execvp(3)'s walk over the candidates: ENOENT and ENOTDIR go on, EACCES
// is remembered, anything else (or, checking, success) stops.
Attempt WalkCandidates(const ChildPlan& plan, Mode mode) {
  Attempt result;
  for (const std::string& path : plan.exec_paths) {
    const Attempt a = ExecCandidate(plan, path.c_str(), mode);
    if (a.err == EACCES) {
      result = a;
    } else if (a.err != ENOENT && a.err != ENOTDIR) {
      return a;
    }
  }
  return result;
}

}  // namespace

int ParseShebang(char* buf, char** interp, char** arg) {
  *interp = nullptr;
  *arg = nullptr;
  constexpr int kLast = static_cast<int>(kShebangBufSize) - 1;
  if (buf[0] != '#' || buf[1] != '!') return ENOEXEC;
  // The line ends at '\n'; without one (a NUL first, or a line longer than
  // the buffer) it is cut at the buffer's end, but only if the interpreter
  // name ends inside it: a cut name would run some other program.
  int end = -1;
  for (int i = 0; i <= kLast && buf[i] != '\0'; ++i) {
    if (buf[i] == '\n') {
      end = i;
      break;
    }
  }
  if (end < 0) {
    const int name = SkipSpaceTab(buf, 2, kLast);
    if (name < 0 || FindTerminator(buf, name, kLast) < 0) return ENOEXEC;
    end = kLast;
  }
  while (SpaceTab(buf[end - 1])) --end;
  const int name = SkipSpaceTab(buf, 2, end);
  if (name < 0 || name == end) return ENOEXEC;
  // Everything after the name's first blank is one argument.
  const int sep = FindTerminator(buf, name, end);
  int arg_at = -1;
  if (sep >= 0 && buf[sep] != '\0') arg_at = SkipSpaceTab(buf, sep, end);
  buf[end] = '\0';
  if (sep >= 0) buf[sep] = '\0';
  *interp = buf + name;
  // As the kernel: a blank before trailing NULs makes an empty argument.
  if (arg_at >= 0) *arg = buf + arg_at;
  return 0;
}

void CheckProgram(const ChildPlan& plan) {
  const Attempt a = WalkCandidates(plan, Mode::kCheck);
  if (a.err != 0) ChildFail(plan.sync_fd, Step::kExec, a.depth, a.op, a.err);
}

void ExecProgram(const ChildPlan& plan) {
  const Attempt a = WalkCandidates(
      plan, plan.spec->exec_stub_fd >= 0 ? Mode::kStub : Mode::kExec);
  ChildFail(plan.sync_fd, Step::kExec, a.depth, a.op, a.err);
}

}  // namespace shim
