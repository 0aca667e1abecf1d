// Per-process attributes the child sets after pivot_root: identity (host and
// domain name, uid/gid/groups), sysctls, personality,
// core scheduling, Chromium's alt-syscall table, the SELinux exec label,
// umask and cwd. Child side only; strings were prepared by the parent.
//
// SELinux: a label with SELinux disabled is refused by the parent (Start
// fails with "selinux label set but SELinux is not enabled") rather than
// silently dropped, since a label is a security request.
#ifndef MINIJAIL_SHIM_PROCESS_ATTRS_H_
#define MINIJAIL_SHIM_PROCESS_ATTRS_H_

#include "minijail-shim/child.h"
#include "minijail-shim/mounts.h"

namespace shim {

// Chromium's PR_ALT_SYSCALL prctl; upstream kernels answer EINVAL.
inline constexpr int kPrAltSyscall = 0x43724f53;
inline constexpr int kPrAltSyscallSetSysnrTable = 1;

void SetUtsNames(const ChildPlan& plan);
// Through the proc mount kept at mount time (see mounts.h).
void WriteSysctls(const ChildPlan& plan, const KeptMounts& kept);
// Personality, core scheduling, alt-syscall, SELinux. (rlimits and
// oom_score_adj are set by the parent at kCloned through prlimit(2) and
// /proc/<pid>/oom_score_adj: it holds CAP_SYS_RESOURCE in the initial user
// namespace, which a user-namespaced child never has.)
void SetProcessAttributes(const ChildPlan& plan);
// setgroups, setresgid, setresuid (capabilities kept by securebits or
// PR_SET_KEEPCAPS when the spec sets them).
void SwitchIds(const ChildPlan& plan);
void SetUmaskAndCwd(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_PROCESS_ATTRS_H_
