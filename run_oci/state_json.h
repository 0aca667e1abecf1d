// The two JSON documents about a container: the OCI state that `state`
// prints and hooks read on stdin, and run_oci's own record in the state
// directory (state.json), which holds what later commands need to find and
// tear down a container that an earlier run_oci process created.
#ifndef RUN_OCI_STATE_JSON_H_
#define RUN_OCI_STATE_JSON_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libcontainer/config.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/version.h"

namespace run_oci {

// The state (and a seccomp agent's container process state) complies with
// the release this runtime implements.
inline constexpr const char* kOciStateVersion = kOciSpecVersion;
// The record holds at most what config.json held (its annotations and
// hooks) and a few paths.
inline constexpr size_t kMaxStateRecordBytes = kMaxJsonDocumentBytes;

// The runtime-spec "state" object.
struct OciState {
  std::string oci_version = kOciStateVersion;
  std::string id;
  std::string status;  // creating, created, running, stopped
  pid_t pid = 0;       // omitted when 0
  std::string bundle;
  std::string created;  // RFC 3339; omitted when empty
  std::map<std::string, std::string> annotations;  // exactly the config's
  // run_oci's own, beside the OCI members: the supervising run_oci of a
  // `run --respawn` container and its restarts (supervisor_record.h);
  // omitted when 0 (not supervised).
  pid_t supervisor_pid = 0;
  int restart_count = 0;
};

std::string OciStateToJson(const OciState& state);

// run_oci's record of one container: everything start, kill, state and
// delete need, fixed at create time. config.json is never read again after
// create (runtime-spec: later edits of the bundle must not affect the
// container).
struct StateRecord {
  std::string id;
  std::string bundle;           // absolute
  std::string rootfs;           // absolute host path
  std::string created;          // RFC 3339, UTC, nanoseconds
  pid_t pid = 0;                // 0 until the process exists
  uint64_t pid_start_time = 0;  // field 22 of /proc/<pid>/stat
  // What finds the container's cgroups again (libcontainer::DestroyDetached).
  std::string cgroup_parent;
  std::string cgroups_path;  // config.json's
  // Cgroup directories above the container's that its create made (or, in
  // the first record, will make: those missing before it started); destroy
  // removes them again when empty.
  std::vector<std::string> created_cgroup_parents;
  // The container's own cgroup directories that its create made; unset
  // until the create knows (a record of one that died before). Destroy
  // kills and removes no other: a cgroup that existed is someone else's.
  std::optional<std::vector<std::string>> created_cgroup_leaves;
  std::map<std::string, std::string> annotations;  // the config's
  // process.args with the command line's extra args; empty without a
  // process (which create allows and start refuses).
  std::vector<std::string> process_args;
  // The hooks of the stages after create (kLaterHookStages), as config.json
  // had them at create time.
  std::map<libcontainer::HookStage, std::vector<libcontainer::Hook>> hooks;
  // The limits `update` may change, as created and then updated
  // (resources_json.h); unset in records of older run_oci versions.
  std::optional<libcontainer::Resources> resources;
  // The init's process attributes and seccomp profile (process_record.h),
  // the defaults and the floor of an exec; only Config's process fields
  // count. Unset in records of older run_oci versions.
  std::optional<libcontainer::Config> init_process;
};

// The stages whose hooks run after `create` returns and so are kept in the
// record: startContainer (run by `start` for a created container),
// poststart and poststop.
inline constexpr libcontainer::HookStage kLaterHookStages[] = {
    libcontainer::HookStage::kStartContainer,
    libcontainer::HookStage::kPoststart, libcontainer::HookStage::kPoststop};

std::string StateRecordToJson(const StateRecord& record);
// With config.json's bounded, non-recursive reader (ParseJsonDocument):
// nesting, size, duplicate keys and types are checked. Errors are one line,
// "<file_name>: <what>" or "<file_name>: <field>: <what>".
absl::StatusOr<StateRecord> ParseStateRecord(absl::string_view json,
                                             absl::string_view file_name);

// "2026-11-23T12:00:00.123456789Z".
std::string FormatRfc3339Nanos(absl::Time time);

}  // namespace run_oci

#endif  // RUN_OCI_STATE_JSON_H_
