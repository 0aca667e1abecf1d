#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"

namespace run_oci {

absl::StatusOr<int> CreateContainer(const CommandLine& cl) {
  // The process stays blocked on the start socket until `start`; it outlives
  // this run_oci (libcontainer's objects do not kill on destruction).
  ASSIGN_OR_RETURN(SetUpContainer setup,
                   SetUpNewContainer(cl, /*wait_for_start=*/true));
  return 0;
}

}  // namespace run_oci
