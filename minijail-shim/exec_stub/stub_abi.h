// What run_oci's child and its exec stub (stub_main.cc) agree on.
// Freestanding: the stub is built without a C library, so this header
// includes nothing.
//
// The stub is the last program the child executes before the container's
// own (minijail-shim/exec_stub.h says when and why): the child, still
// run_oci's host binary, executes the stub from a sealed memfd and the stub
// executes the program. While the kernel loads the program (its ELF
// interpreter, a binfmt_misc handler) /proc/self/exe is then the stub's
// memfd, and no process of the container ever runs or names run_oci's
// binary (CVE-2019-5736).
#ifndef MINIJAIL_SHIM_EXEC_STUB_STUB_ABI_H_
#define MINIJAIL_SHIM_EXEC_STUB_STUB_ABI_H_

namespace shim {
namespace exec_stub {

// argv of the stub: {kArgv0, "<program fd>", "<report fd>", "<tag>",
// "<mode>", program argv...}, then the program's environment. The program
// fd is an O_PATH fd of the file to execute, the report fd the child's end
// of the sync socket; both without FD_CLOEXEC, so that they survive the
// stub's own execve, and the stub marks both close-on-exec before it
// executes the program: neither reaches it, and the program's execve ends
// the report fd's last reference (end of file for the reader). The tag (a
// decimal number) comes back in a failure report; the mode is a sum of
// Mode bits.
inline constexpr char kArgv0[] = "run_oci-exec";
inline constexpr int kFirstProgramArg = 5;

enum Mode : int {
  // The stub forks (CLONE_PARENT: a child of the runtime, in the pid
  // namespace the caller set for its children), reports the pid (kForked)
  // and exits; the fork executes the program. Made non-dumpable first, so
  // that the fork is too until its execve.
  kForkMode = 1,
  // With kForkMode: the fork becomes a session leader and takes stdin, a
  // terminal, as its controlling terminal (the stub's own session ends
  // with it).
  kTakeTerminalMode = 2,
};

// What the stub reports.
enum Stage : int {
  kArguments = 1,  // argv is not the stub's: nothing was executed
  kCloseOnExec,    // fcntl(F_SETFD, FD_CLOEXEC)
  kExecveat,       // execveat of the program fd
  kForked,         // not a failure: `value` is the fork's pid
  kFork,           // prctl(PR_SET_DUMPABLE) or clone
  kTerminal,       // setsid or TIOCSCTTY
};

// The one record the stub sends on the report fd: a failure, or kForked.
struct Report {
  int magic;
  int stage;  // Stage
  int err;    // errno
  int tag;
  int value;
};
inline constexpr int kReportMagic = 0x53545542;  // "STUB"

// The stub's exit status when it fails (a shell's "cannot execute").
inline constexpr int kFailureExit = 126;

}  // namespace exec_stub
}  // namespace shim

#endif  // MINIJAIL_SHIM_EXEC_STUB_STUB_ABI_H_
