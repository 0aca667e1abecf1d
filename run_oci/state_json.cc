#include "run_oci/state_json.h"

#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/resources_json.h"

namespace run_oci {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteStringMap(Writer& w, const char* key,
                    const std::map<std::string, std::string>& map) {
  w.Key(key);
  w.StartObject();
  for (const auto& [k, v] : map) {
    w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v);
  }
  w.EndObject();
}

absl::Status FieldError(absl::string_view file_name, absl::string_view field,
                        absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(file_name, ": ", field, ": expected ", expected));
}

absl::StatusOr<std::string> GetString(const rapidjson::Value& obj,
                                      const char* key,
                                      absl::string_view file_name) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return std::string();
  if (!it->value.IsString()) return FieldError(file_name, key, "a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::string OciStateToJson(const OciState& state) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("ociVersion");
  w.String(state.oci_version);
  w.Key("id");
  w.String(state.id);
  w.Key("status");
  w.String(state.status);
  if (state.pid > 0) {
    w.Key("pid");
    w.Int(state.pid);
  }
  w.Key("bundle");
  w.String(state.bundle);
  if (!state.created.empty()) {
    w.Key("created");
    w.String(state.created);
  }
  WriteStringMap(w, "annotations", state.annotations);
  w.EndObject();
  return buffer.GetString();
}

std::string StateRecordToJson(const StateRecord& record) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("id");
  w.String(record.id);
  w.Key("bundle");
  w.String(record.bundle);
  w.Key("rootfs");
  w.String(record.rootfs);
  w.Key("created");
  w.String(record.created);
  w.Key("pid");
  w.Int(record.pid);
  w.Key("pidStartTime");
  w.Uint64(record.pid_start_time);
  w.Key("cgroupParent");
  w.String(record.cgroup_parent);
  w.Key("cgroupsPath");
  w.String(record.cgroups_path);
  w.Key("createdCgroupParents");
  w.StartArray();
  for (const std::string& dir : record.created_cgroup_parents) w.String(dir);
  w.EndArray();
  w.Key("bindMounts");
  w.StartArray();
  for (const auto& [source, destination] : record.bind_mounts) {
    w.StartArray();
    w.String(source);
    w.String(destination);
    w.EndArray();
  }
  w.EndArray();
  w.Key("useCurrentUser");
  w.Bool(record.use_current_user);
  w.Key("runAsInit");
  w.Bool(record.run_as_init);
  WriteStringMap(w, "annotations", record.annotations);
  if (record.resources) {
    std::string resources = UpdatableResourcesJson(*record.resources);
    w.Key("resources");
    w.RawValue(resources.data(), resources.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  return buffer.GetString();
}

absl::StatusOr<StateRecord> ParseStateRecord(absl::string_view json,
                                             absl::string_view file_name) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":", doc.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) return FieldError(file_name, "(root)", "an object");
  StateRecord r;
  auto get = [&](const char* key, std::string* out) -> absl::Status {
    absl::StatusOr<std::string> s = GetString(doc, key, file_name);
    if (!s.ok()) return s.status();
    *out = *std::move(s);
    return absl::OkStatus();
  };
  for (auto [key, out] : {std::pair{"id", &r.id},
                          {"bundle", &r.bundle},
                          {"rootfs", &r.rootfs},
                          {"created", &r.created},
                          {"cgroupParent", &r.cgroup_parent},
                          {"cgroupsPath", &r.cgroups_path}}) {
    absl::Status s = get(key, out);
    if (!s.ok()) return s;
  }
  if (auto it = doc.FindMember("pid"); it != doc.MemberEnd()) {
    if (!it->value.IsInt() || it->value.GetInt() < 0) {
      return FieldError(file_name, "pid", "a non-negative integer");
    }
    r.pid = it->value.GetInt();
  }
  if (auto it = doc.FindMember("pidStartTime"); it != doc.MemberEnd()) {
    if (!it->value.IsUint64()) {
      return FieldError(file_name, "pidStartTime", "an unsigned integer");
    }
    r.pid_start_time = it->value.GetUint64();
  }
  for (auto [key, out] : {std::pair{"useCurrentUser", &r.use_current_user},
                          {"runAsInit", &r.run_as_init}}) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) continue;
    if (!it->value.IsBool()) return FieldError(file_name, key, "a boolean");
    *out = it->value.GetBool();
  }
  if (auto it = doc.FindMember("createdCgroupParents"); it != doc.MemberEnd()) {
    if (!it->value.IsArray()) {
      return FieldError(file_name, "createdCgroupParents", "an array");
    }
    for (const auto& dir : it->value.GetArray()) {
      if (!dir.IsString()) {
        return FieldError(file_name, "createdCgroupParents", "strings");
      }
      r.created_cgroup_parents.emplace_back(dir.GetString());
    }
  }
  if (auto it = doc.FindMember("bindMounts"); it != doc.MemberEnd()) {
    if (!it->value.IsArray())
      return FieldError(file_name, "bindMounts", "an array");
    for (const auto& pair : it->value.GetArray()) {
      if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() ||
          !pair[1].IsString()) {
        return FieldError(file_name, "bindMounts",
                          "[source, destination] pairs");
      }
      r.bind_mounts.emplace_back(pair[0].GetString(), pair[1].GetString());
    }
  }
  if (auto it = doc.FindMember("annotations"); it != doc.MemberEnd()) {
    if (!it->value.IsObject()) {
      return FieldError(file_name, "annotations", "an object");
    }
    for (const auto& m : it->value.GetObject()) {
      if (!m.value.IsString()) {
        return FieldError(file_name, "annotations", "string values");
      }
      r.annotations[m.name.GetString()] = m.value.GetString();
    }
  }
  absl::Status resources = ReadResourcesMember(JsonReader(file_name), doc, "",
                                               "resources", &r.resources);
  if (!resources.ok()) return resources;
  return r;
}

std::string FormatRfc3339Nanos(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", time, absl::UTCTimeZone());
}

}  // namespace run_oci
