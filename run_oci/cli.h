// run_oci's command line: `run_oci [flags] <command> [<id>] [args] [--
// extra program args]`, with Chromium's run_oci flags and commands and
// runc's, as container engines call it. Flags are gflags; before gflags
// sees them, argv is normalized so that Chromium's short forms (-c, -b,
// ...), a command's own short forms (kill -a, list -q), dashed names
// (--pid-file) and repeated --bind_mount all work, and an unknown flag is
// one clean error instead of gflags' exit.
//
// Adding a command: a Command value here, one row in command_table.cc
// (name, id, arguments, its own flags and short forms, help), one row in
// commands/commands.cc's dispatch table and one file in commands/.
#ifndef RUN_OCI_CLI_H_
#define RUN_OCI_CLI_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "run_oci/logging.h"

namespace run_oci {

enum class Command {
  kRun,
  kStart,
  kCreate,
  kState,
  kKill,
  kDestroy,
  kPs,
  kList,
  kFeatures,
  kSpec,
  kCheck,  // lint of a bundle's config.json (commands/check.cc)
  // runc's commands on a container's cgroups, and CRIU's.
  kPause,
  kResume,
  kUpdate,
  kEvents,
  kCheckpoint,
  kRestore,
  // A new process in a running container.
  kExec,
};

// ps and list: runc's --format (table, json); check: text or json.
enum class OutputFormat { kTable, kJson, kText };

struct CommandLine {
  Command command = Command::kRun;
  std::string id;  // empty for commands without one (list, features, spec)
  // Positional arguments after the id (kill's signal).
  std::vector<std::string> args;
  // Everything after "--": appended to the container's process.args.
  std::vector<std::string> extra_program_args;

  std::string bundle;  // --container_path/-c/--bundle; default: cwd
  std::vector<std::pair<std::string, std::string>> bind_mounts;  // -b A:B
  std::string cgroup_parent;
  bool use_current_user = false;
  bool run_as_init = true;
  std::string log_dir;
  std::string log_tag;
  bool sigstop_when_ready = false;
  std::string signal;  // --signal/-S; empty: not given
  std::string root;    // state root
  std::string pid_file;
  bool force = false;
  std::string console_socket;  // --console-socket; empty: not given
  // run --respawn[=THRESHOLD,DELAY,RETRY] (respawn_policy.h); empty: not
  // supervised. --stop_timeout: SIGTERM to SIGKILL when stopping it.
  std::string respawn;
  double stop_timeout_seconds = 5;
  // notify_socket.h: --notify-socket (the container notifies itself) and
  // how long run_oci waits for its READY=1.
  bool notify_socket = false;
  double ready_timeout_seconds = 90;

  // runc's global flags. --log/--log-format/--debug are in effect as soon
  // as ParseCommandLine has read them.
  std::string log;  // --log FILE; empty: not given
  LogFormat log_format = LogFormat::kText;
  bool debug = false;
  // runc's command flags.
  OutputFormat format = OutputFormat::kTable;  // ps, list, check
  bool quiet = false;                          // list -q
  bool all = false;                            // kill --all
  bool rootless = false;                       // spec --rootless
  bool no_new_keyring = false;                 // create, run
  // The command's own flags that were given (update, events, checkpoint,
  // restore and exec read theirs here; command_flags.h), gflags name ->
  // value.
  std::map<std::string, std::string> command_flags;
  // exec's repeatable flags (--env, --cap, --additional-gids), every value
  // in order.
  std::map<std::string, std::vector<std::string>> repeated_flags;
  int preserve_fds = 0;  // exec (run and create refuse anything but 0)

  // With --help or --version: what to print (and exit 0).
  std::string help_text;
};

// The normalized argv handed to gflags, plus what gflags cannot express.
struct NormalizedArgs {
  std::vector<std::string>
      argv;  // argv[0], "--long_name[=value]"..., positionals
  std::vector<std::string> bind_mounts;  // every --bind_mount value, in order
  std::vector<std::string> after_dashdash;
  std::vector<std::string> flags_seen;  // gflags names, in order
  // Values of the repeatable flags (RepeatableFlagNames), not given to
  // gflags, which keeps only the last.
  std::map<std::string, std::vector<std::string>> repeated;
  bool help = false;
  bool version = false;
};

// Pure rewriting of argv (argv[0] included); fails on unknown flags, a
// missing value. `out` holds what was read up to an error.
absl::Status NormalizeArgsInto(std::vector<std::string> argv,
                               NormalizedArgs* out);
absl::StatusOr<NormalizedArgs> NormalizeArgs(std::vector<std::string> argv);

// "A:B" -> {A, B}; both non-empty.
absl::StatusOr<std::pair<std::string, std::string>> ParseBindMount(
    const std::string& value);

// Parses the whole command line (gflags state is process-global: call once
// per process, or under a gflags::FlagSaver in tests) and validates the
// container id of commands that take one. `help` is set, and only
// help_text filled, when --help/-h or --version was given; `<command>
// --help` of a command that does not exist is an error. --log, --log-format
// and --debug take effect here, so that errors in the rest of the line
// reach the log too (containerd shows the log's last error line).
absl::StatusOr<CommandLine> ParseCommandLine(std::vector<std::string> argv,
                                             bool* help);

// The general help (command_table.cc).
std::string Usage();
// "run_oci version X\nspec: 1.3.0\n".
std::string VersionText();

}  // namespace run_oci

#endif  // RUN_OCI_CLI_H_
