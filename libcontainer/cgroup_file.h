// Reading and writing one cgroup control file, with errors that name the
// file and the value, because the kernel's EINVAL alone says nothing about
// which of a dozen limits it rejected.
#ifndef LIBCONTAINER_CGROUP_FILE_H_
#define LIBCONTAINER_CGROUP_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace libcontainer {

// Writes `value` to <dir>/<file> with one write(2) (the kernel parses each
// write as a whole). The file must exist: cgroup files cannot be created.
absl::Status WriteCgroupFile(const std::string& dir, absl::string_view file,
                             absl::string_view value);

absl::StatusOr<std::string> ReadCgroupFile(const std::string& dir,
                                           absl::string_view file);

bool CgroupFileExists(const std::string& dir, absl::string_view file);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_FILE_H_
