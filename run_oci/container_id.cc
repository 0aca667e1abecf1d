#include "run_oci/container_id.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace run_oci {

absl::Status ValidateContainerId(absl::string_view id) {
  if (id.size() > kMaxContainerIdLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid container id: longer than ", kMaxContainerIdLength, " bytes"));
  }
  bool ok = !id.empty() && id.front() != '.' && !absl::StrContains(id, '/') &&
            !absl::StrContains(id, "..");
  for (char c : id) {
    // Printable ASCII only: the id ends up in paths, logs and cgroup names.
    if (c < 0x20 || c > 0x7e) ok = false;
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError("invalid container id");
}

}  // namespace run_oci
