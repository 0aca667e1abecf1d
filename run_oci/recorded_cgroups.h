// A container's cgroups as its state record finds them again (config.json's
// cgroupsPath or <cgroup_parent>/<id>, in every hierarchy mounted now), and
// what pause leaves in them: whether the container is paused, and the thaw
// that a SIGKILL of a paused container needs.
#ifndef RUN_OCI_RECORDED_CGROUPS_H_
#define RUN_OCI_RECORDED_CGROUPS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libcontainer/cgroups.h"
#include "run_oci/state_json.h"

namespace run_oci {

struct RecordedCgroups {
  libcontainer::CgroupHierarchies hierarchies;
  libcontainer::Cgroups cgroups;
};

absl::StatusOr<RecordedCgroups> OpenRecordedCgroups(const StateRecord& record);

// The container's freezer says it was paused (libcontainer::IsFrozen);
// false when that cannot be read, e.g. its cgroups are gone. The second
// form reads the cgroups the caller already opened for other work, so
// that mountinfo is not parsed once more.
bool IsPaused(const StateRecord& record);
bool IsPaused(const absl::StatusOr<RecordedCgroups>& recorded);

// After a SIGKILL of the container's init: a task in a frozen v1 cgroup
// does not die until it is thawed, so a paused container is thawed (runc
// does the same; on cgroup2 the kill works frozen, and runc thaws anyway).
absl::Status ThawIfPausedAfterKill(const StateRecord& record);

}  // namespace run_oci

#endif  // RUN_OCI_RECORDED_CGROUPS_H_
