#include "run_oci/cli.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gflags/gflags.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/command_flags.h"
#include "run_oci/command_table.h"
#include "run_oci/container_id.h"
#include "run_oci/respawn_policy.h"
#include "run_oci/state_dir.h"

// Chromium's run_oci flags.
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
// Supervision (run --respawn; respawn_policy.h, supervisor.h).
DEFINE_string(respawn, "",
              "run: keep the container alive, THRESHOLD,DELAY,RETRY "
              "(procd's; --respawn alone: 3600,5,5)");
DEFINE_double(stop_timeout, 5,
              "run --respawn: seconds from SIGTERM to SIGKILL on stop");
// Readiness (notify_socket.h).
DEFINE_bool(notify_socket, false,
            "run/start with NOTIFY_SOCKET: the container sends READY=1 itself "
            "through /run/notify/notify.sock, run_oci relays it");
DEFINE_double(ready_timeout, 90, "seconds to wait for the container's READY=1");
// runc's global flags.
DEFINE_string(log, "", "also log warnings and errors to this file (append)");
DEFINE_string(log_format, "text", "--log file format: text or json");
DEFINE_bool(debug, false, "info lines to the --log file and a terminal");
DEFINE_bool(systemd_cgroup, false, "refused: there is no systemd driver");
// runc's command flags (each refused with other commands; see kCommands).
DEFINE_string(format, "table", "ps, list: table or json; check: text or json");
DEFINE_bool(quiet, false, "list: ids only");
DEFINE_bool(all, false, "kill: every process in the container's cgroups");
DEFINE_bool(rootless, false, "spec: a config for an unprivileged user");
DEFINE_bool(no_pivot, false, "refused: run_oci always uses pivot_root");
DEFINE_bool(no_new_keyring, false,
            "keep the caller's session keyring (run_oci always does)");
DEFINE_int32(preserve_fds, 0, "refused unless 0: no fds beyond stdio");

namespace run_oci {
namespace {

// Chromium's run_oci short flags, runc's spellings, to gflags names.
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
  };
  return *aliases;
}

bool IsBoolFlag(const std::string& name) {
  gflags::CommandLineFlagInfo info;
  return gflags::GetCommandLineFlagInfo(name.c_str(), &info) &&
         info.type == "bool";
}

bool IsDefinedFlag(const std::string& name) {
  gflags::CommandLineFlagInfo info;
  return gflags::GetCommandLineFlagInfo(name.c_str(), &info);
}

// A defined flag, or the negation "noX" of a defined bool flag X.
bool IsKnownFlag(const std::string& name) {
  if (IsDefinedFlag(name)) return true;
  return absl::StartsWith(name, "no") && IsBoolFlag(name.substr(2));
}

bool IsNegation(const std::string& name) {
  return !IsDefinedFlag(name) && absl::StartsWith(name, "no") &&
         IsBoolFlag(name.substr(2));
}

// The spellings gflags accepts for a bool, checked here so that a bad one
// is reported like every other error.
bool IsBoolValue(const std::string& value) {
  static const auto* values = new std::set<std::string>{
      "true", "false", "t", "f", "yes", "no", "y", "n", "1", "0"};
  return values->count(absl::AsciiStrToLower(value)) > 0;
}

std::string Dashed(const std::string& name) {
  return absl::StrCat("--", absl::StrReplaceAll(name, {{"_", "-"}}));
}

std::string ResolveAlias(const std::string& name,
                         const CommandSyntax* command) {
  if (command != nullptr) {
    if (auto it = command->aliases.find(name); it != command->aliases.end()) {
      return it->second;
    }
  }
  if (auto it = FlagAliases().find(name); it != FlagAliases().end()) {
    return it->second;
  }
  return name;
}

absl::Status NormalizeFlags(const std::vector<std::string>& argv,
                            NormalizedArgs* out,
                            std::vector<std::string>* positionals) {
  const CommandSyntax* command = nullptr;  // once its name has been read
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "--") {
      out->after_dashdash.assign(argv.begin() + i + 1, argv.end());
      return absl::OkStatus();
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positionals->push_back(arg);
      if (positionals->size() == 1) command = FindCommand(arg);
      // exec's program follows its id, with flags of its own (runc's
      // `exec ID sh -c x`): nothing after it is run_oci's.
      if (command != nullptr && command->command == Command::kExec &&
          positionals->size() == 2) {
        out->after_dashdash.assign(argv.begin() + i + 1, argv.end());
        if (i + 1 < argv.size() && argv[i + 1] == "--") {
          out->after_dashdash.erase(out->after_dashdash.begin());
        }
        return absl::OkStatus();
      }
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
      out->help = true;
      continue;
    }
    // gflags has a --version of its own; runc's is -v too.
    if (name == "v" || name == "version") {
      out->version = true;
      continue;
    }
    name = ResolveAlias(name, command);
    if (name.empty() || !IsKnownFlag(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag: ", arg));
    }
    // procd's respawn takes its parameters optionally, so a bare
    // --respawn must not swallow the id after it.
    if (name == "respawn" && !value.has_value()) value = kDefaultRespawnSpec;
    const bool is_bool = IsBoolFlag(name) || IsNegation(name);
    if (!value.has_value() && !is_bool) {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", arg, " needs a value"));
      }
      value = argv[++i];
    }
    if (value.has_value() && is_bool && !IsBoolValue(*value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "flag --", name, ": invalid boolean value '", *value, "'"));
    }
    out->flags_seen.push_back(IsNegation(name) ? name.substr(2) : name);
    if (name == "bind_mount") {
      out->bind_mounts.push_back(*value);
      continue;
    }
    if (IsRepeatableFlag(name)) {
      out->repeated[name].push_back(*value);
      continue;
    }
    out->argv.push_back(value.has_value()
                            ? absl::StrCat("--", name, "=", *value)
                            : absl::StrCat("--", name));
  }
  return absl::OkStatus();
}

// Hands the normalized argv to gflags; returns the positionals.
std::vector<std::string> ApplyGflags(std::vector<std::string> argv) {
  std::vector<char*> c_argv = base::NullTerminated(argv);
  int argc = static_cast<int>(c_argv.size()) - 1;
  char** argv_ptr = c_argv.data();
  // Names and bool values were checked before, so gflags has nothing left
  // to reject.
  gflags::ParseCommandLineNonHelpFlags(&argc, &argv_ptr, /*remove_flags=*/true);
  return std::vector<std::string>(argv_ptr + 1, argv_ptr + argc);
}

// --log, --log-format, --debug: in effect before anything else can fail.
absl::Status ApplyLogFlags() {
  absl::StatusOr<LogFormat> format = ParseLogFormat(FLAGS_log_format);
  SetDebugLogging(FLAGS_debug);
  if (!FLAGS_log.empty()) {
    // A bad --log-format is reported, in the log too, as text.
    RETURN_IF_ERROR(
        LogToRuntimeFile(FLAGS_log, format.value_or(LogFormat::kText)));
  }
  return format.status();
}

// The flags that are refused whatever the command, and those a command
// refuses because another owns them.
absl::Status CheckFlags(const CommandSyntax& syntax,
                        const std::vector<std::string>& seen) {
  for (const std::string& name : seen) {
    if (IsCommandFlag(name) &&
        std::count(syntax.flags.begin(), syntax.flags.end(), name) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "flag ", Dashed(name), " is not a flag of ", syntax.name));
    }
  }
  if (FLAGS_systemd_cgroup) {
    // sd_booted(3)'s test.
    bool systemd = access("/run/systemd/system", F_OK) == 0;
    return absl::InvalidArgumentError(
        absl::StrCat("--systemd-cgroup: run_oci has no systemd cgroup driver",
                     systemd ? "" : " (and PID 1 is not systemd here)",
                     "; leave the flag out to use cgroupfs"));
  }
  if (FLAGS_no_pivot) {
    return absl::InvalidArgumentError(
        "--no-pivot: not supported: run_oci always enters the root with "
        "pivot_root(2), so a root on ramfs or initramfs cannot be used");
  }
  if (FLAGS_preserve_fds != 0 && syntax.command != Command::kExec) {
    return absl::InvalidArgumentError(
        absl::StrCat("--preserve-fds ", FLAGS_preserve_fds,
                     ": not supported: run_oci passes no file descriptors "
                     "beyond stdio into the container"));
  }
  return absl::OkStatus();
}

absl::Status FillCommand(const CommandSyntax& syntax,
                         const std::vector<std::string>& positionals,
                         CommandLine* cl) {
  cl->command = syntax.command;
  size_t first_arg = 1;
  if (syntax.takes_id) {
    if (positionals.size() < 2) {
      return absl::InvalidArgumentError("missing container id");
    }
    cl->id = positionals[1];
    RETURN_IF_ERROR(ValidateContainerId(cl->id));
    first_arg = 2;
  }
  cl->args.assign(positionals.begin() + first_arg, positionals.end());
  if (cl->args.size() > syntax.max_args) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument: ", cl->args[syntax.max_args]));
  }
  if (syntax.command == Command::kCheck) {
    // A lint's output is text lines, not a table.
    cl->format = OutputFormat::kText;
    if (FLAGS_format == "json") {
      cl->format = OutputFormat::kJson;
    } else if (FLAGS_format != "text" &&
               !gflags::GetCommandLineFlagInfoOrDie("format").is_default) {
      return absl::InvalidArgumentError(
          absl::StrCat("--format ", FLAGS_format, ": must be text or json"));
    }
  } else if (FLAGS_format == "json") {
    cl->format = OutputFormat::kJson;
  } else if (FLAGS_format != "table") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format ", FLAGS_format, ": must be table or json"));
  }
  cl->quiet = FLAGS_quiet;
  cl->all = FLAGS_all;
  cl->rootless = FLAGS_rootless;
  cl->no_new_keyring = FLAGS_no_new_keyring;
  return absl::OkStatus();
}

absl::Status FillFlags(const NormalizedArgs& normalized, CommandLine* cl) {
  cl->extra_program_args = normalized.after_dashdash;
  for (const std::string& value : normalized.bind_mounts) {
    ASSIGN_OR_RETURN(auto bind, ParseBindMount(value));
    cl->bind_mounts.push_back(std::move(bind));
  }
  cl->bundle = FLAGS_container_path;
  if (cl->bundle.empty()) {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == nullptr) {
      return absl::InternalError(absl::StrCat("getcwd: ", strerror(errno)));
    }
    cl->bundle = cwd;
  }
  cl->cgroup_parent = FLAGS_cgroup_parent;
  cl->use_current_user = FLAGS_use_current_user;
  cl->run_as_init = !FLAGS_dont_run_as_init;
  cl->log_dir = FLAGS_log_dir;
  cl->log_tag = FLAGS_log_tag;
  cl->sigstop_when_ready = FLAGS_sigstop_when_ready;
  cl->signal = FLAGS_signal;
  cl->root = FLAGS_root.empty() ? kDefaultStateRoot : FLAGS_root;
  cl->pid_file = FLAGS_pid_file;
  cl->force = FLAGS_force;
  cl->console_socket = FLAGS_console_socket;
  cl->respawn = FLAGS_respawn;
  if (!cl->respawn.empty())
    RETURN_IF_ERROR(ParseRespawnSpec(cl->respawn).status());
  if (!(FLAGS_stop_timeout >= 0 && FLAGS_stop_timeout <= 3600)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--stop_timeout ", FLAGS_stop_timeout,
                     ": must be between 0 and 3600 seconds"));
  }
  cl->stop_timeout_seconds = FLAGS_stop_timeout;
  if (!(FLAGS_ready_timeout > 0 && FLAGS_ready_timeout <= 86400)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--ready_timeout ", FLAGS_ready_timeout,
                     ": must be more than 0 and at most 86400 seconds"));
  }
  cl->notify_socket = FLAGS_notify_socket;
  cl->ready_timeout_seconds = FLAGS_ready_timeout;
  cl->log = FLAGS_log;
  cl->log_format = ParseLogFormat(FLAGS_log_format).value_or(LogFormat::kText);
  cl->debug = FLAGS_debug;
  cl->repeated_flags = normalized.repeated;
  cl->preserve_fds = FLAGS_preserve_fds;
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeArgsInto(std::vector<std::string> argv,
                               NormalizedArgs* out) {
  *out = NormalizedArgs();
  if (!argv.empty()) out->argv.push_back(argv[0]);
  std::vector<std::string> positionals;
  absl::Status status = NormalizeFlags(argv, out, &positionals);
  out->argv.insert(out->argv.end(), positionals.begin(), positionals.end());
  return status;
}

absl::StatusOr<NormalizedArgs> NormalizeArgs(std::vector<std::string> argv) {
  NormalizedArgs out;
  RETURN_IF_ERROR(NormalizeArgsInto(std::move(argv), &out));
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
  NormalizedArgs normalized;
  absl::Status normalized_ok = NormalizeArgsInto(std::move(argv), &normalized);
  // What was read before an error still counts: its --log gets the error.
  std::vector<std::string> positionals = ApplyGflags(normalized.argv);
  absl::Status log_ok = ApplyLogFlags();
  RETURN_IF_ERROR(normalized_ok);
  RETURN_IF_ERROR(log_ok);

  CommandLine cl;
  const CommandSyntax* syntax =
      positionals.empty() ? nullptr : FindCommand(positionals[0]);
  if (!positionals.empty() && syntax == nullptr) {
    // Also for --help: engines probe `<command> --help` to learn whether a
    // command exists (podman: checkpoint).
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command: ", positionals[0]));
  }
  if (normalized.version || normalized.help) {
    *help = true;
    cl.help_text = normalized.version  ? VersionText()
                   : syntax != nullptr ? CommandUsage(*syntax)
                                       : Usage();
    return cl;
  }
  if (syntax == nullptr) return absl::InvalidArgumentError("missing command");
  RETURN_IF_ERROR(CheckFlags(*syntax, normalized.flags_seen));
  RETURN_IF_ERROR(FillCommand(*syntax, positionals, &cl));
  RETURN_IF_ERROR(FillFlags(normalized, &cl));
  cl.command_flags = GivenCommandFlags(syntax->flags, normalized.flags_seen);
  return cl;
}

}  // namespace run_oci
