// The config.json annotations run_oci acts on (every other one is only
// recorded and reported in the state): org.chromium.run_oci.shared_cgroup.
#ifndef RUN_OCI_PARSER_OCI_ANNOTATIONS_H_
#define RUN_OCI_PARSER_OCI_ANNOTATIONS_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "libcontainer/config.h"

namespace run_oci {

// libcontainer::kSharedCgroupAnnotation: "true" or "false" (the default)
// into Config::share_cgroup; any other value is an error naming the key.
absl::Status ApplyAnnotations(
    const std::map<std::string, std::string>& annotations,
    libcontainer::Config& config);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_OCI_ANNOTATIONS_H_
