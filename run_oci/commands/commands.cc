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
    case Command::kPause:
      return PauseContainer(cl);
    case Command::kResume:
      return ResumeContainer(cl);
    case Command::kUpdate:
      return UpdateContainer(cl);
    case Command::kEvents:
      return PrintContainerEvents(cl);
    case Command::kCheckpoint:
      return CheckpointContainer(cl);
    case Command::kRestore:
      return RestoreContainer(cl);
  }
  return absl::InternalError("unhandled command");
}

}  // namespace run_oci
