#include "run_oci/cli.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gflags/gflags.h"
#include "run_oci/command_flags.h"
#include "run_oci/state_dir.h"

DEFINE_string(container_path, "",
              "OCI bundle directory (config.json, rootfs); default: cwd");
DEFINE_string(bind_mount, "",
              "extra bind mount HOST:CONTAINER (repeatable; short -b)");
DEFINE_string(cgroup_parent, "",
              "cgroup parent, used when config.json has no cgroupsPath");
DEFINE_bool(use_current_user, false,
            "map the current user to root in a new user namespace");
DEFINE_bool(dont_run_as_init, false,
            "run a small init as pid 1 instead of the program");
DEFINE_string(log_dir, "", "log to <dir>/<id>.<timestamp> instead of syslog");
DEFINE_string(log_tag, "",
              "syslog tag; the container's stdout/stderr go to syslog too");
DEFINE_bool(sigstop_when_ready, false,
            "raise SIGSTOP on run_oci once the container is ready");
DEFINE_string(signal, "",
              "signal for kill (name with or without SIG, or number)");
DEFINE_string(root, run_oci::kDefaultStateRoot, "state directory root");
DEFINE_string(pid_file, "", "also write the container's pid to this file");
DEFINE_bool(force, false, "destroy: kill a running container first");
DEFINE_string(console_socket, "",
              "unix socket that receives the container's terminal master "
              "(process.terminal)");

namespace run_oci {
namespace {

// Chromium's run_oci short flags and the OCI spellings, to gflags names.
const std::map<std::string, std::string>& FlagAliases() {
  static const auto* aliases = new std::map<std::string, std::string>{
      {"c", "container_path"},
      {"bundle", "container_path"},
      {"b", "bind_mount"},
      {"p", "cgroup_parent"},
      {"u", "use_current_user"},
      {"i", "dont_run_as_init"},
      {"l", "log_dir"},
      {"t", "log_tag"},
      {"s", "sigstop_when_ready"},
      {"S", "signal"},
      {"f", "force"},
      {"r", "resources"},
  };
  return *aliases;
}

bool IsBoolFlag(const std::string& name) {
  gflags::CommandLineFlagInfo info;
  return gflags::GetCommandLineFlagInfo(name.c_str(), &info) &&
         info.type == "bool";
}

bool IsKnownFlag(const std::string& name) {
  gflags::CommandLineFlagInfo info;
  if (gflags::GetCommandLineFlagInfo(name.c_str(), &info)) return true;
  return absl::StartsWith(name, "no") && IsBoolFlag(name.substr(2));
}

// The spellings gflags accepts for a bool, checked here so that a bad one
// is reported like every other error.
bool IsBoolValue(const std::string& value) {
  static const auto* values = new std::set<std::string>{
      "true", "false", "t", "f", "yes", "no", "y", "n", "1", "0"};
  return values->count(absl::AsciiStrToLower(value)) > 0;
}

std::optional<Command> CommandFromName(const std::string& name) {
  static const auto* commands = new std::map<std::string, Command>{
      {"run", Command::kRun},         {"start", Command::kStart},
      {"create", Command::kCreate},   {"state", Command::kState},
      {"kill", Command::kKill},       {"destroy", Command::kDestroy},
      {"delete", Command::kDestroy},  {"pause", Command::kPause},
      {"resume", Command::kResume},   {"update", Command::kUpdate},
      {"events", Command::kEvents},   {"checkpoint", Command::kCheckpoint},
      {"restore", Command::kRestore},
  };
  auto it = commands->find(name);
  if (it == commands->end()) return std::nullopt;
  return it->second;
}

}  // namespace

absl::StatusOr<NormalizedArgs> NormalizeArgs(std::vector<std::string> argv) {
  NormalizedArgs out;
  std::vector<std::string> positionals;
  if (!argv.empty()) out.argv.push_back(argv[0]);
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "--") {
      out.after_dashdash.assign(argv.begin() + i + 1, argv.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positionals.push_back(arg);
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      value = body.substr(eq + 1);
      body.resize(eq);
    }
    // Single-letter names are case-sensitive aliases (-s vs -S); for the
    // rest, --pid-file and --pid_file are the same flag.
    std::string name =
        body.size() == 1 ? body : absl::StrReplaceAll(body, {{"-", "_"}});
    if (name == "h" || name == "help") {
      out.help = true;
      continue;
    }
    if (auto alias = FlagAliases().find(name); alias != FlagAliases().end()) {
      name = alias->second;
    }
    if (name.empty() || !IsKnownFlag(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag: ", arg));
    }
    if (!value.has_value() && !IsBoolFlag(name) &&
        !(absl::StartsWith(name, "no") && IsBoolFlag(name.substr(2)))) {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", arg, " needs a value"));
      }
      value = argv[++i];
    }
    if (value.has_value() && IsBoolFlag(name) && !IsBoolValue(*value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "flag --", name, ": invalid boolean value '", *value, "'"));
    }
    if (name == "bind_mount") {
      out.bind_mounts.push_back(*value);
      continue;
    }
    out.argv.push_back(value.has_value() ? absl::StrCat("--", name, "=", *value)
                                         : absl::StrCat("--", name));
  }
  out.argv.insert(out.argv.end(), positionals.begin(), positionals.end());
  return out;
}

absl::StatusOr<std::pair<std::string, std::string>> ParseBindMount(
    const std::string& value) {
  size_t colon = value.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--bind_mount ", value, ": expected HOST_PATH:CONTAINER_PATH"));
  }
  return std::pair{value.substr(0, colon), value.substr(colon + 1)};
}

absl::StatusOr<CommandLine> ParseCommandLine(std::vector<std::string> argv,
                                             bool* help) {
  *help = false;
  absl::StatusOr<NormalizedArgs> normalized = NormalizeArgs(std::move(argv));
  if (!normalized.ok()) return normalized.status();
  if (normalized->help) {
    *help = true;
    return CommandLine();
  }
  std::vector<char*> c_argv;
  for (std::string& arg : normalized->argv) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);
  int argc = static_cast<int>(c_argv.size()) - 1;
  char** argv_ptr = c_argv.data();
  // Names and bool values were checked above, so gflags has nothing left
  // to reject.
  gflags::ParseCommandLineNonHelpFlags(&argc, &argv_ptr, /*remove_flags=*/true);

  std::vector<std::string> positionals(argv_ptr + 1, argv_ptr + argc);
  if (positionals.empty()) return absl::InvalidArgumentError("missing command");
  std::optional<Command> command = CommandFromName(positionals[0]);
  if (!command.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command: ", positionals[0]));
  }
  if (positionals.size() < 2) {
    return absl::InvalidArgumentError("missing container id");
  }
  CommandLine cl;
  cl.command = *command;
  cl.id = positionals[1];
  cl.args.assign(positionals.begin() + 2, positionals.end());
  size_t max_args = *command == Command::kKill ? 1 : 0;
  if (cl.args.size() > max_args) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument: ", cl.args[max_args]));
  }
  cl.extra_program_args = normalized->after_dashdash;
  for (const std::string& value : normalized->bind_mounts) {
    absl::StatusOr<std::pair<std::string, std::string>> bind =
        ParseBindMount(value);
    if (!bind.ok()) return bind.status();
    cl.bind_mounts.push_back(*std::move(bind));
  }
  cl.bundle = FLAGS_container_path;
  if (cl.bundle.empty()) {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == nullptr) {
      return absl::InternalError(absl::StrCat("getcwd: ", strerror(errno)));
    }
    cl.bundle = cwd;
  }
  cl.cgroup_parent = FLAGS_cgroup_parent;
  cl.use_current_user = FLAGS_use_current_user;
  cl.run_as_init = !FLAGS_dont_run_as_init;
  cl.log_dir = FLAGS_log_dir;
  cl.log_tag = FLAGS_log_tag;
  cl.sigstop_when_ready = FLAGS_sigstop_when_ready;
  cl.signal = FLAGS_signal;
  cl.root = FLAGS_root.empty() ? kDefaultStateRoot : FLAGS_root;
  cl.pid_file = FLAGS_pid_file;
  cl.force = FLAGS_force;
  cl.console_socket = FLAGS_console_socket;
  cl.command_flags = GivenCgroupOpsFlags();
  return cl;
}

std::string Usage() {
  return R"(Usage: run_oci [flags] <command> <id> [-- extra program args]
Commands:
  run <id>           create and run in the foreground; exits with its status
  start <id>         start a created container, or create and start it in
                     the background
  create <id>        create; the program waits for `start`
  state <id>         print the OCI state JSON
  kill <id> [SIG]    send a signal (default TERM)
  destroy <id>       run poststop hooks and free everything (alias: delete)
  pause <id>         freeze every process of a created or running container
  resume <id>        thaw a paused container
  update <id>        new cgroup limits: -r, --resources FILE|- (linux.resources
                     JSON) or runc's flags (--memory 512m, --memory-swap,
                     --memory-reservation, --pids-limit, --cpu-quota,
                     --cpu-period, --cpu-share, --cpuset-cpus, --cpuset-mems,
                     --blkio-weight, ...)
  events <id>        statistics and OOM events as JSON lines: --stats (once),
                     --interval D (default 5s)
  checkpoint <id>    CRIU dump: --image-path DIR, --work-path DIR,
                     --leave-running, --tcp-established, --file-locks, ...
  restore <id>       CRIU restore from --image-path into a new container
Flags:
  -c, --container_path, --bundle DIR  OCI bundle (default: current dir)
  -b, --bind_mount HOST:CONTAINER     extra bind mount (repeatable)
  -p, --cgroup_parent NAME            cgroup parent when config has no
                                      cgroupsPath
  -u, --use_current_user              map the current user to root
  -i, --dont_run_as_init              run a small init as pid 1
  -l, --log_dir DIR                   log to DIR/<id>.<timestamp>
  -t, --log_tag TAG                   syslog tag; container output to syslog
  -s, --sigstop_when_ready            SIGSTOP run_oci once ready (run)
  -S, --signal SIG                    signal for kill
  -f, --force                         destroy: kill first
      --root DIR                      state root (default /run/containers)
      --pid-file FILE                 create/start: write the pid there
      --console-socket PATH           create/run/start: send the terminal's
                                      master fd there (process.terminal)
      --timings                       run: print each start phase's time
  -h, --help                          this text
)";
}

}  // namespace run_oci
