// Masked and read-only paths (linux.maskedPaths, linux.readonlyPaths).
//
// Both are applied after pivot_root and after the sysctls (which need
// /proc/sys writable), read-only paths first, then masks (runc's order),
// each through an fd, never by looking the path up again:
// - A path under a proc or sysfs mount of the spec is opened beneath the
//   fd kept from mount time (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS):
//   the protections reach the procfs the child made even when another
//   writer renamed its mount point away and left a symlink to a decoy
//   (CVE-2025-52881). Other paths are resolved inside the root
//   (RESOLVE_IN_ROOT).
// - A read-only path: open_tree(OPEN_TREE_CLONE | AT_RECURSIVE) of the
//   target, MOUNT_ATTR_RDONLY on the copy's top mount, move_mount onto the
//   target's fd.
// - A masked file gets a bind of the host's /dev/null, opened without
//   following links before pivot_root and checked to be the 1:3 character
//   device, never the container's /dev/null, which an image can make a link
//   to a procfs file so that every mask is a writable alias of it
//   (CVE-2025-31133). A masked directory gets a read-only empty tmpfs.
// Missing paths are skipped (runtime-spec); needs Linux 5.2 (open_tree,
// move_mount, fsopen).
#ifndef MINIJAIL_SHIM_PROTECTED_PATHS_H_
#define MINIJAIL_SHIM_PROTECTED_PATHS_H_

#include "absl/status/status.h"
#include "minijail-shim/child.h"
#include "minijail-shim/mounts.h"

namespace shim {

// Parent side: marks the proc and sysfs mounts in plan->mounts and places
// each masked and read-only path under one of them (or none), and the
// sysctls under the proc mount at /proc. plan->mounts must be filled.
absl::Status PlanProtectedPaths(const JailSpec& spec, ChildPlan* plan);

// Child side, before pivot_root: the host's /dev/null as a detached mount
// for the masks (only when the spec masks something).
void PrepareMaskSources(const ChildPlan& plan, KeptMounts* kept);

// Child side, after pivot_root and the sysctls: read-only, then masked.
void ProtectPaths(const ChildPlan& plan, KeptMounts* kept);

}  // namespace shim

#endif  // MINIJAIL_SHIM_PROTECTED_PATHS_H_
