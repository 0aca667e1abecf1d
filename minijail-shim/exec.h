// Executing the container's program without following magic links.
//
// CVE-2019-5736: `process.args[0] = "/proc/self/exe"` (or an image symlink
// to it, or a `#!/proc/self/exe` script such as an overwritten /bin/sh)
// makes the kernel execute the binary the child is still running, the
// runtime's own host binary, inside the container; a process there can
// then reopen it through /proc/<pid>/exe and overwrite it. So each PATH
// candidate is opened with openat2(RESOLVE_NO_MAGICLINKS) and executed from
// that fd (execveat AT_EMPTY_PATH): /proc/<pid>/exe, /proc/<pid>/fd/N and
// the like are refused with ELOOP, and what runs is the inode that was
// checked, whatever a concurrent writer does to the path afterwards.
//
// #! scripts: the kernel will not run a script through a close-on-exec fd
// (the interpreter would need /dev/fd/N, which is gone after exec), it
// answers ENOENT. The child then does what binfmt_script would: reads the
// #! line of the same file, opens the interpreter the same way (so
// `#!/proc/self/exe` is refused too) and executes it from its fd with the
// kernel's argv (interpreter, optional argument, script path, argv[1..]),
// up to kMaxScriptDepth nested interpreters. Differences from execve(2)
// that remain: AT_EXECFN is "/dev/fd/N", and before Linux 6.14 the
// program's comm is "N"; with a script, comm is the interpreter's name.
//
// execvp(3)'s candidate rules are kept: ENOENT and ENOTDIR go on to the
// next PATH entry, EACCES is remembered, anything else stops.
//
// A kernel or seccomp profile that refuses openat2 or execveat (ENOSYS,
// EPERM) gets plain execve of the path: the profile comes from config.json,
// which an image does not control. Not through the exec stub
// (JailSpec::exec_stub_fd, exec_stub.h): there the child still runs the
// host's binary, so a refused openat2 fails the start; the binary found is
// handed to the stub instead of executed (after kCheck's walk).
#ifndef MINIJAIL_SHIM_EXEC_H_
#define MINIJAIL_SHIM_EXEC_H_

#include <cstddef>

namespace shim {

struct ChildPlan;

// Interpreter levels followed (kernels allow 4 or, since 5.8, 5).
inline constexpr int kMaxScriptDepth = 4;
// The kernel reads this many bytes of a script for its #! line.
inline constexpr size_t kShebangBufSize = 256;

// Slots ChildPlan::script_argv needs for an argv of `argc` strings: the
// strings, their nullptr, and an interpreter and argument per level.
inline size_t ScriptArgvSlots(size_t argc) {
  return argc + 1 + 2 * kMaxScriptDepth;
}

// Child side, async-signal-safe; returns only by failing the child.
[[noreturn]] void ExecProgram(const ChildPlan& plan);

// Child side, before kReady when the start waits for start_fd (OCI create):
// the same walk without executing, so that a program that cannot run
// (missing, not executable, /proc/self/exe, a #! interpreter that is one
// of those) fails `create` with its error instead of exiting 126 after
// `start`, as runc and crun do. Fails the child, or returns.
void CheckProgram(const ChildPlan& plan);

// Exposed for tests: binfmt_script's reading of a #! line. `buf` holds the
// first kShebangBufSize bytes of the file (zero-padded); on success the
// interpreter and the optional argument (nullptr for none) point into it.
// Returns 0, or ENOEXEC when the line is not a usable #! line.
int ParseShebang(char* buf, char** interp, char** arg);

}  // namespace shim

#endif  // MINIJAIL_SHIM_EXEC_H_
