// One function per run_oci subcommand; each returns run_oci's exit code or
// the error that main prints as its one line.
#ifndef RUN_OCI_COMMANDS_COMMANDS_H_
#define RUN_OCI_COMMANDS_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "run_oci/cli.h"

namespace run_oci {

absl::StatusOr<int> RunContainer(const CommandLine& cl);
// run --respawn (run_supervised.cc).
absl::StatusOr<int> RunSupervised(const CommandLine& cl);
absl::StatusOr<int> StartContainer(const CommandLine& cl);
absl::StatusOr<int> CreateContainer(const CommandLine& cl);
absl::StatusOr<int> PrintContainerState(const CommandLine& cl);
absl::StatusOr<int> KillContainer(const CommandLine& cl);
absl::StatusOr<int> DestroyContainer(const CommandLine& cl);
absl::StatusOr<int> ListContainerProcesses(const CommandLine& cl);  // ps
absl::StatusOr<int> ListContainers(const CommandLine& cl);          // list
absl::StatusOr<int> PrintFeatures(const CommandLine& cl);
absl::StatusOr<int> WriteDefaultSpec(const CommandLine& cl);  // spec
absl::StatusOr<int> CheckBundle(const CommandLine& cl);       // check
absl::StatusOr<int> PauseContainer(const CommandLine& cl);
absl::StatusOr<int> ResumeContainer(const CommandLine& cl);
absl::StatusOr<int> UpdateContainer(const CommandLine& cl);
absl::StatusOr<int> PrintContainerEvents(const CommandLine& cl);  // events
absl::StatusOr<int> CheckpointContainer(const CommandLine& cl);
absl::StatusOr<int> RestoreContainer(const CommandLine& cl);
absl::StatusOr<int> ExecInContainer(const CommandLine& cl);  // exec

// kill's signal argument: a name with or without "SIG", or a number.
// "unknown signal: X" otherwise.
absl::StatusOr<int> ParseSignalArg(const std::string& arg);

// Dispatches on cl.command.
absl::StatusOr<int> RunCommandLine(const CommandLine& cl);

}  // namespace run_oci

#endif  // RUN_OCI_COMMANDS_COMMANDS_H_
