// runc's `update` flags, turned into the linux.resources they stand for,
// with runc's names and units: memory sizes as docker's RAMInBytes reads
// them ("512m", "1g", -1 for unlimited), CPU times in microseconds, and a
// 0 where runc's flag default is 0 meaning "leave it alone".
#ifndef RUN_OCI_UPDATE_FLAGS_H_
#define RUN_OCI_UPDATE_FLAGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/resources.h"

namespace run_oci {

// The flags update takes besides --resources, in gflags spelling.
const std::vector<std::string>& UpdateFlagNames();

// `flags`: the update flags that were given, gflags name -> value.
// Errors read "--<flag> <value>: <what>". The ignored kernel-memory flags
// add a warning, as runc's do.
absl::StatusOr<libcontainer::Resources> ResourcesFromUpdateFlags(
    const std::map<std::string, std::string>& flags,
    std::vector<std::string>* warnings);

// docker/go-units' RAMInBytes: a number (fractions allowed), an optional
// space, an optional k/m/g/t/p (binary multiples) and an optional "i"
// and "b": "100", "512m", "1.5G", "64 KiB".
absl::StatusOr<int64_t> ParseRamInBytes(absl::string_view text);

}  // namespace run_oci

#endif  // RUN_OCI_UPDATE_FLAGS_H_
