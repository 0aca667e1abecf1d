// `pause <id>` and `resume <id>`: freeze every process of the container in
// its cgroups, and thaw them again. As runc: a created or running container
// can be paused (a created one resumes as created); pausing anything else,
// a paused container included, is "container not running", and resuming
// what is not paused is "container not paused".
#include "absl/strings/str_cat.h"
#include "libcontainer/freezer.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/recorded_cgroups.h"

namespace run_oci {

absl::StatusOr<int> PauseContainer(const CommandLine& cl) {
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/true));
  ContainerStatus status = GetContainerStatus(existing.dir, existing.record);
  if (status != ContainerStatus::kRunning &&
      status != ContainerStatus::kCreated) {
    return ContainerNotRunningError(cl.id);
  }
  ASSIGN_OR_RETURN(RecordedCgroups recorded,
                   OpenRecordedCgroups(existing.record));
  RETURN_IF_ERROR(libcontainer::Freeze(recorded.cgroups));
  LogInfo(absl::StrCat("container ", cl.id, " paused"));
  return 0;
}

absl::StatusOr<int> ResumeContainer(const CommandLine& cl) {
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/true));
  if (GetContainerStatus(existing.dir, existing.record) !=
      ContainerStatus::kPaused) {
    return absl::FailedPreconditionError(
        absl::StrCat("container not paused: ", cl.id));
  }
  ASSIGN_OR_RETURN(RecordedCgroups recorded,
                   OpenRecordedCgroups(existing.record));
  RETURN_IF_ERROR(libcontainer::Thaw(recorded.cgroups));
  LogInfo(absl::StrCat("container ", cl.id, " resumed"));
  return 0;
}

}  // namespace run_oci
