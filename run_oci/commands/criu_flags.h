// checkpoint's and restore's flags (runc's) as CRIU options, and the criu
// both run.
#ifndef RUN_OCI_COMMANDS_CRIU_FLAGS_H_
#define RUN_OCI_COMMANDS_CRIU_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/criu_args.h"
#include "run_oci/cli.h"

namespace run_oci {

// The value of a flag in CommandLine::command_flags; "" when not given.
std::string GivenFlag(const CommandLine& cl, const std::string& name);
bool GivenBoolFlag(const CommandLine& cl, const std::string& name);

// Everything but the paths and the container's own facts, which the
// commands fill in. Errors name the flag.
absl::StatusOr<libcontainer::CriuDumpOptions> CriuDumpFlags(
    const CommandLine& cl);
absl::StatusOr<libcontainer::CriuRestoreOptions> CriuRestoreFlags(
    const CommandLine& cl);

// The criu binary once `criu check` passes; else criu's reason and what it
// means for container `id` ("<reason>; container <id> <outcome>").
absl::StatusOr<std::string> UsableCriu(const std::string& id,
                                       absl::string_view outcome);

}  // namespace run_oci

#endif  // RUN_OCI_COMMANDS_CRIU_FLAGS_H_
