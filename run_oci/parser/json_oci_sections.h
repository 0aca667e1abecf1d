// The parser's section readers, one per part of config.json, shared between
// oci_parser.cc (top level, process, mounts, hooks), json_oci_linux.cc (the
// "linux" object) and json_oci_resources.cc (linux.resources, linux.seccomp).
// Internal to the parser; callers use oci_parser.h.
#ifndef RUN_OCI_PARSER_JSON_OCI_SECTIONS_H_
#define RUN_OCI_PARSER_JSON_OCI_SECTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libcontainer/resources.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/seccomp_policy.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_config.h"

namespace run_oci {

// The kernel accepts at most this many lines in /proc/<pid>/{uid,gid}_map
// (user_namespaces(7)); the limit also keeps overlap checks cheap.
inline constexpr size_t kMaxIdMappings = 340;

// Reads the id-map array member `key` of `object` and checks it: sizes > 0,
// no range past 2^32, no overlap among container or among host ranges.
absl::Status ParseIdMappings(const JsonReader& reader, const JsonValue& object,
                             absl::string_view path, absl::string_view key,
                             std::vector<libcontainer::IdMap>* out);

// Calls `parse(reader, object_value, path, &out->emplace())` if the object
// member `key` is present; leaves `out` unset if it is absent or null.
template <typename Parse, typename T>
absl::Status OptionalSection(const JsonReader& reader, const JsonValue& object,
                             absl::string_view path, absl::string_view key,
                             Parse parse, std::optional<T>* out) {
  ASSIGN_OR_RETURN(const JsonValue* section,
                   reader.OptionalObject(object, path, key));
  if (section == nullptr) return absl::OkStatus();
  return parse(reader, *section, JsonMemberPath(path, key), &out->emplace());
}

// "<path>: must be an absolute path, got "x"" unless `value` starts with '/'.
absl::Status RequireAbsolutePath(const JsonReader& reader,
                                 absl::string_view path,
                                 const std::string& value);

// The "linux" object.
absl::Status ParseLinux(const JsonReader& reader, const JsonValue& object,
                        absl::string_view path, OciLinux* out);

// "linux.resources".
absl::Status ParseResources(const JsonReader& reader, const JsonValue& object,
                            absl::string_view path,
                            libcontainer::Resources* out);

// Chromium's legacy "linux.cpu".
absl::Status ParseLegacyCpu(const JsonReader& reader, const JsonValue& object,
                            absl::string_view path,
                            libcontainer::CpuResources* out);

// "linux.seccomp".
absl::Status ParseSeccomp(const JsonReader& reader, const JsonValue& object,
                          absl::string_view path, shim::SeccompPolicy* out);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_JSON_OCI_SECTIONS_H_
