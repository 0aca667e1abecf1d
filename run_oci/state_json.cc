#include "run_oci/state_json.h"

#include "absl/strings/str_cat.h"
#include "libcontainer/symbol_tables.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/document.h"
#include "run_oci/parser/json_writer.h"
#include "run_oci/parser/process_record.h"
#include "run_oci/parser/resources_json.h"

namespace run_oci {
namespace {

using libcontainer::Hook;
using libcontainer::HookStage;
using Writer = JsonWriter;

// The same members config.json's hooks have.
void WriteHooks(Writer& w,
                const std::map<HookStage, std::vector<Hook>>& hooks) {
  w.Key("hooks");
  w.StartObject();
  for (const auto& stage : libcontainer::kHookStages) {
    auto it = hooks.find(stage.value);
    if (it == hooks.end()) continue;
    WriteKey(w, std::string(stage.SpecName()));
    w.StartArray();
    for (const Hook& hook : it->second) {
      w.StartObject();
      WriteMember(w, "path", hook.path);
      WriteMember(w, "args", hook.args);
      WriteMember(w, "env", hook.env);
      if (hook.timeout_seconds.has_value()) {
        WriteMember(w, "timeout", *hook.timeout_seconds);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

absl::Status ReadHook(const JsonReader& r, const JsonValue& v,
                      const std::string& path, Hook* hook) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_IF_ERROR(r.Required(v, path, "path", &hook->path));
  RETURN_IF_ERROR(r.Optional(v, path, "args", &hook->args));
  RETURN_IF_ERROR(r.Optional(v, path, "env", &hook->env));
  return r.Optional(v, path, "timeout", &hook->timeout_seconds);
}

absl::Status ReadHooks(const JsonReader& r, const JsonValue& doc,
                       std::map<HookStage, std::vector<Hook>>* hooks) {
  return r.ForEachMember(
      doc, "", "hooks",
      [&](absl::string_view name, const JsonValue& list,
          const std::string& path) -> absl::Status {
        const libcontainer::Symbol<HookStage>* stage = nullptr;
        for (const auto& s : libcontainer::kHookStages) {
          if (s.SpecName() == std::string_view(name.data(), name.size())) {
            stage = &s;
          }
        }
        if (stage == nullptr) return r.Error(path, "unknown hook stage");
        std::vector<Hook>& out = (*hooks)[stage->value];
        RETURN_IF_ERROR(r.ExpectArray(list, path));
        for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
          RETURN_IF_ERROR(ReadHook(r, list[i], JsonIndexPath(path, i),
                                   &out.emplace_back()));
        }
        return absl::OkStatus();
      });
}

absl::Status ReadStateRecord(const JsonReader& r, const JsonValue& doc,
                             StateRecord* out) {
  StateRecord& record = *out;
  for (auto [key, member] : {std::pair{"id", &record.id},
                             {"bundle", &record.bundle},
                             {"rootfs", &record.rootfs},
                             {"created", &record.created},
                             {"cgroupParent", &record.cgroup_parent},
                             {"cgroupsPath", &record.cgroups_path}}) {
    RETURN_IF_ERROR(r.Optional(doc, "", key, member));
  }
  RETURN_IF_ERROR(r.Optional(doc, "", "pid", &record.pid));
  if (record.pid < 0) return r.Error("pid", "must not be negative");
  RETURN_IF_ERROR(r.Optional(doc, "", "pidStartTime", &record.pid_start_time));
  RETURN_IF_ERROR(r.Optional(doc, "", "createdCgroupParents",
                             &record.created_cgroup_parents));
  RETURN_IF_ERROR(r.Optional(doc, "", "createdCgroupLeaves",
                             &record.created_cgroup_leaves));
  RETURN_IF_ERROR(r.Optional(doc, "", "annotations", &record.annotations));
  RETURN_IF_ERROR(r.Optional(doc, "", "processArgs", &record.process_args));
  RETURN_IF_ERROR(ReadHooks(r, doc, &record.hooks));
  RETURN_IF_ERROR(
      ReadResourcesMember(r, doc, "", "resources", &record.resources));
  return ReadProcessRecord(r, doc, "", "initProcess", &record.init_process);
}

}  // namespace

std::string OciStateToJson(const OciState& state) {
  return JsonObjectText([&](Writer& w) {
    WriteMember(w, "ociVersion", state.oci_version);
    WriteMember(w, "id", state.id);
    WriteMember(w, "status", state.status);
    if (state.pid > 0) WriteMember(w, "pid", state.pid);
    WriteMember(w, "bundle", state.bundle);
    if (!state.created.empty()) WriteMember(w, "created", state.created);
    WriteMember(w, "annotations", state.annotations);
    if (state.supervisor_pid > 0) {
      WriteMember(w, "supervisorPid", state.supervisor_pid);
      WriteMember(w, "restartCount", state.restart_count);
    }
  });
}

std::string StateRecordToJson(const StateRecord& record) {
  return JsonObjectText([&](Writer& w) {
    for (auto [key, value] :
         {std::pair<const char*, const std::string*>{"id", &record.id},
          {"bundle", &record.bundle},
          {"rootfs", &record.rootfs},
          {"created", &record.created},
          {"cgroupParent", &record.cgroup_parent},
          {"cgroupsPath", &record.cgroups_path}}) {
      WriteMember(w, key, *value);
    }
    WriteMember(w, "pid", record.pid);
    WriteMember(w, "pidStartTime", record.pid_start_time);
    WriteMember(w, "createdCgroupParents", record.created_cgroup_parents);
    if (record.created_cgroup_leaves.has_value()) {
      WriteMember(w, "createdCgroupLeaves", *record.created_cgroup_leaves);
    }
    WriteMember(w, "annotations", record.annotations);
    WriteMember(w, "processArgs", record.process_args);
    WriteHooks(w, record.hooks);
    if (record.resources) {
      std::string resources = UpdatableResourcesJson(*record.resources);
      w.Key("resources");
      w.RawValue(resources.data(), resources.size(), rapidjson::kObjectType);
    }
    if (record.init_process) {
      WriteProcessRecord(w, "initProcess", *record.init_process);
    }
  });
}

absl::StatusOr<StateRecord> ParseStateRecord(absl::string_view json,
                                             absl::string_view file_name) {
  return ParseJsonObject<StateRecord>(json, file_name, ReadStateRecord);
}

std::string FormatRfc3339Nanos(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", time, absl::UTCTimeZone());
}

}  // namespace run_oci
