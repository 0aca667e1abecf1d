// The commands run_oci knows, as data: name, whether an id follows, how
// many arguments, the flags only it takes and its own short forms, and its
// help. The parser (cli.cc) reads it; `<command> --help` and the general
// usage are printed from it.
//
// Adding a command: a Command value (cli.h), one row in kCommands here,
// one row in commands/commands.cc's dispatch table, its file in commands/.
#ifndef RUN_OCI_COMMAND_TABLE_H_
#define RUN_OCI_COMMAND_TABLE_H_

#include <map>
#include <string>
#include <vector>

#include "run_oci/cli.h"

namespace run_oci {

struct CommandSyntax {
  const char* name;
  Command command;
  bool takes_id;
  size_t max_args;  // positionals after the id (or the name)
  // Its own flags (gflags names); every other command refuses them.
  std::vector<std::string> flags;
  // Its own short forms, looked up before the global ones.
  std::map<std::string, std::string> aliases;
  const char* synopsis;
  const char* summary;  // one line for the general usage
  const char* help;     // what it does, then its flags
};

const std::vector<CommandSyntax>& Commands();
// nullptr for a name that is no command.
const CommandSyntax* FindCommand(const std::string& name);
// A flag some command owns (and every other one refuses).
bool IsCommandFlag(const std::string& name);

// "Usage: run_oci [flags] <synopsis>\n" and its help.
std::string CommandUsage(const CommandSyntax& syntax);

}  // namespace run_oci

#endif  // RUN_OCI_COMMAND_TABLE_H_
