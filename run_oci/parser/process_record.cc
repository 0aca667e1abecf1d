#include "run_oci/parser/process_record.h"

#include <string>
#include <vector>

#include "minijail-shim/base/status_macros.h"
#include "run_oci/parser/json_oci_sections.h"

namespace run_oci {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteStrings(Writer& w, const char* key,
                  const std::vector<std::string>& strings) {
  w.Key(key);
  w.StartArray();
  for (const std::string& s : strings) w.String(s);
  w.EndArray();
}

void WriteString(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value);
}

// The profile in config.json's linux.seccomp form.
void WriteSeccomp(Writer& w, const shim::SeccompPolicy& p) {
  w.Key("seccomp");
  w.StartObject();
  WriteString(w, "defaultAction", p.default_action);
  if (p.default_errno_ret) {
    w.Key("defaultErrnoRet");
    w.Uint(*p.default_errno_ret);
  }
  WriteStrings(w, "architectures", p.architectures);
  WriteStrings(w, "flags", p.flags);
  WriteString(w, "listenerPath", p.listener_path);
  WriteString(w, "listenerMetadata", p.listener_metadata);
  w.Key("syscalls");
  w.StartArray();
  for (const shim::SeccompRule& rule : p.syscalls) {
    w.StartObject();
    WriteStrings(w, "names", rule.names);
    WriteString(w, "action", rule.action);
    if (rule.errno_ret) {
      w.Key("errnoRet");
      w.Uint(*rule.errno_ret);
    }
    w.Key("args");
    w.StartArray();
    for (const shim::SeccompArg& arg : rule.args) {
      w.StartObject();
      w.Key("index");
      w.Uint(arg.index);
      w.Key("value");
      w.Uint64(arg.value);
      w.Key("valueTwo");
      w.Uint64(arg.value_two);
      WriteString(w, "op", arg.op);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

absl::Status ReadCaps(const JsonReader& r, const JsonValue& v,
                      const std::string& path,
                      libcontainer::Capabilities* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  for (auto [key, field] :
       {std::pair<const char*, uint64_t*>{"bounding", &out->bounding},
        {"effective", &out->effective},
        {"inheritable", &out->inheritable},
        {"permitted", &out->permitted},
        {"ambient", &out->ambient}}) {
    RETURN_IF_ERROR(r.Required(v, path, key, field));
  }
  return absl::OkStatus();
}

absl::Status ReadRlimit(const JsonReader& r, const JsonValue& v,
                        const std::string& path, libcontainer::Rlimit* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_IF_ERROR(r.Required(v, path, "resource", &out->resource));
  RETURN_IF_ERROR(r.Required(v, path, "soft", &out->soft));
  return r.Required(v, path, "hard", &out->hard);
}

}  // namespace

void WriteProcessRecord(Writer& w, const char* key,
                        const libcontainer::Config& c) {
  w.Key(key);
  w.StartObject();
  WriteStrings(w, "env", c.env);
  WriteString(w, "cwd", c.cwd);
  w.Key("uid");
  w.Uint(c.uid);
  w.Key("gid");
  w.Uint(c.gid);
  w.Key("additionalGids");
  w.StartArray();
  for (uint32_t gid : c.additional_gids) w.Uint(gid);
  w.EndArray();
  if (c.umask) {
    w.Key("umask");
    w.Uint(*c.umask);
  }
  if (c.capabilities) {
    const libcontainer::Capabilities& caps = *c.capabilities;
    w.Key("capabilities");
    w.StartObject();
    for (auto [name, bits] :
         {std::pair<const char*, uint64_t>{"bounding", caps.bounding},
          {"effective", caps.effective},
          {"inheritable", caps.inheritable},
          {"permitted", caps.permitted},
          {"ambient", caps.ambient}}) {
      w.Key(name);
      w.Uint64(bits);
    }
    w.EndObject();
  }
  w.Key("rlimits");
  w.StartArray();
  for (const libcontainer::Rlimit& rl : c.rlimits) {
    w.StartObject();
    w.Key("resource");
    w.Int(rl.resource);
    w.Key("soft");
    w.Uint64(rl.soft);
    w.Key("hard");
    w.Uint64(rl.hard);
    w.EndObject();
  }
  w.EndArray();
  w.Key("noNewPrivileges");
  w.Bool(c.no_new_privileges);
  WriteString(w, "apparmorProfile", c.apparmor_profile);
  WriteString(w, "selinuxLabel", c.selinux_label);
  if (c.oom_score_adj) {
    w.Key("oomScoreAdj");
    w.Int(*c.oom_score_adj);
  }
  w.Key("securebitsSkipMask");
  w.Uint64(c.securebits_skip_mask);
  if (c.personality) {
    w.Key("personality");
    w.Uint64(*c.personality);
  }
  if (c.seccomp) WriteSeccomp(w, *c.seccomp);
  w.EndObject();
}

absl::Status ReadProcessRecord(const JsonReader& r, const JsonValue& object,
                               absl::string_view parent, absl::string_view key,
                               std::optional<libcontainer::Config>* out) {
  ASSIGN_OR_RETURN(const JsonValue* member,
                   r.OptionalObject(object, parent, key));
  if (member == nullptr) return absl::OkStatus();
  const JsonValue& v = *member;
  const std::string path = JsonMemberPath(parent, key);
  libcontainer::Config c;
  RETURN_IF_ERROR(r.Optional(v, path, "env", &c.env));
  RETURN_IF_ERROR(r.Required(v, path, "cwd", &c.cwd));
  RETURN_IF_ERROR(RequireAbsolutePath(r, JsonMemberPath(path, "cwd"), c.cwd));
  RETURN_IF_ERROR(r.Required(v, path, "uid", &c.uid));
  RETURN_IF_ERROR(r.Required(v, path, "gid", &c.gid));
  RETURN_IF_ERROR(r.Optional(v, path, "additionalGids", &c.additional_gids));
  RETURN_IF_ERROR(r.Optional(v, path, "umask", &c.umask));
  if (c.umask && *c.umask > 0777) {
    return r.Error(JsonMemberPath(path, "umask"), "must be <= 0777 (511)");
  }
  ASSIGN_OR_RETURN(const JsonValue* caps,
                   r.OptionalObject(v, path, "capabilities"));
  if (caps != nullptr) {
    RETURN_IF_ERROR(ReadCaps(r, *caps, JsonMemberPath(path, "capabilities"),
                             &c.capabilities.emplace()));
  }
  RETURN_IF_ERROR(r.ForEachElement(
      v, path, "rlimits", [&](const JsonValue& e, const std::string& p) {
        return ReadRlimit(r, e, p, &c.rlimits.emplace_back());
      }));
  RETURN_IF_ERROR(r.Optional(v, path, "noNewPrivileges", &c.no_new_privileges));
  RETURN_IF_ERROR(r.Optional(v, path, "apparmorProfile", &c.apparmor_profile));
  RETURN_IF_ERROR(r.Optional(v, path, "selinuxLabel", &c.selinux_label));
  RETURN_IF_ERROR(r.Optional(v, path, "oomScoreAdj", &c.oom_score_adj));
  RETURN_IF_ERROR(
      r.Optional(v, path, "securebitsSkipMask", &c.securebits_skip_mask));
  RETURN_IF_ERROR(r.Optional(v, path, "personality", &c.personality));
  ASSIGN_OR_RETURN(const JsonValue* seccomp,
                   r.OptionalObject(v, path, "seccomp"));
  if (seccomp != nullptr) {
    RETURN_IF_ERROR(ParseSeccomp(r, *seccomp, JsonMemberPath(path, "seccomp"),
                                 &c.seccomp.emplace()));
  }
  *out = std::move(c);
  return absl::OkStatus();
}

}  // namespace run_oci
