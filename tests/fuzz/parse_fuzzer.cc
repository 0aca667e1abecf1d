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
  const std::string text = libcontainer::FormatConfig(*config);
  // Goldens rely on one "key: value" or "- item" per line: a value from the
  // config must never start a line of its own.
  if (text.empty() || text.back() != '\n') __builtin_trap();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    size_t first = text.find_first_not_of(' ', start);
    if (first >= end) __builtin_trap();
    char c = text[first];
    if (c != '-' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')) {
      __builtin_trap();
    }
    start = end + 1;
  }
  return 0;
}
