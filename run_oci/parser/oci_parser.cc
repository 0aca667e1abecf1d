#include "run_oci/parser/oci_parser.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "libcontainer/symbol_tables.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/document.h"
#include "run_oci/parser/json_oci_sections.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_names.h"

namespace run_oci {
namespace {

// Each entry is "KEY=VALUE"; VALUE may itself contain '='.
absl::Status ValidateEnv(const JsonReader& r, absl::string_view path,
                         const std::vector<std::string>& env) {
  for (size_t i = 0; i < env.size(); ++i) {
    size_t equals = env[i].find('=');
    if (equals == std::string::npos || equals == 0) {
      RETURN_OR_COLLECT(r, r.Error(JsonIndexPath(path, i),
                                   absl::StrCat("must be KEY=VALUE, got ",
                                                JsonQuote(env[i]))));
    }
  }
  return absl::OkStatus();
}

// SemVer 2.0.0 (semver.org): MAJOR.MINOR.PATCH, each a number without
// leading zeros, then optionally -PRERELEASE (dot-separated identifiers of
// [0-9A-Za-z-], numeric ones without leading zeros) and +BUILD (the same
// characters, leading zeros allowed). Sets `*major` on success.
bool IsSemVerIdentifier(absl::string_view id, bool numeric_strict) {
  if (id.empty()) return false;
  bool all_digits = true;
  for (char c : id) {
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !alpha && c != '-') return false;
    all_digits = all_digits && digit;
  }
  return !(numeric_strict && all_digits && id.size() > 1 && id[0] == '0');
}

bool ParseSemVer(absl::string_view text, uint64_t* major) {
  absl::string_view core = text;
  absl::string_view build;
  if (size_t plus = core.find('+'); plus != absl::string_view::npos) {
    build = core.substr(plus + 1);
    core = core.substr(0, plus);
    if (build.empty()) return false;
    for (absl::string_view id : absl::StrSplit(build, '.')) {
      if (!IsSemVerIdentifier(id, /*numeric_strict=*/false)) return false;
    }
  }
  if (size_t dash = core.find('-'); dash != absl::string_view::npos) {
    absl::string_view pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    if (pre.empty()) return false;
    for (absl::string_view id : absl::StrSplit(pre, '.')) {
      if (!IsSemVerIdentifier(id, /*numeric_strict=*/true)) return false;
    }
  }
  std::vector<absl::string_view> numbers = absl::StrSplit(core, '.');
  if (numbers.size() != 3) return false;
  for (absl::string_view n : numbers) {
    if (n.empty() || (n.size() > 1 && n[0] == '0')) return false;
    for (char c : n) {
      if (c < '0' || c > '9') return false;
    }
  }
  return absl::SimpleAtoi(numbers[0], major);
}

// The spec's compatibility promise is per major version (config.md,
// "Specification version"): any 1.x.y bundle, pre-releases included
// (Chromium's ARC++ bundles say "1.0.0-rc1"), is one this runtime reads.
absl::Status ParseOciVersion(const JsonReader& r, const JsonValue& doc,
                             std::string* out) {
  RETURN_IF_ERROR(r.Required(doc, "", "ociVersion", out));
  uint64_t major = 0;
  if (!ParseSemVer(*out, &major)) {
    return r.Error("ociVersion", absl::StrCat(JsonQuote(*out),
                                              " is not a SemVer 2.0.0 "
                                              "version (e.g. \"1.2.0\")"));
  }
  if (major != 1) {
    return r.Error("ociVersion",
                   absl::StrCat(JsonQuote(*out),
                                " is not supported: run_oci reads runtime-spec "
                                "1.x.y configs"));
  }
  return absl::OkStatus();
}

absl::Status ParseRoot(const JsonReader& r, const JsonValue& doc,
                       OciRoot* out) {
  ASSIGN_OR_RETURN(const JsonValue* root, r.OptionalObject(doc, "", "root"));
  if (root == nullptr) return r.Error("root", "required");
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(*root, "root", "path", &out->path));
    if (out->path.empty()) return r.Error("root.path", "must not be empty");
    return absl::OkStatus();
  }());
  return r.Optional(*root, "root", "readonly", &out->readonly);
}

absl::Status ParseMount(const JsonReader& r, const JsonValue& v,
                        const std::string& path, OciMount* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "destination", &out->destination));
    return RequireAbsolutePath(r, JsonMemberPath(path, "destination"),
                               out->destination);
  }());
  RETURN_OR_COLLECT(r, r.Optional(v, path, "type", &out->type));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "source", &out->source));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "options", &out->options));
  RETURN_OR_COLLECT(
      r, ParseIdMappings(r, v, path, "uidMappings", &out->uid_mappings));
  RETURN_OR_COLLECT(
      r, ParseIdMappings(r, v, path, "gidMappings", &out->gid_mappings));
  return r.Optional(v, path, "performInIntermediateNamespace",
                    &out->perform_in_intermediate_namespace);
}

// (uid_t)-1 is not an id: setresuid(2) and setgroups read it as "leave
// unchanged", so a process asking for it would keep running as root.
absl::Status CheckId(const JsonReader& r, const std::string& path,
                     uint32_t id) {
  if (id == static_cast<uint32_t>(-1)) {
    return r.Error(path,
                   "4294967295 is not a valid id ((uid_t)-1 means "
                   "\"unchanged\" to the kernel)");
  }
  return absl::OkStatus();
}

absl::Status ParseUser(const JsonReader& r, const JsonValue& process,
                       const std::string& process_path, OciUser* out) {
  ASSIGN_OR_RETURN(const JsonValue* user,
                   r.OptionalObject(process, process_path, "user"));
  // The spec requires process.user, but runc and Chromium both default to
  // root when it is missing; only its members' types are strict.
  if (user == nullptr) return absl::OkStatus();
  std::string path = JsonMemberPath(process_path, "user");
  // An id that could not be read stays 0, which CheckId passes.
  RETURN_OR_COLLECT(r, r.Required(*user, path, "uid", &out->uid));
  RETURN_OR_COLLECT(r, r.Required(*user, path, "gid", &out->gid));
  RETURN_OR_COLLECT(r, CheckId(r, JsonMemberPath(path, "uid"), out->uid));
  RETURN_OR_COLLECT(r, CheckId(r, JsonMemberPath(path, "gid"), out->gid));
  RETURN_OR_COLLECT(r, r.Optional(*user, path, "umask", &out->umask));
  if (out->umask.has_value() && *out->umask > 0777) {
    RETURN_OR_COLLECT(
        r, r.Error(JsonMemberPath(path, "umask"), "must be <= 0777 (511)"));
  }
  RETURN_OR_COLLECT(
      r, r.Optional(*user, path, "additionalGids", &out->additional_gids));
  for (size_t i = 0; i < out->additional_gids.size(); ++i) {
    RETURN_OR_COLLECT(
        r, CheckId(r, JsonIndexPath(JsonMemberPath(path, "additionalGids"), i),
                   out->additional_gids[i]));
  }
  return r.Optional(*user, path, "username", &out->username);
}

absl::Status ParseCapabilities(const JsonReader& r, const JsonValue& caps,
                               const std::string& path, OciCapabilities* out) {
  const std::pair<const char*, std::vector<std::string>*> sets[] = {
      {"bounding", &out->bounding},       {"effective", &out->effective},
      {"inheritable", &out->inheritable}, {"permitted", &out->permitted},
      {"ambient", &out->ambient},
  };
  for (const auto& [key, names] : sets) {
    RETURN_OR_COLLECT(r, r.Optional(caps, path, key, names));
    std::string set_path = JsonMemberPath(path, key);
    for (size_t i = 0; i < names->size(); ++i) {
      if (!CapabilityFromName((*names)[i]).has_value()) {
        RETURN_OR_COLLECT(r, r.Error(JsonIndexPath(set_path, i),
                                     absl::StrCat("unknown capability ",
                                                  JsonQuote((*names)[i]))));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ParseRlimits(const JsonReader& r, const JsonValue& process,
                          const std::string& process_path,
                          std::vector<OciRlimit>* out) {
  std::set<std::string> seen;
  return r.ForEachElement(
      process, process_path, "rlimits",
      [&](const JsonValue& v, const std::string& path) -> absl::Status {
        RETURN_IF_ERROR(r.ExpectObject(v, path));
        OciRlimit rlimit;
        RETURN_IF_ERROR(r.Required(v, path, "type", &rlimit.type));
        std::string type_path = JsonMemberPath(path, "type");
        if (!RlimitFromName(rlimit.type).has_value()) {
          return r.Error(type_path, absl::StrCat("unknown rlimit ",
                                                 JsonQuote(rlimit.type)));
        }
        if (!seen.insert(rlimit.type).second) {
          return r.Error(type_path, absl::StrCat("duplicate rlimit ",
                                                 JsonQuote(rlimit.type)));
        }
        RETURN_IF_ERROR(r.Required(v, path, "soft", &rlimit.soft));
        RETURN_IF_ERROR(r.Required(v, path, "hard", &rlimit.hard));
        // setrlimit(2) fails with EINVAL; say so before anything starts.
        if (rlimit.soft > rlimit.hard) {
          return r.Error(path,
                         absl::StrCat("soft limit ", rlimit.soft,
                                      " exceeds hard limit ", rlimit.hard));
        }
        out->push_back(std::move(rlimit));
        return absl::OkStatus();
      });
}

absl::Status ParseIoPriority(const JsonReader& r, const JsonValue& v,
                             const std::string& path, OciIoPriority* out) {
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "class", &out->io_class));
    if (!IoPriorityClassFromName(out->io_class).has_value()) {
      return r.Error(JsonMemberPath(path, "class"),
                     absl::StrCat("unknown I/O priority class ",
                                  JsonQuote(out->io_class)));
    }
    return absl::OkStatus();
  }());
  RETURN_IF_ERROR(r.Required(v, path, "priority", &out->priority));
  // ioprio_set(2): levels 0 (highest) to 7 (lowest).
  if (out->priority < 0 || out->priority > 7) {
    return r.Error(JsonMemberPath(path, "priority"), "must be in [0, 7]");
  }
  return absl::OkStatus();
}

absl::Status ParseScheduler(const JsonReader& r, const JsonValue& v,
                            const std::string& path, OciScheduler* out) {
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "policy", &out->policy));
    if (!SchedulerPolicyFromName(out->policy).has_value()) {
      return r.Error(
          JsonMemberPath(path, "policy"),
          absl::StrCat("unknown scheduler policy ", JsonQuote(out->policy)));
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(r, r.Optional(v, path, "nice", &out->nice));
  if (out->nice.has_value() && (*out->nice < -20 || *out->nice > 19)) {
    RETURN_OR_COLLECT(
        r, r.Error(JsonMemberPath(path, "nice"), "must be in [-20, 19]"));
  }
  RETURN_OR_COLLECT(r, r.Optional(v, path, "priority", &out->priority));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "flags", &out->flags));
  for (size_t i = 0; i < out->flags.size(); ++i) {
    if (!SchedulerFlagFromName(out->flags[i]).has_value()) {
      RETURN_OR_COLLECT(r,
                        r.Error(JsonIndexPath(JsonMemberPath(path, "flags"), i),
                                absl::StrCat("unknown scheduler flag ",
                                             JsonQuote(out->flags[i]))));
    }
  }
  RETURN_OR_COLLECT(r, r.Optional(v, path, "runtime", &out->runtime));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "deadline", &out->deadline));
  return r.Optional(v, path, "period", &out->period);
}

absl::Status ParseConsoleSize(const JsonReader& r, const JsonValue& console,
                              const std::string& path, OciConsoleSize* out) {
  RETURN_IF_ERROR(r.Required(console, path, "height", &out->height));
  return r.Required(console, path, "width", &out->width);
}

// Each member is one check: collecting, a problem in one does not hide the
// next. A value that could not be read stays unset, so its range check
// cannot fire on it.
// config.json's "process", or a whole process.json (runc exec --process)
// with `path` empty.
absl::Status ParseProcessObject(const JsonReader& r, const JsonValue& v,
                                const std::string& path, OciProcess* out) {
  RETURN_OR_COLLECT(r, r.Optional(v, path, "terminal", &out->terminal));
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "consoleSize",
                                       ParseConsoleSize, &out->console_size));
  RETURN_OR_COLLECT(r, ParseUser(r, v, path, &out->user));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "args", &out->args));
    if (out->args.empty()) {
      return r.Error(JsonMemberPath(path, "args"), "must not be empty");
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(r, r.Optional(v, path, "commandLine", &out->command_line));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "env", &out->env));
  RETURN_OR_COLLECT(r, ValidateEnv(r, JsonMemberPath(path, "env"), out->env));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "cwd", &out->cwd));
    return RequireAbsolutePath(r, JsonMemberPath(path, "cwd"), out->cwd);
  }());
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "capabilities",
                                       ParseCapabilities, &out->capabilities));
  RETURN_OR_COLLECT(r, ParseRlimits(r, v, path, &out->rlimits));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "noNewPrivileges", &out->no_new_privileges));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "apparmorProfile", &out->apparmor_profile));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "oomScoreAdj", &out->oom_score_adj));
  // The kernel's OOM_SCORE_ADJ_MIN/MAX.
  if (out->oom_score_adj.has_value() &&
      (*out->oom_score_adj < -1000 || *out->oom_score_adj > 1000)) {
    RETURN_OR_COLLECT(r, r.Error(JsonMemberPath(path, "oomScoreAdj"),
                                 "must be in [-1000, 1000]"));
  }
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "selinuxLabel", &out->selinux_label));
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "ioPriority",
                                       ParseIoPriority, &out->io_priority));
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "scheduler", ParseScheduler,
                                       &out->scheduler));
  RETURN_IF_ERROR(r.Optional(v, path, "umask", &out->umask));
  if (out->umask.has_value() && *out->umask > 0777) {
    return r.Error(JsonMemberPath(path, "umask"), "must be <= 0777 (511)");
  }
  return absl::OkStatus();
}

absl::Status ParseProcess(const JsonReader& r, const JsonValue& doc,
                          OciProcess* out) {
  ASSIGN_OR_RETURN(const JsonValue* process,
                   r.OptionalObject(doc, "", "process"));
  // process is optional at create time (the spec requires it only for
  // start); the converter decides whether it can run without one.
  if (process == nullptr) return absl::OkStatus();
  return ParseProcessObject(r, *process, "process", out);
}

absl::Status ParseHookList(const JsonReader& r, const JsonValue& hooks,
                           absl::string_view key, std::vector<OciHook>* out) {
  return r.ForEachElement(
      hooks, "hooks", key,
      [&](const JsonValue& v, const std::string& path) -> absl::Status {
        RETURN_IF_ERROR(r.ExpectObject(v, path));
        OciHook hook;
        RETURN_OR_COLLECT(r, [&]() -> absl::Status {
          RETURN_IF_ERROR(r.Required(v, path, "path", &hook.path));
          return RequireAbsolutePath(r, JsonMemberPath(path, "path"),
                                     hook.path);
        }());
        RETURN_OR_COLLECT(r, r.Optional(v, path, "args", &hook.args));
        RETURN_OR_COLLECT(r, r.Optional(v, path, "env", &hook.env));
        RETURN_OR_COLLECT(
            r, ValidateEnv(r, JsonMemberPath(path, "env"), hook.env));
        RETURN_IF_ERROR(r.Optional(v, path, "timeout", &hook.timeout));
        if (hook.timeout.has_value() && *hook.timeout <= 0) {
          return r.Error(JsonMemberPath(path, "timeout"), "must be > 0");
        }
        out->push_back(std::move(hook));
        return absl::OkStatus();
      });
}

absl::Status ParseHooks(const JsonReader& r, const JsonValue& doc,
                        OciHooks* out) {
  ASSIGN_OR_RETURN(const JsonValue* hooks, r.OptionalObject(doc, "", "hooks"));
  if (hooks == nullptr) return absl::OkStatus();
  for (const auto& stage : libcontainer::kHookStages) {
    const std::string key(stage.SpecName());
    if (!hooks->HasMember(key.c_str())) continue;
    RETURN_OR_COLLECT(
        r, ParseHookList(r, *hooks, key.c_str(), &(*out)[stage.value]));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RequireAbsolutePath(const JsonReader& reader,
                                 absl::string_view path,
                                 const std::string& value) {
  if (!value.empty() && value[0] == '/') return absl::OkStatus();
  return reader.Error(
      path, absl::StrCat("must be an absolute path, got ", JsonQuote(value)));
}

namespace {

// The document's members; `r` decides whether the first error ends it.
absl::StatusOr<OciConfig> ParseDocument(const JsonReader& r,
                                        const rapidjson::Document& doc) {
  RETURN_IF_ERROR(r.ExpectObject(doc, ""));
  OciConfig config;
  RETURN_OR_COLLECT(r, ParseOciVersion(r, doc, &config.oci_version));
  RETURN_OR_COLLECT(r, ParseRoot(r, doc, &config.root));
  RETURN_OR_COLLECT(
      r, r.ForEachElement(doc, "", "mounts",
                          [&](const JsonValue& v, const std::string& path) {
                            return ParseMount(r, v, path,
                                              &config.mounts.emplace_back());
                          }));
  RETURN_OR_COLLECT(r, ParseProcess(r, doc, &config.process));
  RETURN_OR_COLLECT(r, r.Optional(doc, "", "hostname", &config.hostname));
  RETURN_OR_COLLECT(r, r.Optional(doc, "", "domainname", &config.domainname));
  RETURN_OR_COLLECT(r, ParseHooks(r, doc, &config.hooks));
  RETURN_OR_COLLECT(r, r.Optional(doc, "", "annotations", &config.annotations));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(const JsonValue* linux_object,
                     r.OptionalObject(doc, "", "linux"));
    if (linux_object == nullptr) return absl::OkStatus();
    return ParseLinux(r, *linux_object, "linux", &config.linux_config);
  }());
  // "platform" (pre-1.0) and anything else unknown is ignored.
  config.warnings = r.warnings();
  return config;
}

}  // namespace

absl::StatusOr<OciConfig> ParseOciConfig(std::string_view json_text,
                                         std::string_view file_name_text) {
  // Debian's Abseil has its own string_view type; convert once, here.
  const absl::string_view json(json_text.data(), json_text.size());
  const absl::string_view file_name(file_name_text.data(),
                                    file_name_text.size());
  rapidjson::Document doc;
  RETURN_IF_ERROR(ParseJsonDocument(json, file_name, &doc));
  return ParseDocument(JsonReader(file_name), doc);
}

std::optional<OciConfig> ParseOciConfigCollecting(
    std::string_view json_text, std::string_view file_name_text,
    std::vector<JsonProblem>* problems, JsonPositions* positions) {
  const absl::string_view json(json_text.data(), json_text.size());
  const absl::string_view file_name(file_name_text.data(),
                                    file_name_text.size());
  rapidjson::Document doc;
  JsonProblem syntax;
  if (!ParseJsonDocument(json, file_name, &doc, positions, &syntax).ok()) {
    problems->push_back(std::move(syntax));
    return std::nullopt;
  }
  JsonReader r(file_name, problems);
  const size_t errors_before = r.error_count();
  absl::StatusOr<OciConfig> config = ParseDocument(r, doc);
  // What returns an error while collecting (the document is no object) was
  // recorded by the reader.
  if (!config.ok() || r.error_count() != errors_before) return std::nullopt;
  return *std::move(config);
}

absl::StatusOr<OciProcess> ParseOciProcess(std::string_view json_text,
                                           std::string_view file_name_text) {
  const absl::string_view json(json_text.data(), json_text.size());
  const absl::string_view file_name(file_name_text.data(),
                                    file_name_text.size());
  return ParseJsonObject<OciProcess>(
      json, file_name,
      [](const JsonReader& r, const JsonValue& doc, OciProcess* process) {
        return ParseProcessObject(r, doc, "", process);
      });
}

absl::StatusOr<OciConfig> LoadOciConfig(const std::string& bundle_dir) {
  // Regular files only, opened O_NONBLOCK, read to at most one byte past
  // the limit: a FIFO, a device or an endless file in the bundle is an
  // error, never a hang or unbounded memory.
  ASSIGN_OR_RETURN(
      std::string text,
      base::ReadRegularFile(absl::StrCat(bundle_dir, "/config.json"),
                            {kMaxJsonDocumentBytes, /*follow_symlinks=*/true}));
  return ParseOciConfig(text, "config.json");
}

}  // namespace run_oci
