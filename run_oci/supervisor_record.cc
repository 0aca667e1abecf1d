#include "run_oci/supervisor_record.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/container_errors.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/proc_stat.h"

namespace run_oci {
namespace {

constexpr size_t kMaxSupervisorRecordBytes = 64 * 1024;

absl::StatusOr<std::optional<SupervisorRecord>> ReadRecordFile(
    const std::string& path) {
  base::ReadOptions options;
  options.max_bytes = kMaxSupervisorRecordBytes;
  absl::StatusOr<std::string> text = base::ReadRegularFile(path, options);
  if (absl::IsNotFound(text.status())) return std::nullopt;
  if (!text.ok()) return text.status();
  ASSIGN_OR_RETURN(SupervisorRecord record, ParseSupervisorRecord(*text, path));
  return record;
}

bool IsAlive(const SupervisorRecord& record) {
  return record.pid > 0 &&
         IsSameProcessAlive(record.pid, record.pid_start_time);
}

absl::Status ReadSupervisorRecord(const JsonReader& r, const JsonValue& doc,
                                  SupervisorRecord* out) {
  SupervisorRecord& record = *out;
  RETURN_IF_ERROR(r.Required(doc, "", "id", &record.id));
  RETURN_IF_ERROR(r.Optional(doc, "", "bundle", &record.bundle));
  RETURN_IF_ERROR(r.Required(doc, "", "pid", &record.pid));
  if (record.pid <= 0) return r.Error("pid", "must be positive");
  RETURN_IF_ERROR(r.Required(doc, "", "pidStartTime", &record.pid_start_time));
  RETURN_IF_ERROR(r.Optional(doc, "", "restarts", &record.restarts));
  if (record.restarts < 0) return r.Error("restarts", "must not be negative");
  RETURN_IF_ERROR(
      r.Optional(doc, "", "stopTimeoutMs", &record.stop_timeout_ms));
  if (record.stop_timeout_ms < 0) {
    return r.Error("stopTimeoutMs", "must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace

std::string SupervisorRecordToJson(const SupervisorRecord& record) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("id");
  w.String(record.id);
  w.Key("bundle");
  w.String(record.bundle);
  w.Key("pid");
  w.Int(record.pid);
  w.Key("pidStartTime");
  w.Uint64(record.pid_start_time);
  w.Key("restarts");
  w.Int(record.restarts);
  w.Key("stopTimeoutMs");
  w.Int64(record.stop_timeout_ms);
  w.EndObject();
  return buffer.GetString();
}

absl::StatusOr<SupervisorRecord> ParseSupervisorRecord(
    absl::string_view json, absl::string_view file_name) {
  return ParseJsonObject<SupervisorRecord>(json, file_name,
                                           ReadSupervisorRecord);
}

std::string SupervisorRecordPath(const std::string& root,
                                 const std::string& id) {
  return absl::StrCat(root, "/.supervisor.", id);
}

absl::StatusOr<std::optional<SupervisorRecord>> ReadLiveSupervisor(
    const std::string& root, const std::string& id, bool* stale) {
  if (stale != nullptr) *stale = false;
  ASSIGN_OR_RETURN(std::optional<SupervisorRecord> record,
                   ReadRecordFile(SupervisorRecordPath(root, id)));
  if (!record.has_value()) return std::nullopt;
  if (!IsAlive(*record) || record->id != id) {
    if (stale != nullptr) *stale = true;
    return std::nullopt;
  }
  return record;
}

absl::StatusOr<SupervisorClaim> SupervisorClaim::Take(const std::string& root,
                                                      SupervisorRecord record) {
  if (mkdir(root.c_str(), 0711) != 0 && errno != EEXIST) {
    return absl::InternalError(
        absl::StrCat("mkdir ", root, ": ", strerror(errno)));
  }
  ASSIGN_OR_RETURN(std::optional<SupervisorRecord> live,
                   ReadLiveSupervisor(root, record.id));
  if (live.has_value()) return ContainerExistsError(record.id);
  ASSIGN_OR_RETURN(ProcStat self, ReadProcStat(getpid()));
  record.pid = getpid();
  record.pid_start_time = self.start_time;
  std::string path = SupervisorRecordPath(root, record.id);
  RETURN_IF_ERROR(
      base::WriteFileAtomically(path, SupervisorRecordToJson(record)));
  // Two supervisors that both found a dead one's file: the later rename
  // won, and only its writer goes on.
  ASSIGN_OR_RETURN(live, ReadLiveSupervisor(root, record.id));
  if (!live.has_value() || live->pid != record.pid) {
    return ContainerExistsError(record.id);
  }
  return SupervisorClaim(std::move(path), std::move(record));
}

SupervisorClaim::SupervisorClaim(SupervisorClaim&& other) noexcept
    : path_(std::move(other.path_)), record_(std::move(other.record_)) {
  other.path_.clear();
}

SupervisorClaim::~SupervisorClaim() {
  if (!path_.empty()) unlink(path_.c_str());
}

absl::Status SupervisorClaim::SetRestarts(int restarts) {
  record_.restarts = restarts;
  return base::WriteFileAtomically(path_, SupervisorRecordToJson(record_));
}

absl::Status RemoveStaleSupervisor(const std::string& root,
                                   const std::string& id) {
  bool stale = false;
  ASSIGN_OR_RETURN(std::optional<SupervisorRecord> live,
                   ReadLiveSupervisor(root, id, &stale));
  if (live.has_value() || !stale) return absl::OkStatus();
  std::string path = SupervisorRecordPath(root, id);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::InternalError(
        absl::StrCat("unlink ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace run_oci
