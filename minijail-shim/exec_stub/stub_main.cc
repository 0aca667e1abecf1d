// The exec stub (stub_abi.h says what it is for and how it is called): a
// program without a C library, a few hundred bytes of code, so that
// executing it costs a fraction of executing run_oci again. It marks its
// two fds close-on-exec and executes the program fd; on failure it sends
// one Report and exits. Raw system calls only, and only these four: it
// runs under the container's seccomp filter, which the caller has checked
// allows fcntl, execveat, write and exit_group without conditions.
#include <asm/unistd.h>
#include <linux/fcntl.h>

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

[[noreturn]] void Fail(int report_fd, int stage, long err, int tag) {
  Report report;
  report.magic = shim::exec_stub::kReportMagic;
  report.stage = stage;
  report.err = static_cast<int>(err);
  report.tag = tag;
  if (report_fd >= 0) {
    Syscall3(__NR_write, report_fd, reinterpret_cast<long>(&report),
             sizeof(report));
  }
  Exit(shim::exec_stub::kFailureExit);
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
  // Anything else (run as some file's ELF interpreter, say) executes
  // nothing.
  if (argc <= shim::exec_stub::kFirstProgramArg ||
      !SameString(argv[0], shim::exec_stub::kArgv0) ||
      !ParseInt(argv[1], &program_fd) || !ParseInt(argv[2], &report_fd) ||
      !ParseInt(argv[3], &tag)) {
    Fail(-1, shim::exec_stub::kArguments, 22 /* EINVAL */, 0);
  }
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
