// linux.resources as a document of its own, for runc's `update`: the JSON
// that `update --resources FILE|-` reads (config.json's parser, with the
// same validation), what update can change and how a change is laid over
// the values in force, and the copy the state record keeps of them so that
// later commands see what the last update set.
#ifndef RUN_OCI_PARSER_RESOURCES_JSON_H_
#define RUN_OCI_PARSER_RESOURCES_JSON_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/resources.h"
#include "run_oci/parser/json_reader.h"

namespace run_oci {

// A linux.resources object; errors read "<file_name>: <path>: <what>".
absl::StatusOr<libcontainer::Resources> ParseResourcesDocument(
    absl::string_view json, absl::string_view file_name);

// What update changes, as runc's does: memory limit, reservation, swap
// and checkBeforeUpdate; cpu shares, quota, burst, period, realtime
// runtime and period, cpus, mems and idle; blockIO weight; pids limit;
// unified. The rest of `r` is dropped.
libcontainer::Resources UpdatableResources(const libcontainer::Resources& r);

// The members of `r` that update does not change ("devices",
// "memory.kernel", "hugepageLimits", ...), for a warning: runc drops them
// without one.
std::vector<std::string> NonUpdatableMembers(const libcontainer::Resources& r);

// `in_force` with `update` laid over it. A value update gives replaces the
// one in force, except where 0 means "not set" (memory limit, reservation
// and swap, cpu shares, quota, period and realtime values, blockIO weight:
// the planners' UnlessZero rule), which leaves it alone; cpus and mems when
// non-empty; unified key by key. As runc: a memory limit of -1 without a
// swap value makes swap -1 too (unlimited memory+swap).
libcontainer::Resources MergeResourceUpdate(
    const libcontainer::Resources& in_force,
    const libcontainer::Resources& update);

// UpdatableResources(r) as a linux.resources JSON object (the state
// record's "resources").
std::string UpdatableResourcesJson(const libcontainer::Resources& r);

// Reads the linux.resources object member `key` of `object`, if present.
absl::Status ReadResourcesMember(const JsonReader& reader,
                                 const JsonValue& object,
                                 absl::string_view path, absl::string_view key,
                                 std::optional<libcontainer::Resources>* out);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_RESOURCES_JSON_H_
