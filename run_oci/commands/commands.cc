#include "run_oci/commands/commands.h"

namespace run_oci {

absl::StatusOr<int> RunCommandLine(const CommandLine& cl) {
  switch (cl.command) {
    case Command::kRun:
      return RunContainer(cl);
    case Command::kStart:
      return StartContainer(cl);
    case Command::kCreate:
      return CreateContainer(cl);
    case Command::kState:
      return PrintContainerState(cl);
    case Command::kKill:
      return KillContainer(cl);
    case Command::kDestroy:
      return DestroyContainer(cl);
  }
  return absl::InternalError("unhandled command");
}

}  // namespace run_oci
