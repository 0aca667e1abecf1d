// libFuzzer target: arbitrary bytes as a container's state record
// (state.json, or the first record in the .run_oci tag) through the reader
// that state, kill, start and destroy use. Any crash, leak, sanitizer
// report or hang is a bug; errors are expected, but must be one line. A
// record that parses must come back unchanged from a write and a re-read.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "run_oci/state_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<run_oci::StateRecord> record =
      run_oci::ParseStateRecord(json, "state.json");
  if (!record.ok()) {
    if (record.status().message().find('\n') != absl::string_view::npos) {
      __builtin_trap();
    }
    return 0;
  }
  const std::string written = run_oci::StateRecordToJson(*record);
  absl::StatusOr<run_oci::StateRecord> again =
      run_oci::ParseStateRecord(written, "state.json");
  if (!again.ok() || run_oci::StateRecordToJson(*again) != written) {
    __builtin_trap();
  }
  // What `state` prints and hooks read from it is valid JSON.
  run_oci::OciState state;
  state.id = record->id;
  state.status = "created";
  state.pid = record->pid;
  state.bundle = record->bundle;
  state.created = record->created;
  state.annotations = record->annotations;
  rapidjson::Document doc;
  doc.Parse(run_oci::OciStateToJson(state).c_str());
  if (doc.HasParseError() || !doc.IsObject()) __builtin_trap();
  return 0;
}
