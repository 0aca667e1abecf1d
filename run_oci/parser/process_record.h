// The init's process as the state record keeps it ("initProcess"): what
// exec gives a new process by default and what it can never shed (seccomp,
// securebits, personality), fixed at create time, so that editing
// config.json afterwards changes nothing. Config's process part, with
// numbers where config.json has names (capability bits, RLIMIT_*), and the
// seccomp profile in config.json's own form (read back by its parser).
#ifndef RUN_OCI_PARSER_PROCESS_RECORD_H_
#define RUN_OCI_PARSER_PROCESS_RECORD_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libcontainer/config.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/parser/json_reader.h"

namespace run_oci {

// Only the process fields of `config` (argv excluded: the record keeps
// processArgs), as member `key`.
void WriteProcessRecord(rapidjson::Writer<rapidjson::StringBuffer>& w,
                        const char* key, const libcontainer::Config& config);

// Member `key` of `object` into the process fields of `out`; `out` is left
// unset when the member is absent (records of older run_oci versions).
absl::Status ReadProcessRecord(const JsonReader& r, const JsonValue& object,
                               absl::string_view path, absl::string_view key,
                               std::optional<libcontainer::Config>* out);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_PROCESS_RECORD_H_
