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
#include "libcontainer/resources.h"

namespace run_oci {

inline constexpr char kOciStateVersion[] = "1.2.0";
// Annotation run_oci adds to the state: the host path of the rootfs.
inline constexpr char kContainerRootAnnotation[] =
    "org.chromium.run_oci.container_root";

// The runtime-spec "state" object.
struct OciState {
  std::string oci_version = kOciStateVersion;
  std::string id;
  std::string status;  // creating, created, running, stopped
  pid_t pid = 0;       // omitted when 0
  std::string bundle;
  std::string created;  // RFC 3339; omitted when empty
  std::map<std::string, std::string> annotations;
};

std::string OciStateToJson(const OciState& state);

// run_oci's record of one container.
struct StateRecord {
  std::string id;
  std::string bundle;           // absolute
  std::string rootfs;           // absolute host path
  std::string created;          // RFC 3339, UTC, nanoseconds
  pid_t pid = 0;                // 0 until the process exists
  uint64_t pid_start_time = 0;  // field 22 of /proc/<pid>/stat
  // What recomputes the same libcontainer::Config (destroy, poststop hooks).
  std::string cgroup_parent;
  std::string cgroups_path;  // config.json's; tears down without the bundle
  // Cgroup directories above the container's that its create made; destroy
  // removes them again when empty.
  std::vector<std::string> created_cgroup_parents;
  std::vector<std::pair<std::string, std::string>> bind_mounts;
  bool use_current_user = false;
  bool run_as_init = true;
  std::map<std::string, std::string> annotations;  // the config's
  // The limits `update` may change, as created and then updated
  // (resources_json.h); unset in records of older run_oci versions.
  std::optional<libcontainer::Resources> resources;
};

std::string StateRecordToJson(const StateRecord& record);
// Errors read "<file_name>: <what>".
absl::StatusOr<StateRecord> ParseStateRecord(absl::string_view json,
                                             absl::string_view file_name);

// "2026-11-23T12:00:00.123456789Z".
std::string FormatRfc3339Nanos(absl::Time time);

}  // namespace run_oci

#endif  // RUN_OCI_STATE_JSON_H_
