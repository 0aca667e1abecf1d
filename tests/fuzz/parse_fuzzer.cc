// libFuzzer target: arbitrary bytes through the whole config.json path the
// runtime takes before touching the kernel (parse, convert, format), and
// through `run_oci check`'s collecting parse of the same bytes. Any crash,
// leak, sanitizer report or hang is a bug; errors are expected. Check and
// create must agree: check has an error exactly when create fails, and
// every problem is one line with a position inside the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcontainer/config_text.h"
#include "run_oci/parser/config_check.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"

namespace {

// The check of the same bytes, against create's verdict.
void CheckAgrees(std::string_view json, const run_oci::ConvertOptions& options,
                 bool create_failed) {
  run_oci::ConfigCheck check(json, options);
  if (check.has_errors() != create_failed) __builtin_trap();
  size_t lines = 1;
  for (char c : json) lines += c == '\n';
  for (const run_oci::ConfigProblem& problem : check.problems()) {
    if (problem.line < 1 || problem.line > lines || problem.column < 1) {
      __builtin_trap();
    }
    if (run_oci::ConfigProblemText(problem).find('\n') != std::string::npos) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  run_oci::ConvertOptions options;
  options.bundle_dir = "/bundle";
  options.extra_bind_mounts = {{"src", "/dst"}};
  absl::StatusOr<run_oci::OciConfig> oci =
      run_oci::ParseOciConfig(json, "config.json");
  if (!oci.ok()) {
    CheckAgrees(json, options, /*create_failed=*/true);
    return 0;
  }
  std::vector<std::string> warnings;
  absl::StatusOr<libcontainer::Config> config =
      run_oci::ConvertOciConfig(*oci, options, &warnings);
  CheckAgrees(json, options, /*create_failed=*/!config.ok());
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
