// Namespaces of a jailed process. In the common case (nothing to join) one
// clone3 creates all of them, time namespace included, except a new cgroup
// namespace: it is unshared after kCloned, once the runtime has moved the
// child into the container's cgroups, so that it is rooted there. When some are
// joined by path, the child is cloned without new namespaces, joins (user
// first, so it holds capabilities over the rest), unshares the new ones, and,
// because a pid or time namespace (new or joined) only applies to children,
// forks once more with CLONE_PARENT so the container process is still our
// child.
#ifndef MINIJAIL_SHIM_NAMESPACES_H_
#define MINIJAIL_SHIM_NAMESPACES_H_

#include <vector>

#include "absl/status/status.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/child.h"
#include "minijail-shim/jail.h"

namespace shim {

struct NamespacePlan {
  bool two_stage = false;
  int clone_flags = 0;                // for clone3 (one-stage only)
  std::vector<base::ScopedFd> owned;  // namespace fds to join, kept open
};

// Parent side: validates the list (known flags, no duplicates) and fills
// plan->joins/unshare_flags/fork_* and the returned clone flags.
absl::StatusOr<NamespacePlan> PlanNamespaces(const JailSpec& spec,
                                             ChildPlan* plan);

// Whether the spec creates (path empty) or joins a namespace of this type.
bool CreatesNamespace(const JailSpec& spec, int clone_flag);
bool HasNamespace(const JailSpec& spec, int clone_flag);

// Child side, two-stage only. In the forking case only the new process
// returns; the intermediate reports its pid and exits.
void EnterNamespaces(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_NAMESPACES_H_
