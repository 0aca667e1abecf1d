// run_oci's command line: `run_oci [flags] <command> <id> [args] [-- extra
// program args]`. Flags are gflags; before gflags sees them, argv is
// normalized so that Chromium's short forms (-c, -b, ...), dashed names
// (--pid-file) and repeated --bind_mount all work, and an unknown flag is
// one clean error instead of gflags' exit.
#ifndef RUN_OCI_CLI_H_
#define RUN_OCI_CLI_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace run_oci {

enum class Command {
  kRun,
  kStart,
  kCreate,
  kState,
  kKill,
  kDestroy,
  // runc's commands on a container's cgroups, and CRIU's.
  kPause,
  kResume,
  kUpdate,
  kEvents,
  kCheckpoint,
  kRestore,
};

struct CommandLine {
  Command command = Command::kRun;
  std::string id;
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
  // The flags of update, events, checkpoint and restore that were given
  // (command_flags.h), gflags name -> value.
  std::map<std::string, std::string> command_flags;
};

// The normalized argv handed to gflags, plus what gflags cannot express.
struct NormalizedArgs {
  std::vector<std::string>
      argv;  // argv[0], "--long_name[=value]"..., positionals
  std::vector<std::string> bind_mounts;  // every --bind_mount value, in order
  std::vector<std::string> after_dashdash;
  bool help = false;
};

// Pure rewriting of argv (argv[0] included); fails on unknown flags, a
// missing value.
absl::StatusOr<NormalizedArgs> NormalizeArgs(std::vector<std::string> argv);

// "A:B" -> {A, B}; both non-empty.
absl::StatusOr<std::pair<std::string, std::string>> ParseBindMount(
    const std::string& value);

// Parses the whole command line (gflags state is process-global: call once
// per process, or under a gflags::FlagSaver in tests). `help` is set and
// nothing else is filled when --help/-h was given.
absl::StatusOr<CommandLine> ParseCommandLine(std::vector<std::string> argv,
                                             bool* help);

std::string Usage();

}  // namespace run_oci

#endif  // RUN_OCI_CLI_H_
