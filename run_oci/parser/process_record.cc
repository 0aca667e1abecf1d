#include "run_oci/parser/process_record.h"

#include <string>
#include <vector>

#include "minijail-shim/base/status_macros.h"
#include "run_oci/parser/json_oci_sections.h"
#include "run_oci/parser/json_writer.h"

namespace run_oci {
namespace {

using Writer = JsonWriter;

// The profile in config.json's linux.seccomp form.
void WriteSeccomp(Writer& w, const shim::SeccompPolicy& p) {
  w.Key("seccomp");
  w.StartObject();
  WriteMember(w, "defaultAction", p.default_action);
  if (p.default_errno_ret) {
    WriteMember(w, "defaultErrnoRet", *p.default_errno_ret);
  }
  WriteMember(w, "architectures", p.architectures);
  WriteMember(w, "flags", p.flags);
  WriteMember(w, "listenerPath", p.listener_path);
  WriteMember(w, "listenerMetadata", p.listener_metadata);
  w.Key("syscalls");
  w.StartArray();
  for (const shim::SeccompRule& rule : p.syscalls) {
    w.StartObject();
    WriteMember(w, "names", rule.names);
    WriteMember(w, "action", rule.action);
    if (rule.errno_ret) WriteMember(w, "errnoRet", *rule.errno_ret);
    w.Key("args");
    w.StartArray();
    for (const shim::SeccompArg& arg : rule.args) {
      w.StartObject();
      WriteMember(w, "index", arg.index);
      WriteMember(w, "value", arg.value);
      WriteMember(w, "valueTwo", arg.value_two);
      WriteMember(w, "op", arg.op);
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
  WriteMember(w, "env", c.env);
  WriteMember(w, "cwd", c.cwd);
  WriteMember(w, "uid", c.uid);
  WriteMember(w, "gid", c.gid);
  w.Key("additionalGids");
  w.StartArray();
  for (uint32_t gid : c.additional_gids) w.Uint(gid);
  w.EndArray();
  if (c.umask) WriteMember(w, "umask", *c.umask);
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
      WriteMember(w, name, bits);
    }
    w.EndObject();
  }
  w.Key("rlimits");
  w.StartArray();
  for (const libcontainer::Rlimit& rl : c.rlimits) {
    w.StartObject();
    WriteMember(w, "resource", rl.resource);
    WriteMember(w, "soft", rl.soft);
    WriteMember(w, "hard", rl.hard);
    w.EndObject();
  }
  w.EndArray();
  WriteMember(w, "noNewPrivileges", c.no_new_privileges);
  WriteMember(w, "apparmorProfile", c.apparmor_profile);
  WriteMember(w, "selinuxLabel", c.selinux_label);
  if (c.oom_score_adj) WriteMember(w, "oomScoreAdj", *c.oom_score_adj);
  WriteMember(w, "securebitsSkipMask", c.securebits_skip_mask);
  if (c.personality) {
    WriteMember(w, "personality", uint64_t{*c.personality});
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
