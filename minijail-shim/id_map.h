// Writing /proc/<pid>/{uid,gid}_map for a child in a new user namespace,
// from the parent. "deny" goes to /proc/<pid>/setgroups first only when the
// kernel requires it: a gid map written by a process without CAP_SETGID in
// the parent namespace (user_namespaces(7), since Linux 3.19).
#ifndef MINIJAIL_SHIM_ID_MAP_H_
#define MINIJAIL_SHIM_ID_MAP_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"

namespace shim {

// "inside outside count\n" per line.
std::string FormatIdMap(const std::vector<IdMapLine>& lines);

absl::Status WriteIdMaps(pid_t pid, const std::vector<IdMapLine>& uid_map,
                         const std::vector<IdMapLine>& gid_map);

// A user namespace that holds these mappings and nothing else, for
// MOUNT_ATTR_IDMAP: a throwaway child is cloned into a new user namespace,
// mapped, its namespace opened, and the child killed and reaped.
absl::StatusOr<base::ScopedFd> MakeIdMapUserNamespace(
    const std::vector<IdMapLine>& uid_map,
    const std::vector<IdMapLine>& gid_map);

}  // namespace shim

#endif  // MINIJAIL_SHIM_ID_MAP_H_
