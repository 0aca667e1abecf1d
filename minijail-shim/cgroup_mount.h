// A mount of type "cgroup" (runc's default spec has one at /sys/fs/cgroup).
// Mounting a cgroup v1 file system with no options asks for every
// controller in one hierarchy and fails with EBUSY, so, like runc and crun,
// it becomes a tmpfs holding one read-only bind per host v1 hierarchy, each
// of the container's own cgroup directory. On a pure cgroup v2 host it is a
// bind of the container's cgroup2 directory. In hybrid mode the unified
// hierarchy is left out, as runc does. Comounted controllers get no extra
// symlinks.
//
// The directories come in the spec (JailSpec::cgroup_binds; libcontainer
// knows them, Cgroups::MountBinds), so the child only reads what the parent
// prepared before clone.
#ifndef MINIJAIL_SHIM_CGROUP_MOUNT_H_
#define MINIJAIL_SHIM_CGROUP_MOUNT_H_

#include "minijail-shim/child.h"

namespace shim {

// Mounts spec.cgroup_binds for spec.mounts[index] at its resolved target.
void MountCgroup(const ChildPlan& plan, int index, int root_fd);

}  // namespace shim

#endif  // MINIJAIL_SHIM_CGROUP_MOUNT_H_
