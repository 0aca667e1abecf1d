// Container ids name a directory under the state root, so they must never
// reach outside it or hide in it.
#ifndef RUN_OCI_CONTAINER_ID_H_
#define RUN_OCI_CONTAINER_ID_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace run_oci {

inline constexpr size_t kMaxContainerIdLength = 1024;

// OK for a non-empty, printable id of at most kMaxContainerIdLength bytes
// without '/', without "..", not starting with '.'; else "invalid container
// id".
absl::Status ValidateContainerId(absl::string_view id);

}  // namespace run_oci

#endif  // RUN_OCI_CONTAINER_ID_H_
