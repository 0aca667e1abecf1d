#include "minijail-shim/base/mountinfo.h"

#include <vector>

#include "absl/strings/str_split.h"

namespace base {
namespace {

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

}  // namespace

std::string UnescapeMountInfoField(absl::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && IsOctal(field[i + 1]) &&
        IsOctal(field[i + 2]) && IsOctal(field[i + 3])) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 +
                                      (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

std::vector<MountInfoEntry> ParseMountInfo(absl::string_view text,
                                           size_t* first_malformed) {
  if (first_malformed != nullptr) *first_malformed = 0;
  std::vector<MountInfoEntry> entries;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    const size_t dash = line.find(" - ");
    std::vector<absl::string_view> fields =
        absl::StrSplit(line.substr(0, dash), ' ', absl::SkipEmpty());
    if (fields.size() < 5 || fields[4].empty() || fields[4][0] != '/') {
      if (first_malformed != nullptr && *first_malformed == 0) {
        *first_malformed = line_number;
      }
      continue;
    }
    MountInfoEntry entry;
    entry.mount_point = UnescapeMountInfoField(fields[4]);
    if (dash != absl::string_view::npos) {
      std::vector<absl::string_view> after =
          absl::StrSplit(line.substr(dash + 3), ' ');
      entry.fs_type = std::string(after[0]);
      if (after.size() >= 3) entry.super_options = std::string(after[2]);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace base
