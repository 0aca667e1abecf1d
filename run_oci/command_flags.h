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

// Every flag defined here.
const std::vector<std::string>& CgroupOpsFlagNames();

// Each command's own (command_table.cc).
std::vector<std::string> UpdateCommandFlags();
std::vector<std::string> EventsCommandFlags();
std::vector<std::string> CheckpointCommandFlags();
std::vector<std::string> RestoreCommandFlags();
std::vector<std::string> ExecCommandFlags();

// --env, --cap and --additional-gids: each value counts (cli.h).
bool IsRepeatableFlag(const std::string& name);

// Those that the command line set, name -> value ("true"/"false" for the
// boolean ones). Call after gflags has parsed the line.
std::map<std::string, std::string> GivenCgroupOpsFlags();

}  // namespace run_oci

#endif  // RUN_OCI_COMMAND_FLAGS_H_
