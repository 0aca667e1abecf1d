#include <stdio.h>

#include "minijail-shim/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_status.h"

namespace run_oci {

absl::StatusOr<int> PrintContainerState(const CommandLine& cl) {
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/false));
  ContainerStatus status = GetContainerStatus(existing.dir, existing.record);
  std::string json = OciStateToJson(
      MakeOciState(existing.record, ContainerStatusName(status)));
  printf("%s\n", json.c_str());
  return 0;
}

}  // namespace run_oci
