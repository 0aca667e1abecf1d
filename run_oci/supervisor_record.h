// <root>/.supervisor.<id>: what `state`, `kill` and `destroy` need to know
// about the run_oci that supervises container <id> (`run --respawn`): its
// pid and start time (so a recycled pid is never taken for it), the
// bundle, the restarts so far and its stop timeout. It sits beside the
// container's state directory, not in it, because that directory goes
// away between two runs of the container. The leading '.' keeps it out of
// `list` (no id starts with one).
#ifndef RUN_OCI_SUPERVISOR_RECORD_H_
#define RUN_OCI_SUPERVISOR_RECORD_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace run_oci {

struct SupervisorRecord {
  std::string id;
  std::string bundle;
  pid_t pid = 0;
  uint64_t pid_start_time = 0;  // field 22 of /proc/<pid>/stat
  int restarts = 0;
  int64_t stop_timeout_ms = 5000;
};

std::string SupervisorRecordToJson(const SupervisorRecord& record);
absl::StatusOr<SupervisorRecord> ParseSupervisorRecord(
    absl::string_view json, absl::string_view file_name);

std::string SupervisorRecordPath(const std::string& root,
                                 const std::string& id);

// The record of <id>'s supervisor if one is alive; nullopt when there is
// none or it is dead (`stale`, when given, then says whether a dead one
// left its file).
absl::StatusOr<std::optional<SupervisorRecord>> ReadLiveSupervisor(
    const std::string& root, const std::string& id, bool* stale = nullptr);

// The calling process's claim on <id>: written at construction, rewritten
// by Update, removed when destroyed.
class SupervisorClaim {
 public:
  // ContainerExistsError when a live supervisor holds <id>; a dead one's
  // file is replaced.
  static absl::StatusOr<SupervisorClaim> Take(const std::string& root,
                                              SupervisorRecord record);
  SupervisorClaim(SupervisorClaim&& other) noexcept;
  SupervisorClaim& operator=(SupervisorClaim&&) = delete;
  ~SupervisorClaim();

  absl::Status SetRestarts(int restarts);

 private:
  SupervisorClaim(std::string path, SupervisorRecord record)
      : path_(std::move(path)), record_(std::move(record)) {}
  std::string path_;  // empty once moved from
  SupervisorRecord record_;
};

// Removes a dead supervisor's file (destroy after a kill -9 of it).
absl::Status RemoveStaleSupervisor(const std::string& root,
                                   const std::string& id);

}  // namespace run_oci

#endif  // RUN_OCI_SUPERVISOR_RECORD_H_
