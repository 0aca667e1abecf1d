// Parent side of Jail::Start before clone: validating a JailSpec and
// turning it into the ChildPlan the child executes without allocating.
#ifndef MINIJAIL_SHIM_JAIL_PLAN_H_
#define MINIJAIL_SHIM_JAIL_PLAN_H_

#include "absl/status/status.h"
#include "minijail-shim/child.h"
#include "minijail-shim/jail.h"

namespace shim {

// Rejects specs the child could not carry out safely (host name without a
// new UTS namespace, mounts without a mount namespace, device paths outside
// /dev, ".." leaving the root, ...).
absl::Status ValidateSpec(const JailSpec& spec);

// Fills everything in `plan` except the namespace part and sync_fd. The
// plan points into `spec`, which must outlive it. plan->caps is owned by the
// caller (cap_free).
absl::Status BuildPlan(const JailSpec& spec, ChildPlan* plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_JAIL_PLAN_H_
