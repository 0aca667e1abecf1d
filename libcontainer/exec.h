// A new process in a container that runs (runc exec): Config's process part
// (argv, env, cwd, identity, capabilities, rlimits, seccomp, no_new_privs,
// umask, terminal, scheduling) turned into a shim::JoinSpec, the container's
// cgroups opened for the process to join itself, the host checks a create
// makes (AppArmor, SELinux), HOME from the container's /etc/passwd.
#ifndef LIBCONTAINER_EXEC_H_
#define LIBCONTAINER_EXEC_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/cgroups.h"
#include "libcontainer/config.h"
#include "minijail-shim/jail.h"

namespace libcontainer {

struct ExecTarget {
  pid_t pid = -1;  // the container's init
  int pidfd = -1;  // on it, checked against its recorded start time
  const Cgroups* cgroups = nullptr;  // the container's; joined by the process
  std::string rootfs;  // host path of its root, for HOME from /etc/passwd
};

struct ExecOptions {
  int stdin_fd = -1;  // -1: inherit
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::vector<int> keep_fds;  // at the same numbers (--preserve-fds)
  // With Config::terminal: receives the pseudo-terminal's master.
  int console_socket_fd = -1;
  // When >= 0, the seccomp filter cache (seccomp_cache.h), as for create.
  int seccomp_cache_dir_fd = -1;
  // When >= 0, a shim::MakeExecStub memfd that forks the process into the
  // container (for a process ExecStubRefusalForExec accepts).
  int exec_stub_fd = -1;
};

// The shim's process spec for `process` (pure; for tests). Namespaces,
// mounts and the rest of a container's setup in `process` are ignored.
absl::StatusOr<shim::JailSpec> BuildExecProcessSpec(const Config& process,
                                                    const ExecOptions& options);

// Starts the process; returns once it executed its program, or fails with
// nothing left running.
absl::StatusOr<shim::Jail> Exec(const Config& process, const ExecTarget& target,
                                const ExecOptions& options);

}  // namespace libcontainer

#endif  // LIBCONTAINER_EXEC_H_
