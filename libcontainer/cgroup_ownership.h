// Whose a cgroup directory is. run_oci kills and removes only cgroups it
// created; a container's cgroup that existed before (a shared cgroupsPath,
// an id equal to an existing cgroup) belongs to someone else, and killing
// what is in it would kill their processes.
//
// The record a create writes says which directories it made. A create that
// dies before writing it leaves a second witness: every directory it makes
// carries its tag, an xattr (trusted.run_oci.created; cgroupfs keeps
// trusted.* xattrs on v1 and v2) whose value only that create knows, so a
// later destroy can still tell its directories from anyone else's.
#ifndef LIBCONTAINER_CGROUP_OWNERSHIP_H_
#define LIBCONTAINER_CGROUP_OWNERSHIP_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace libcontainer {

inline constexpr char kCgroupTagXattr[] = "trusted.run_oci.created";

// The pids in <dir>/cgroup.procs; none when the directory is gone.
absl::StatusOr<std::vector<pid_t>> ReadCgroupPids(const std::string& dir);

// The same for `dir` and every cgroup below it (runc's GetAllPids).
absl::StatusOr<std::vector<pid_t>> ReadCgroupSubtreePids(
    const std::string& dir);

// Whether `dir` or a cgroup below it has processes; true when that cannot
// be read (the safe answer for "may I remove it").
bool CgroupHasProcesses(const std::string& dir);

// Marks a directory that a create just made. Best effort: without xattr
// support only the record tells.
void TagCreatedCgroup(const std::string& dir, absl::string_view tag);

// Whether `dir` carries `tag` (never for an empty tag).
bool HasCreatedCgroupTag(const std::string& dir, absl::string_view tag);

// A container's directory `dir` that existed before its create: refused
// when it has processes (runc: "container's cgroup is not empty"), with
// `origin` (where the path came from) first in the message.
absl::Status CheckReusedCgroup(const std::string& dir,
                               absl::string_view origin);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_OWNERSHIP_H_
