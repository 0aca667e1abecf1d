// The one reader of small kernel files (/proc, cgroupfs) below run_oci:
// the shim's cgroup mounts and capability limit, libcontainer's cgroup
// files. Parent side only: it allocates. (run_oci's ReadRegularFile adds
// what files from a bundle need: O_NONBLOCK, regular files only, a bound.)
#ifndef MINIJAIL_SHIM_READ_FILE_H_
#define MINIJAIL_SHIM_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace shim {

// The whole of `path`. Errors carry the errno's code and read
// "open <path>: <strerror>" or "read <path>: <strerror>".
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace shim

#endif  // MINIJAIL_SHIM_READ_FILE_H_
