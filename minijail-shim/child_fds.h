// Which fds the child keeps, and for how long.
//
// CVE-2024-21626 (runc "Leaky Vessels"): a child that still holds one of the
// runtime's directory fds (the cgroup2 directory passed for
// CLONE_INTO_CGROUP, a namespace fd, ...) can be started with
// `process.cwd: "/proc/self/fd/N"` and walk from there to the host's "/".
// Close-on-exec is not enough: the cwd is entered before execve. So the
// child really closes every fd but stdio and this list, at fixed points,
// each fd as soon as the last step that uses it is done.
//
// To keep an fd in the child for a new step, add it to ListKeptFds (the one
// list) with the checkpoint after which it may go. An fd the child opens
// itself must be closed by its user before the next checkpoint: a
// checkpoint closes everything that is not on the list.
#ifndef MINIJAIL_SHIM_CHILD_FDS_H_
#define MINIJAIL_SHIM_CHILD_FDS_H_

#include <cstdint>
#include <vector>

#include "minijail-shim/jail.h"

namespace shim {

struct ChildPlan;

// The child's checkpoints, in order. A kept fd names the last one it
// survives *until*: CloseFdsAt(plan, point) closes every fd whose `until` is
// <= point (and every fd not on the list at all).
enum class FdCheckpoint : uint8_t {
  kStdio,       // stdio is on 0/1/2: cgroup join fds and the rest go
  kNamespaces,  // namespaces joined: the setns fds go
  kRoot,        // mounts, pivot_root and the final root done: idmap userns
  kConsole,     // the console is set up: the console socket goes
  // Not checkpoints: fds that live to execve (close-on-exec) and fds the
  // program inherits.
  kExec,
  kProgram,
};

struct KeptFd {
  int fd = -1;
  FdCheckpoint until = FdCheckpoint::kStdio;
};

// Parent side: every fd the child keeps past kStdio, sorted by fd, each
// once (with the longest life asked for it). Call when the plan's fds are
// all known (after the sync socket exists).
std::vector<KeptFd> ListKeptFds(const JailSpec& spec, const ChildPlan& plan);

// Child side, async-signal-safe: closes (close_range) every fd above 2 not
// kept beyond `point`. Fails the child (Step::kFds) on error.
void CloseFdsAt(const ChildPlan& plan, FdCheckpoint point);

}  // namespace shim

#endif  // MINIJAIL_SHIM_CHILD_FDS_H_
