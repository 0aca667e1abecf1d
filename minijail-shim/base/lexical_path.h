// A path's components with "." and ".." folded as text, without looking at
// the file system: the parser resolves a config path against the rootfs
// this way, and the shim compares mount targets under proc and sysfs,
// where no symlink is followed.
#ifndef MINIJAIL_SHIM_BASE_LEXICAL_PATH_H_
#define MINIJAIL_SHIM_BASE_LEXICAL_PATH_H_

#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace base {

// Views into `path`; a ".." above the first component is dropped, as the
// kernel does at "/".
inline std::vector<absl::string_view> FoldedComponents(absl::string_view path) {
  std::vector<absl::string_view> out;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(part);
  }
  return out;
}

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_LEXICAL_PATH_H_
