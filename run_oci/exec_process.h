// What `exec` runs: its command line (runc's flags) and optional
// process.json laid over the init's process as the state record keeps it.
// Pure, so every rule is unit-tested.
//
// Base: the init's env, cwd, user, capabilities, rlimits, no_new_privs,
// AppArmor profile, SELinux label, umask, seccomp profile, securebits and
// personality. A process.json replaces args, env, cwd, user and terminal;
// its capabilities, rlimits (when it lists any), AppArmor profile, SELinux
// label and OOM score replace the init's. no_new_privs is the init's OR
// the process.json's OR --no-new-privs: an exec never has fewer
// restrictions than the init. The seccomp profile, securebits and
// personality are always the init's. Then the flags: --env adds or
// replaces a variable, --cwd, --user uid[:gid], --additional-gids (the
// list), --cap adds a capability to every set, --tty asks for a terminal,
// --apparmor and --process-label set those.
#ifndef RUN_OCI_EXEC_PROCESS_H_
#define RUN_OCI_EXEC_PROCESS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/config.h"
#include "run_oci/cli.h"

namespace run_oci {

struct ExecFlags {
  std::string process_file;       // --process; empty: not given
  std::vector<std::string> args;  // the program, after the id
  std::vector<std::string> env;   // --env/-e KEY=VALUE, repeatable
  std::optional<std::string> cwd;
  std::optional<std::string> user;           // --user/-u uid[:gid]
  std::vector<std::string> additional_gids;  // --additional-gids/-g
  std::vector<std::string> caps;             // --cap/-c CAP_X
  std::string apparmor;                      // --apparmor
  std::string process_label;                 // --process-label
  bool no_new_privs = false;
  bool tty = false;
  bool detach = false;
  bool ignore_paused = false;
  int preserve_fds = 0;
};

// From the parsed command line (CommandLine's exec fields).
absl::StatusOr<ExecFlags> ExecFlagsFromCommandLine(const CommandLine& cl);

// The process to start. `process_json` is the --process file's text.
// Errors are one line naming the flag or "process.json: <field>".
absl::StatusOr<libcontainer::Config> ExecProcessConfig(
    const libcontainer::Config& init,
    const std::optional<std::string>& process_json, const ExecFlags& flags);

}  // namespace run_oci

#endif  // RUN_OCI_EXEC_PROCESS_H_
