// Entering a running container with a new process (runc exec): the process
// joins every namespace of the container's init that differs from ours
// (the pid namespace at birth: the caller enters it for the one clone;
// then the user namespace first, so it holds capabilities over the rest)
// and the container's cgroups, then gets its process attributes and executes
// its program exactly as Jail::Start's child does (child.cc): non-dumpable from
// the first instruction to execve, every runtime fd closed but stdio and
// keep_fds, cwd resolved inside the container's root, the program opened
// without magic links. The root is the one setns(CLONE_NEWNS) gives: the
// container's root mount as its mount namespace holds it. With
// process.exec_stub_fd the pid namespace is joined by the child instead,
// for its children, and the exec stub forks the program into it
// (exec_stub.h): the child itself, run_oci's binary, stays outside.
#ifndef MINIJAIL_SHIM_JOIN_H_
#define MINIJAIL_SHIM_JOIN_H_

#include <sys/types.h>

#include <vector>

#include "absl/status/statusor.h"
#include "minijail-shim/jail.h"

namespace shim {

struct JoinSpec {
  // The container's init and a pidfd on it: the pidfd proves that `pid`
  // still names it once its namespaces are open.
  pid_t pid = -1;
  int pidfd = -1;
  // The process: argv, env, cwd, identity, capabilities, rlimits, seccomp,
  // no_new_privs, umask, stdio, keep_fds, console socket; also the cgroup
  // joins (cgroup_joins, cgroup2_dir_fd). What only a new container has
  // (namespaces, id maps, rootfs, mounts, devices, host name, sysctls,
  // masked paths, start socket, start hooks, time offsets) must be empty:
  // JoinContainer fills `namespaces` itself.
  JailSpec process;
};

// CLONE_NEW* types in the order they are joined (user first).
const std::vector<int>& JoinableNamespaceTypes();

// Parent side: opens /proc/<pid>/ns/<type> for every type that differs
// from the caller's (st_dev/st_ino), user namespace first; fails when the
// pidfd's process has gone meanwhile (the pid may name another by now).
absl::StatusOr<std::vector<base::ScopedFd>> OpenContainerNamespaces(
    pid_t pid, int pidfd, std::vector<int>* types);

// Starts the process and returns once it has executed its program (or
// failed: then nothing is left running). Wait() gives its exit status;
// dropping the Jail leaves it running (detached: when the caller exits it
// is re-parented to the caller's subreaper, as with runc).
// `on_sync` is called as Jail::Start calls it (kCloned: the process is in
// the container's namespaces, before its attributes are set). Until this
// returns the caller is not dumpable and the children it makes (in
// `on_sync` too) land in the container's pid namespace.
absl::StatusOr<Jail> JoinContainer(const JoinSpec& spec,
                                   const SyncCallback& on_sync = {});

}  // namespace shim

#endif  // MINIJAIL_SHIM_JOIN_H_
