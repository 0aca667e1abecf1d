// The exec stub: the cheap way to keep run_oci's binary out of the
// container (CVE-2019-5736) when nobody can reach the child while it sets
// the container up.
//
// The child is a clone of the runtime, so until execve it runs the
// runtime's file. Two ways of reaching that file from the container are
// closed already: the program is opened without magic links (exec.h), and
// the child is non-dumpable. What remains is the kernel resolving the
// program's ELF interpreter or binfmt_misc handler by path at execve time,
// where "/proc/self/exe" names the runtime; and, while the child waits or
// runs start hooks, processes in its pid namespace that hold
// CAP_SYS_PTRACE opening its /proc/<pid>/exe. run_oci's general answer is
// to re-execute itself from a sealed view before anything else
// (sealed_exe.h), one more start of the whole runtime. With the stub, the
// child executes this tiny freestanding program from a sealed memfd as its
// last step and the stub executes the program: during that execve
// /proc/self/exe is the memfd, which nothing can write, and the host's
// file is never mapped by a process the container can see.
//
// The child alone is safe only when no other process can be in its pid
// namespace while it runs the host's binary: a pid namespace of its own,
// no startContainer hooks (the image's code, run by the child), no
// reaping init (which would stay the host's binary for the container's
// life), no waiting for `start` (anything may join a created container).
// For `exec` into a running container the child joins the container's pid
// namespace for its children only and the stub forks the program into it
// (kForkMode): the child, outside, cannot be named from in there. The
// fork holds the sync socket for the moment before its execve while it is
// visible, non-dumpable; the parent takes one pid from it, and only of its
// own child, so the most a process there could do with the socket is
// make that `exec` fail or wait, which it could do to the process anyway.
// The caller decides that (libcontainer/exec_stub_choice.h); the stub's
// system calls must get past the container's seccomp filter, which
// SeccompAllowsExecStub checks.
#ifndef MINIJAIL_SHIM_EXEC_STUB_H_
#define MINIJAIL_SHIM_EXEC_STUB_H_

#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/seccomp_policy.h"

namespace shim {

// A memfd holding the stub, sealed against any change (F_SEAL_WRITE,
// _GROW, _SHRINK, _SEAL), close-on-exec. Fails where memfds may not be
// executed (vm.memfd_noexec = 2).
absl::StatusOr<base::ScopedFd> MakeExecStub();

// Whether every system call the stub and the child's program walk make
// after the filter is loaded (openat2, fcntl, execveat, write, exit_group;
// with `forks`, prctl and clone; with `takes_terminal`, setsid and ioctl)
// is allowed by `policy` whatever its arguments: by the default action
// with no rule naming it, or by an unconditional allow rule. Anything
// else (an errno, a notification, a rule with conditions) means the
// runtime re-executes itself instead.
bool SeccompAllowsExecStub(const SeccompPolicy& policy, bool forks = false,
                           bool takes_terminal = false);

}  // namespace shim

#endif  // MINIJAIL_SHIM_EXEC_STUB_H_
