// Container ids name a directory under the state root, so they must never
// reach outside it or hide in it.
#ifndef RUN_OCI_CONTAINER_ID_H_
#define RUN_OCI_CONTAINER_ID_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace run_oci {

// The id is a directory name under the state root and under each cgroup
// hierarchy: NAME_MAX (255) bytes, mkdir(2)'s ENAMETOOLONG beyond.
inline constexpr size_t kMaxContainerIdLength = 255;

// OK for a non-empty, printable id of at most kMaxContainerIdLength bytes
// without '/', without "..", not starting with '.'; else "invalid container
// id" ("invalid container id: longer than 255 bytes" for a long one).
absl::Status ValidateContainerId(absl::string_view id);

}  // namespace run_oci

#endif  // RUN_OCI_CONTAINER_ID_H_
