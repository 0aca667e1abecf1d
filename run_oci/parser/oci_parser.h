// Parses and validates an OCI runtime-spec 1.2 config.json (Linux, plus the
// Chromium OS extensions) into an OciConfig. Unknown properties are ignored
// everywhere, as the spec requires; a JSON null counts as an absent property
// (as in runc). Everything the spec or the kernel would reject later is
// rejected here, with the JSON path of the offending value.
//
// Every error is ONE line, an absl::InvalidArgumentError (LoadOciConfig's
// read errors carry the errno's code). The forms, byte for byte:
//   <file>:LINE:COL: <RapidJSON message>     malformed JSON; LINE and COL are
//       1-based, COL counts bytes; e.g. "config.json:3:5: Missing a name for
//       object member." Also: "Nesting deeper than 64 levels.",
//       "Duplicate object key "x".", "NUL byte in document.",
//       "String with an escaped NUL (\u0000)."
//   <file>: larger than 16777216 bytes (N)
//   <file>: expected an object, got <json>   the document is not an object
//   <file>: <path>: required                 a required property is missing
//   <file>: <path>: expected <type>, got <json>
//       <type> is one of: a string, a boolean, an object, an array,
//       an array of strings, an array of integers,
//       a N-bit signed integer, a N-bit unsigned integer (N = 16, 32, 64);
//       out-of-range integers, doubles and negative values for unsigned
//       fields all take this form. <json> is the value as compact JSON, cut
//       to 40 characters plus "...".
//   <file>: <path>: <semantic problem>, e.g.
//       must be an absolute path, got "x"
//       unknown capability "CAP_FOO"
//       duplicate namespace type "pid"
//       must be > 0
//   <path> joins members with '.' and indices as [i]: "mounts[2].destination",
//   "linux.uidMappings[1].size"; map keys appear as-is:
//   "linux.sysctl.net.ipv4.ip_forward".
// LoadOciConfig: "<bundle_dir>/config.json: <strerror>" when unreadable,
// "<bundle_dir>/config.json: not a regular file (a FIFO)" (or a device, ...)
// and "<bundle_dir>/config.json: larger than 16777216 bytes (N)" before
// parsing; parse errors then use the prefix "config.json".
#ifndef RUN_OCI_PARSER_OCI_PARSER_H_
#define RUN_OCI_PARSER_OCI_PARSER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_config.h"

namespace run_oci {

// Parses config.json text. Every error message is ONE line prefixed by
// file_name. Inputs over 16 MiB or nested deeper than 64 levels are errors.
absl::StatusOr<OciConfig> ParseOciConfig(
    std::string_view json, std::string_view file_name = "config.json");

// `run_oci check`'s parse: the same checks, but each problem is recorded in
// `problems` instead of ending the parse (errors in the order ParseOciConfig
// meets them, so the first is its error; warnings too, which are then not
// in the config's `warnings`), and parsing goes on wherever what follows
// does not depend on what failed. `positions` (may be null) gets where each
// value starts. The config is returned only when there was no error.
std::optional<OciConfig> ParseOciConfigCollecting(
    std::string_view json, std::string_view file_name,
    std::vector<JsonProblem>* problems, JsonPositions* positions);

// A process.json (runc exec --process): config.json's "process" object as
// a document of its own, with the same rules; paths in errors start at its
// members ("<file_name>: args: required").
absl::StatusOr<OciProcess> ParseOciProcess(
    std::string_view json, std::string_view file_name = "process.json");

// Reads <bundle_dir>/config.json and parses it.
absl::StatusOr<OciConfig> LoadOciConfig(const std::string& bundle_dir);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_OCI_PARSER_H_
