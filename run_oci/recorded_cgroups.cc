#include "run_oci/recorded_cgroups.h"

#include "libcontainer/freezer.h"
#include "minijail-shim/base/status_macros.h"

namespace run_oci {

absl::StatusOr<RecordedCgroups> OpenRecordedCgroups(const StateRecord& record) {
  ASSIGN_OR_RETURN(libcontainer::CgroupHierarchies hierarchies,
                   libcontainer::DiscoverCgroupHierarchies());
  ASSIGN_OR_RETURN(std::string relative,
                   libcontainer::CgroupRelativePath(
                       record.cgroups_path, record.cgroup_parent, record.id));
  libcontainer::Cgroups cgroups =
      libcontainer::Cgroups::Existing(hierarchies, relative);
  return RecordedCgroups{std::move(hierarchies), std::move(cgroups)};
}

bool IsPaused(const StateRecord& record) {
  return IsPaused(OpenRecordedCgroups(record));
}

bool IsPaused(const absl::StatusOr<RecordedCgroups>& recorded) {
  if (!recorded.ok()) return false;
  absl::StatusOr<bool> frozen = libcontainer::IsFrozen(recorded->cgroups);
  return frozen.ok() && *frozen;
}

absl::Status ThawIfPausedAfterKill(const StateRecord& record) {
  ASSIGN_OR_RETURN(RecordedCgroups recorded, OpenRecordedCgroups(record));
  ASSIGN_OR_RETURN(bool frozen, libcontainer::IsFrozen(recorded.cgroups));
  if (!frozen) return absl::OkStatus();
  return libcontainer::Thaw(recorded.cgroups);
}

}  // namespace run_oci
