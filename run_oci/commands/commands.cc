#include "run_oci/commands/commands.h"

#include "run_oci/container_errors.h"

namespace run_oci {
namespace {

// runc's `delete --force` of a container that is already gone succeeds:
// engines call it to make sure (podman after every container, containerd
// after a plain delete).
absl::StatusOr<int> DestroyUnlessGone(const CommandLine& cl) {
  absl::StatusOr<int> destroyed = DestroyContainer(cl);
  if (cl.force && IsContainerNotExist(destroyed.status(), cl.id)) return 0;
  return destroyed;
}

struct CommandHandler {
  Command command;
  absl::StatusOr<int> (*run)(const CommandLine&);
};

constexpr CommandHandler kHandlers[] = {
    {Command::kRun, RunContainer},
    {Command::kStart, StartContainer},
    {Command::kCreate, CreateContainer},
    {Command::kState, PrintContainerState},
    {Command::kKill, KillContainer},
    {Command::kDestroy, DestroyUnlessGone},
    {Command::kPs, ListContainerProcesses},
    {Command::kList, ListContainers},
    {Command::kFeatures, PrintFeatures},
    {Command::kSpec, WriteDefaultSpec},
    {Command::kCheck, CheckBundle},
    {Command::kPause, PauseContainer},
    {Command::kResume, ResumeContainer},
    {Command::kUpdate, UpdateContainer},
    {Command::kEvents, PrintContainerEvents},
    {Command::kCheckpoint, CheckpointContainer},
    {Command::kRestore, RestoreContainer},
    {Command::kExec, ExecInContainer},
};

}  // namespace

absl::StatusOr<int> RunCommandLine(const CommandLine& cl) {
  for (const CommandHandler& handler : kHandlers) {
    if (handler.command == cl.command) return handler.run(cl);
  }
  return absl::InternalError("unhandled command");
}

}  // namespace run_oci
