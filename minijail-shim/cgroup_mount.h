// A mount of type "cgroup" (runc's default spec has one at /sys/fs/cgroup).
// Mounting a cgroup v1 file system with no options asks for every
// controller in one hierarchy and fails with EBUSY, so, like runc and crun,
// it becomes a tmpfs holding one read-only bind per host v1 hierarchy, each
// of the container's own cgroup directory (mountinfo shows the container's
// path as the root). On a pure cgroup v2 host it is a bind of the
// container's cgroup2 directory. In hybrid mode the unified hierarchy is
// left out, as runc does. Comounted controllers get no extra symlinks.
//
// The child joins its cgroups itself before kCloned (JailSpec::cgroup_joins,
// cgroup2_dir_fd), so by then /proc/<pid>/cgroup names them; the parent
// computes the binds from it and sends them right after the kCloned ack.
// (libcontainer knows the same directories, Cgroups::Dirs(); passing them
// in the JailSpec instead is open, issue 13.)
#ifndef MINIJAIL_SHIM_CGROUP_MOUNT_H_
#define MINIJAIL_SHIM_CGROUP_MOUNT_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/child.h"

namespace shim {

struct CgroupBind {
  std::string source;  // host directory, e.g. /sys/fs/cgroup/cpu/<path>
  std::string name;    // entry under the mount, e.g. "cpu"; empty: the mount
};

// Parent side. `mountinfo` and `proc_cgroup` are the host's
// /proc/self/mountinfo and the child's /proc/<pid>/cgroup.
absl::StatusOr<std::vector<CgroupBind>> CgroupBindsFrom(
    const std::string& mountinfo, const std::string& proc_cgroup);
absl::Status SendCgroupBinds(int sync_fd, pid_t pid);

// Child side: receives the list into static storage, then mounts it for
// spec.mounts[index] at its resolved target.
void ReceiveCgroupBinds(const ChildPlan& plan);
void MountCgroup(const ChildPlan& plan, int index, int root_fd);

}  // namespace shim

#endif  // MINIJAIL_SHIM_CGROUP_MOUNT_H_
