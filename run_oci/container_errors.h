// The errors about a container's existence and state that container engines
// read back from a runtime, worded once. containerd's runc shim and podman
// decide by substring what a failed call meant (pkg/process in containerd:
// "does not exist" on kill and delete, "container not running" on kill;
// podman's state: "does not exist"), and people's scripts grep for runc's
// libcontainer phrases, so each message contains runc's phrase verbatim.
#ifndef RUN_OCI_CONTAINER_ERRORS_H_
#define RUN_OCI_CONTAINER_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace run_oci {

// NotFound "container does not exist: <id>" (runc: "container does not
// exist").
absl::Status ContainerNotExistError(absl::string_view id);
// True for exactly that error of `id` (not any NotFound: a missing hook or
// cgroup file must not pass for a container that is gone).
bool IsContainerNotExist(const absl::Status& status, absl::string_view id);

// FailedPrecondition "container not running: <id>".
absl::Status ContainerNotRunningError(absl::string_view id);

// AlreadyExists "container with given ID already exists: <id>".
absl::Status ContainerExistsError(absl::string_view id);

}  // namespace run_oci

#endif  // RUN_OCI_CONTAINER_ERRORS_H_
