// runc's `events` output, one JSON object per line: {"type":"stats","id":
// ...,"data":{...}} with the field names and omissions of runc's
// types/events.go (what containerd's and podman's decoders expect), and
// {"type":"oom","id":...}.
#ifndef RUN_OCI_EVENTS_JSON_H_
#define RUN_OCI_EVENTS_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "libcontainer/cgroup_stats.h"

namespace run_oci {

std::string StatsEventJson(absl::string_view id,
                           const libcontainer::CgroupStats& stats);
std::string OomEventJson(absl::string_view id);

}  // namespace run_oci

#endif  // RUN_OCI_EVENTS_JSON_H_
