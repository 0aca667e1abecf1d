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
// program argv...}, then the program's environment. The program fd is an
// O_PATH fd of the file to execute, the report fd the child's end of the
// sync socket; both without FD_CLOEXEC, so that they survive the stub's own
// execve, and the stub marks both close-on-exec before it executes the
// program: neither reaches it, and the program's execve ends the report
// fd's last reference (end of file for the reader). The tag (a decimal
// number) comes back in a failure report.
inline constexpr char kArgv0[] = "run_oci-exec";
inline constexpr int kFirstProgramArg = 4;

// What failed in the stub.
enum Stage : int {
  kArguments = 1,  // argv is not the stub's: nothing was executed
  kCloseOnExec,    // fcntl(F_SETFD, FD_CLOEXEC)
  kExecveat,       // execveat of the program fd
};

// The one record the stub sends on the report fd, and only when it fails.
struct Report {
  int magic;
  int stage;  // Stage
  int err;    // errno
  int tag;
};
inline constexpr int kReportMagic = 0x53545542;  // "STUB"

// The stub's exit status when it fails (a shell's "cannot execute").
inline constexpr int kFailureExit = 126;

}  // namespace exec_stub
}  // namespace shim

#endif  // MINIJAIL_SHIM_EXEC_STUB_STUB_ABI_H_
