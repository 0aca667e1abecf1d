// Whether a container's program can be executed through the exec stub
// (minijail-shim/exec_stub.h) by a runtime that did not re-execute itself
// from a sealed view of its binary first.
#ifndef LIBCONTAINER_EXEC_STUB_CHOICE_H_
#define LIBCONTAINER_EXEC_STUB_CHOICE_H_

#include <sys/types.h>

#include <string>

#include "libcontainer/config.h"

namespace libcontainer {

// Empty when the stub may be used: the program is pid 1 of a pid namespace
// of its own and starts at once (not `create`, whose waiting process
// anything may join), with no startContainer hook (the image's code, run
// by the runtime's child), no SELinux label or AppArmor profile (they
// apply at the next execve, which would be the stub's), no alt-syscall
// table, and a seccomp profile that lets the stub through. Otherwise why
// not, for a debug line.
std::string ExecStubRefusal(const Config& config, bool waits_for_start);

// The same for `exec` of `process` into the container whose init is
// `init_pid`: the stub forks the process into that pid namespace, which
// must be another than ours; the process's own LSM labels and seccomp
// profile (with the stub's fork, and its terminal) count as above.
std::string ExecStubRefusalForExec(const Config& process, pid_t init_pid);

}  // namespace libcontainer

#endif  // LIBCONTAINER_EXEC_STUB_CHOICE_H_
