// Per-process attributes, all in one place. The child sets most after
// pivot_root: identity (host and domain name, uid/gid/groups), sysctls,
// personality, core scheduling, Chromium's alt-syscall table, the SELinux
// exec label, umask and cwd; strings were prepared by the parent. The parent
// sets the rest on the child's pid at kCloned (SetAttributesFromParent).
//
// SELinux: a label with SELinux disabled is refused by the parent (Start
// fails with "selinux label set but SELinux is not enabled") rather than
// silently dropped, since a label is a security request.
#ifndef MINIJAIL_SHIM_PROCESS_ATTRS_H_
#define MINIJAIL_SHIM_PROCESS_ATTRS_H_

#include <sys/types.h>

#include "absl/status/status.h"
#include "minijail-shim/child.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/mounts.h"

namespace shim {

// Chromium's PR_ALT_SYSCALL prctl; upstream kernels answer EINVAL.
inline constexpr int kPrAltSyscall = 0x43724f53;
inline constexpr int kPrAltSyscallSetSysnrTable = 1;

void SetUtsNames(const ChildPlan& plan);
// Through the proc mount kept at mount time (see mounts.h).
void WriteSysctls(const ChildPlan& plan, const KeptMounts& kept);
// Personality, core scheduling, alt-syscall, SELinux. (rlimits,
// oom_score_adj, I/O priority and scheduler are the parent's, below.)
void SetProcessAttributes(const ChildPlan& plan);
// Parent side, at kCloned, before the SyncCallback: rlimits (prlimit(2)),
// oom_score_adj (/proc/<pid>/oom_score_adj), I/O priority (ioprio_set(2))
// and scheduler (sched_setattr(2)). From outside because the parent holds
// CAP_SYS_RESOURCE and CAP_SYS_NICE in the initial user namespace, which a
// user-namespaced child never has; all four are inherited by fork and kept
// across execve. At kCloned, not later, because the child still has the
// parent's ids there: without CAP_SYS_RESOURCE, prlimit(2) on another
// process needs them to match. Not async-signal-safe (it is never called
// in the child).
absl::Status SetAttributesFromParent(const JailSpec& spec, pid_t pid);
// Whether the spec has any of them (the child then waits at kCloned,
// unless AttributesFitChild).
bool HasAttributesFromParent(const JailSpec& spec);
// Whether the child may set the rlimits and oom_score_adj on itself
// instead (SetOwnAttributes): no user namespace made or joined and no
// second fork, so right after clone it has the parent's credentials in the
// initial user namespace and the kernel's checks come out the same; no I/O
// priority or scheduler, which stay the parent's. Fills
// plan->oom_score_adj_text when it returns true.
bool AttributesFitChild(const JailSpec& spec, ChildPlan* plan);
// Child side of the above, before it joins any namespace: prlimit(2) on
// itself and /proc/self/oom_score_adj (the runtime's procfs, never the
// container's).
void SetOwnAttributes(const ChildPlan& plan);
// setgroups, setresgid, setresuid (capabilities kept by securebits or
// PR_SET_KEEPCAPS when the spec sets them).
void SwitchIds(const ChildPlan& plan);
void SetUmaskAndCwd(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_PROCESS_ATTRS_H_
