// The exec stub (stub_abi.h says what it is for and how it is called): a
// program without a C library, a few hundred bytes of code, so that
// executing it costs a fraction of executing run_oci again. It marks its
// two fds close-on-exec and executes the program fd; on failure it sends
// one Report and exits. In kForkMode it first forks and reports the
// fork's pid, and the fork goes on. Raw system calls only: it runs under
// the container's seccomp filter, which the caller has checked allows
// each of them without conditions (shim::SeccompAllowsExecStub).
#include <asm/ioctls.h>
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/signal.h>

#include "minijail-shim/exec_stub/stub_abi.h"

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "the exec stub supports x86_64 and aarch64"
#endif

namespace {

using shim::exec_stub::Report;

#if defined(__x86_64__)
long Syscall5(long nr, long a, long b, long c, long d, long e) {
  long ret;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
               : "rcx", "r11", "memory");
  return ret;
}
#else
long Syscall5(long nr, long a, long b, long c, long d, long e) {
  register long x8 asm("x8") = nr;
  register long x0 asm("x0") = a;
  register long x1 asm("x1") = b;
  register long x2 asm("x2") = c;
  register long x3 asm("x3") = d;
  register long x4 asm("x4") = e;
  asm volatile("svc #0"
               : "+r"(x0)
               : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
               : "memory");
  return x0;
}
#endif

long Syscall3(long nr, long a, long b, long c) {
  return Syscall5(nr, a, b, c, 0, 0);
}

[[noreturn]] void Exit(int status) {
  for (;;) Syscall3(__NR_exit_group, status, 0, 0);
}

bool SameString(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

// A non-negative decimal int, nothing else.
bool ParseInt(const char* s, int* out) {
  if (*s == '\0') return false;
  long value = 0;
  for (; *s != '\0'; ++s) {
    if (*s < '0' || *s > '9') return false;
    value = value * 10 + (*s - '0');
    if (value > 0x7fffffff) return false;
  }
  *out = static_cast<int>(value);
  return true;
}

void Send(int report_fd, int stage, long err, int tag, int value) {
  Report report;
  report.magic = shim::exec_stub::kReportMagic;
  report.stage = stage;
  report.err = static_cast<int>(err);
  report.tag = tag;
  report.value = value;
  if (report_fd >= 0) {
    Syscall3(__NR_write, report_fd, reinterpret_cast<long>(&report),
             sizeof(report));
  }
}

[[noreturn]] void Fail(int report_fd, int stage, long err, int tag) {
  Send(report_fd, stage, err, tag, 0);
  Exit(shim::exec_stub::kFailureExit);
}

// kForkMode: returns in the fork; the stub itself reports and exits.
void Fork(int report_fd, int tag, int mode) {
  long ret = Syscall3(__NR_prctl, PR_SET_DUMPABLE, 0, 0);
  if (ret < 0) Fail(report_fd, shim::exec_stub::kFork, -ret, tag);
  // The exit signal of a CLONE_PARENT child is the caller's own.
  ret = Syscall5(__NR_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
  if (ret < 0) Fail(report_fd, shim::exec_stub::kFork, -ret, tag);
  if (ret > 0) {
    Send(report_fd, shim::exec_stub::kForked, 0, tag, static_cast<int>(ret));
    Exit(0);
  }
  if ((mode & shim::exec_stub::kTakeTerminalMode) != 0) {
    ret = Syscall3(__NR_setsid, 0, 0, 0);
    if (ret >= 0) ret = Syscall3(__NR_ioctl, 0, TIOCSCTTY, 0);
    if (ret < 0) Fail(report_fd, shim::exec_stub::kTerminal, -ret, tag);
  }
}

}  // namespace

// Called from _start with the initial stack: argc, argv..., 0, envp..., 0.
extern "C" [[noreturn]] __attribute__((used)) void StubMain(long* sp) {
  const long argc = sp[0];
  char** argv = reinterpret_cast<char**>(sp + 1);
  char** envp = argv + argc + 1;
  int program_fd = -1;
  int report_fd = -1;
  int tag = 0;
  int mode = 0;
  // Anything else (run as some file's ELF interpreter, say) executes
  // nothing.
  if (argc <= shim::exec_stub::kFirstProgramArg ||
      !SameString(argv[0], shim::exec_stub::kArgv0) ||
      !ParseInt(argv[1], &program_fd) || !ParseInt(argv[2], &report_fd) ||
      !ParseInt(argv[3], &tag) || !ParseInt(argv[4], &mode)) {
    Fail(-1, shim::exec_stub::kArguments, 22 /* EINVAL */, 0);
  }
  if ((mode & shim::exec_stub::kForkMode) != 0) Fork(report_fd, tag, mode);
  const int fds[] = {report_fd, program_fd};
  for (int fd : fds) {
    const long ret = Syscall3(__NR_fcntl, fd, F_SETFD, FD_CLOEXEC);
    if (ret < 0) Fail(report_fd, shim::exec_stub::kCloseOnExec, -ret, tag);
  }
  const long ret =
      Syscall5(__NR_execveat, program_fd, reinterpret_cast<long>(""),
               reinterpret_cast<long>(argv + shim::exec_stub::kFirstProgramArg),
               reinterpret_cast<long>(envp), AT_EMPTY_PATH);
  Fail(report_fd, shim::exec_stub::kExecveat, -ret, tag);
}

// The entry point: hands the initial stack pointer to StubMain with the
// stack aligned as the ABI wants for a call.
#if defined(__x86_64__)
asm(".text\n"
    ".global _start\n"
    "_start:\n"
    "  xor %rbp, %rbp\n"
    "  mov %rsp, %rdi\n"
    "  and $-16, %rsp\n"
    "  call StubMain\n"
    "  hlt\n");
#else
asm(".text\n"
    ".global _start\n"
    "_start:\n"
    "  mov x29, #0\n"
    "  mov x30, #0\n"
    "  mov x0, sp\n"
    "  bl StubMain\n"
    "  brk #0\n");
#endif
