// libFuzzer target: arbitrary bytes through the whole config.json path the
// runtime takes before touching the kernel (parse, convert, format). Any
// crash, leak, sanitizer report or hang is a bug; errors are expected.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcontainer/config_text.h"
#include "run_oci/oci_convert.h"
#include "run_oci/oci_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<run_oci::OciConfig> oci =
      run_oci::ParseOciConfig(json, "config.json");
  if (!oci.ok()) return 0;
  run_oci::ConvertOptions options;
  options.bundle_dir = "/bundle";
  options.extra_bind_mounts = {{"src", "/dst"}};
  std::vector<std::string> warnings;
  absl::StatusOr<libcontainer::Config> config =
      run_oci::ConvertOciConfig(*oci, options, &warnings);
  if (!config.ok()) return 0;
  std::string text = libcontainer::FormatConfig(*config);
  // The text form must never be empty for a converted config.
  if (text.empty()) __builtin_trap();
  return 0;
}
