#include "run_oci/exec_process.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_names.h"
#include "run_oci/parser/oci_parser.h"

namespace run_oci {
namespace {

constexpr char kProcessFile[] = "process.json";

bool FlagIsTrue(const CommandLine& cl, const char* name) {
  auto it = cl.command_flags.find(name);
  return it != cl.command_flags.end() && it->second == "true";
}

std::optional<std::string> FlagValue(const CommandLine& cl, const char* name) {
  auto it = cl.command_flags.find(name);
  if (it == cl.command_flags.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Repeated(const CommandLine& cl, const char* name) {
  auto it = cl.repeated_flags.find(name);
  return it == cl.repeated_flags.end() ? std::vector<std::string>()
                                       : it->second;
}

// The converter words its errors for config.json's "process" member.
absl::Status ForProcessFile(const absl::Status& status) {
  if (status.ok()) return status;
  std::string message(status.message());
  const std::string prefix = "config.json: process.";
  if (absl::StartsWith(message, prefix)) {
    message = absl::StrCat(kProcessFile, ": ", message.substr(prefix.size()));
  }
  return absl::Status(status.code(), message);
}

absl::StatusOr<uint32_t> ParseId(const std::string& text,
                                 absl::string_view flag) {
  uint32_t id = 0;
  if (text.empty() || !absl::SimpleAtoi(text, &id) ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", text, ": expected a number"));
  }
  return id;
}

void SetEnv(std::vector<std::string>* env, const std::string& entry) {
  const std::string key = entry.substr(0, entry.find('=') + 1);
  for (std::string& e : *env) {
    if (absl::StartsWith(e, key)) {
      e = entry;
      return;
    }
  }
  env->push_back(entry);
}

// What a process.json replaces of the init's process.
absl::Status ApplyProcessFile(const std::string& text,
                              libcontainer::Config* config) {
  ASSIGN_OR_RETURN(OciProcess oci, ParseOciProcess(text, kProcessFile));
  libcontainer::Config parsed;
  std::vector<std::string> warnings;
  RETURN_IF_ERROR(ForProcessFile(ConvertOciProcess(oci, &parsed, &warnings)));
  config->argv = parsed.argv;
  config->env = parsed.env;
  config->cwd = parsed.cwd;
  config->uid = parsed.uid;
  config->gid = parsed.gid;
  config->additional_gids = parsed.additional_gids;
  if (parsed.umask) config->umask = parsed.umask;
  config->terminal = parsed.terminal;
  config->console_rows = parsed.console_rows;
  config->console_cols = parsed.console_cols;
  if (parsed.capabilities) config->capabilities = parsed.capabilities;
  if (!parsed.rlimits.empty()) config->rlimits = parsed.rlimits;
  config->no_new_privileges |= parsed.no_new_privileges;
  if (!parsed.apparmor_profile.empty()) {
    config->apparmor_profile = parsed.apparmor_profile;
  }
  if (!parsed.selinux_label.empty()) {
    config->selinux_label = parsed.selinux_label;
  }
  if (parsed.oom_score_adj) config->oom_score_adj = parsed.oom_score_adj;
  config->io_priority = parsed.io_priority;
  config->scheduler = parsed.scheduler;
  return absl::OkStatus();
}

absl::Status ApplyUser(const std::string& user, libcontainer::Config* config) {
  std::vector<std::string> parts =
      absl::StrSplit(user, absl::MaxSplits(':', 1));
  // Names would have to be looked up in the container's /etc/passwd;
  // engines send numbers.
  ASSIGN_OR_RETURN(config->uid, ParseId(parts[0], "--user"));
  if (parts.size() == 2) {
    ASSIGN_OR_RETURN(config->gid, ParseId(parts[1], "--user"));
  }
  return absl::OkStatus();
}

absl::Status AddCaps(const std::vector<std::string>& names,
                     libcontainer::Config* config) {
  if (names.empty()) return absl::OkStatus();
  // A container without process.capabilities keeps the runtime's, all of
  // them: there is nothing to add.
  if (!config->capabilities) return absl::OkStatus();
  libcontainer::Capabilities& caps = *config->capabilities;
  for (const std::string& name : names) {
    std::optional<int> cap = CapabilityFromName(name);
    if (!cap.has_value() || *cap < 0 || *cap > 63) {
      return absl::InvalidArgumentError(
          absl::StrCat("--cap ", name, ": unknown capability"));
    }
    const uint64_t bit = uint64_t{1} << *cap;
    // Ambient (and so inheritable) too: a non-root user keeps a capability
    // across execve only through its ambient set.
    for (uint64_t* set : {&caps.bounding, &caps.effective, &caps.permitted,
                          &caps.inheritable, &caps.ambient}) {
      *set |= bit;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExecFlags> ExecFlagsFromCommandLine(const CommandLine& cl) {
  ExecFlags flags;
  flags.process_file = FlagValue(cl, "process").value_or("");
  flags.args = cl.extra_program_args;
  flags.env = Repeated(cl, "env");
  flags.cwd = FlagValue(cl, "cwd");
  flags.user = FlagValue(cl, "user");
  for (const std::string& value : Repeated(cl, "additional_gids")) {
    // runc takes a list in one value too: -g 10,20.
    for (absl::string_view gid :
         absl::StrSplit(value, ',', absl::SkipEmpty())) {
      flags.additional_gids.emplace_back(gid);
    }
  }
  flags.caps = Repeated(cl, "cap");
  flags.apparmor = FlagValue(cl, "apparmor").value_or("");
  flags.process_label = FlagValue(cl, "process_label").value_or("");
  flags.no_new_privs = FlagIsTrue(cl, "no_new_privs");
  flags.tty = FlagIsTrue(cl, "tty");
  flags.detach = FlagIsTrue(cl, "detach");
  flags.ignore_paused = FlagIsTrue(cl, "ignore_paused");
  flags.preserve_fds = cl.preserve_fds;
  if (flags.preserve_fds < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--preserve-fds ", flags.preserve_fds, ": must not be negative"));
  }
  for (const std::string& e : flags.env) {
    if (e.empty() || e[0] == '=' || e.find('=') == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--env ", e, ": expected KEY=VALUE"));
    }
  }
  if (flags.cwd && (flags.cwd->empty() || (*flags.cwd)[0] != '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("--cwd ", *flags.cwd, ": must be an absolute path"));
  }
  return flags;
}

absl::StatusOr<libcontainer::Config> ExecProcessConfig(
    const libcontainer::Config& init,
    const std::optional<std::string>& process_json, const ExecFlags& flags) {
  if (process_json && !flags.args.empty()) {
    return absl::InvalidArgumentError(
        "exec: give the program either as --process FILE or as args after "
        "the id, not both");
  }
  if (!process_json && flags.args.empty()) {
    return absl::InvalidArgumentError(
        "exec: no program: give its args after the id, or --process FILE");
  }
  libcontainer::Config config;
  config.env = init.env;
  config.cwd = init.cwd;
  config.uid = init.uid;
  config.gid = init.gid;
  config.additional_gids = init.additional_gids;
  config.umask = init.umask;
  config.capabilities = init.capabilities;
  config.rlimits = init.rlimits;
  config.no_new_privileges = init.no_new_privileges;
  config.apparmor_profile = init.apparmor_profile;
  config.selinux_label = init.selinux_label;
  config.oom_score_adj = init.oom_score_adj;
  config.seccomp = init.seccomp;
  config.securebits_skip_mask = init.securebits_skip_mask;
  config.personality = init.personality;
  config.argv = flags.args;
  if (process_json) RETURN_IF_ERROR(ApplyProcessFile(*process_json, &config));
  for (const std::string& e : flags.env) SetEnv(&config.env, e);
  if (flags.cwd) config.cwd = *flags.cwd;
  if (flags.user) RETURN_IF_ERROR(ApplyUser(*flags.user, &config));
  if (!flags.additional_gids.empty()) {
    config.additional_gids.clear();
    for (const std::string& gid : flags.additional_gids) {
      ASSIGN_OR_RETURN(uint32_t id, ParseId(gid, "--additional-gids"));
      config.additional_gids.push_back(id);
    }
  }
  RETURN_IF_ERROR(AddCaps(flags.caps, &config));
  config.no_new_privileges |= flags.no_new_privs;
  if (flags.tty) config.terminal = true;
  if (!flags.apparmor.empty()) config.apparmor_profile = flags.apparmor;
  if (!flags.process_label.empty()) config.selinux_label = flags.process_label;
  return config;
}

}  // namespace run_oci
