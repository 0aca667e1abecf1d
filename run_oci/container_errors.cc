#include "run_oci/container_errors.h"

#include "absl/strings/str_cat.h"

namespace run_oci {

absl::Status ContainerNotExistError(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("container does not exist: ", id));
}

bool IsContainerNotExist(const absl::Status& status, absl::string_view id) {
  return status == ContainerNotExistError(id);
}

absl::Status ContainerNotRunningError(absl::string_view id) {
  return absl::FailedPreconditionError(
      absl::StrCat("container not running: ", id));
}

absl::Status ContainerExistsError(absl::string_view id) {
  return absl::AlreadyExistsError(
      absl::StrCat("container with given ID already exists: ", id));
}

}  // namespace run_oci
