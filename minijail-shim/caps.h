// Capabilities and securebits. The parent turns the CapSpec into a libcap
// cap_t; the child applies it around the uid change.
//
// Securebits follow Chromium's minijail (lock_securebits): when the spec sets
// capabilities, every securebit is set and locked (SECBIT_NOROOT,
// NO_SETUID_FIXUP, KEEP_CAPS and their locks) except those in
// securebits_skip_mask; NO_CAP_AMBIENT_RAISE is never set. With SECBIT_NOROOT
// a root program does not regain the full set at execve: what survives is
// the ambient set (or file capabilities), exactly as for a non-root user.
// This differs from runc/crun, where root keeps the bounding set; a caller
// wanting that puts SECBIT_NOROOT|SECBIT_NOROOT_LOCKED in the skip mask.
// Ambient capabilities outside permitted∩inheritable cannot be raised and
// are skipped, as runc and crun do. Without capabilities in the spec nothing
// is touched and the kernel's usual rules apply.
#ifndef MINIJAIL_SHIM_CAPS_H_
#define MINIJAIL_SHIM_CAPS_H_

#include <sys/capability.h>

#include "absl/status/statusor.h"
#include "minijail-shim/child.h"
#include "minijail-shim/jail.h"

namespace shim {

// Parent side. The caller owns the result (cap_free).
absl::StatusOr<cap_t> PrepareCaps(const CapSpec& caps, int last_cap);
absl::StatusOr<int> LastCap();
unsigned long SecurebitsFor(const JailSpec& spec);

// Child side, in this order: securebits and the bounding set while we are
// still root with every capability, then (after setresuid) E/P/I and the
// ambient set.
void LockSecurebits(const ChildPlan& plan);
void DropBoundingSet(const ChildPlan& plan);
void ApplyCaps(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_CAPS_H_
