// The flags of runc's pause/resume, update, events, checkpoint, restore and
// exec
// (runc's names; gflags spelling with '_'), defined here so that each of
// those commands reads the ones given from CommandLine::command_flags.
#ifndef RUN_OCI_COMMAND_FLAGS_H_
#define RUN_OCI_COMMAND_FLAGS_H_

#include <map>
#include <string>
#include <vector>

namespace run_oci {

// Each command's own (command_table.cc).
std::vector<std::string> UpdateCommandFlags();
std::vector<std::string> EventsCommandFlags();
std::vector<std::string> CheckpointCommandFlags();
std::vector<std::string> RestoreCommandFlags();
std::vector<std::string> ExecCommandFlags();

// --env, --cap and --additional-gids: each value counts (cli.h).
bool IsRepeatableFlag(const std::string& name);

// Those of `seen` (the names the command line set, NormalizedArgs::
// flags_seen) that are among the command's own `flags` (CommandSyntax),
// name -> value ("true"/"false" for the boolean ones), but for the
// repeatable ones and those cli.cc reads itself (--no-pivot,
// --preserve-fds). Call after gflags has parsed the line. Only the names
// given are looked up: asking gflags about every flag defined here cost
// more than the rest of the command line's parsing.
std::map<std::string, std::string> GivenCommandFlags(
    const std::vector<std::string>& flags,
    const std::vector<std::string>& seen);

}  // namespace run_oci

#endif  // RUN_OCI_COMMAND_FLAGS_H_
