// /proc/<pid>/mountinfo (proc(5)), read in one place above the shim: the
// cgroup hierarchies, CRIU's external mounts and run_oci's teardown all
// take their lines from here.
#ifndef MINIJAIL_SHIM_BASE_MOUNTINFO_H_
#define MINIJAIL_SHIM_BASE_MOUNTINFO_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace base {

struct MountInfoEntry {
  std::string mount_point;  // field 5, unescaped
  // After the " - " separator: the filesystem type and the superblock
  // options (the third field); empty when the line has no such part.
  std::string fs_type;
  std::string super_options;
};

// Undoes the kernel's octal escapes of space, tab, newline and backslash
// ("\040" is a space, "\134" a backslash); anything else stays as it is.
std::string UnescapeMountInfoField(absl::string_view field);

// Every line of `text` with at least five fields and an absolute mount
// point, in order. The others are left out; `first_malformed` (may be
// null) gets the 1-based number of the first of them, 0 if none.
std::vector<MountInfoEntry> ParseMountInfo(absl::string_view text,
                                           size_t* first_malformed = nullptr);

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_MOUNTINFO_H_
