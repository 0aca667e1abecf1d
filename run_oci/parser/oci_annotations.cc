#include "run_oci/parser/oci_annotations.h"

#include "absl/strings/str_cat.h"
#include "run_oci/parser/json_reader.h"

namespace run_oci {

absl::Status ApplyAnnotations(
    const std::map<std::string, std::string>& annotations,
    libcontainer::Config& config) {
  auto it = annotations.find(libcontainer::kSharedCgroupAnnotation);
  if (it == annotations.end()) return absl::OkStatus();
  if (it->second == "true" || it->second == "false") {
    config.share_cgroup = it->second == "true";
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "config.json: annotations.", libcontainer::kSharedCgroupAnnotation,
      ": must be \"true\" or \"false\", not ", JsonQuote(it->second)));
}

}  // namespace run_oci
