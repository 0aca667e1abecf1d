#include <stdio.h>

#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_status.h"
#include "run_oci/supervisor_record.h"

namespace run_oci {

absl::StatusOr<int> PrintContainerState(const CommandLine& cl) {
  ASSIGN_OR_RETURN(std::optional<SupervisorRecord> supervisor,
                   ReadLiveSupervisor(cl.root, cl.id));
  absl::StatusOr<ExistingContainer> existing =
      OpenExistingContainer(cl, /*lock=*/false);
  OciState state;
  if (existing.ok()) {
    ContainerStatus status =
        GetContainerStatus(existing->dir, existing->record);
    state = MakeOciState(existing->record, ContainerStatusName(status));
  } else if (supervisor.has_value() && absl::IsNotFound(existing.status())) {
    // Between two runs of a supervised container: stopped, to be started
    // again.
    state.id = cl.id;
    state.status = "stopped";
    state.bundle = supervisor->bundle;
  } else {
    return existing.status();
  }
  if (supervisor.has_value()) {
    state.supervisor_pid = supervisor->pid;
    state.restart_count = supervisor->restarts;
  }
  printf("%s\n", OciStateToJson(state).c_str());
  return 0;
}

}  // namespace run_oci
