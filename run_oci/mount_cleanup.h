// Data-driven teardown of a state directory: rather than remembering every
// mount made for a container (some are made by hooks), find what the kernel
// says is mounted under the directory and unmount it, deepest first.
#ifndef RUN_OCI_MOUNT_CLEANUP_H_
#define RUN_OCI_MOUNT_CLEANUP_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace run_oci {

// The mount points (field 5, unescaped) of /proc/<pid>/mountinfo text, in
// order (minijail-shim/base/mountinfo.h). Malformed lines are an error naming
// the line number.
absl::StatusOr<std::vector<std::string>> ParseMountPoints(
    absl::string_view mountinfo);

// True when `path` is `dir` or inside it, comparing whole path components:
// "/s/a/x" is under "/s/a", "/s/ab" is not.
bool IsPathUnder(absl::string_view path, absl::string_view dir);

// The mount points under `dir` (whole components), in reverse lexicographic
// order so that a mount is undone before the one it sits in. A point mounted
// several times appears that many times.
std::vector<std::string> PlanUnmounts(std::vector<std::string> mount_points,
                                      absl::string_view dir);

// Unmounts (MNT_DETACH) everything under `dir` in this mount namespace.
absl::Status UnmountAllUnder(const std::string& dir);

// Removes `dir` and everything in it; never follows symlinks and never
// crosses into a mount point (a remaining mount is an error, not data loss).
absl::Status RemoveDirTree(const std::string& dir);

// UnmountAllUnder then RemoveDirTree. Both run; the first error is returned.
absl::Status CleanupStateDirectory(const std::string& dir);

}  // namespace run_oci

#endif  // RUN_OCI_MOUNT_CLEANUP_H_
