// The runtime-spec Features structure (features.md, features-linux.md) that
// `run_oci features` prints. Every list is what the parser and the shim
// accept, asked of them name by name, so it cannot claim what the code
// does not do.
#ifndef RUN_OCI_FEATURES_H_
#define RUN_OCI_FEATURES_H_

#include <string>
#include <vector>

namespace run_oci {

struct Features {
  std::vector<std::string> hooks;
  std::vector<std::string> mount_options;
  std::vector<std::string> namespaces;
  std::vector<std::string> capabilities;
  std::vector<std::string> seccomp_actions;
  std::vector<std::string> seccomp_operators;
  std::vector<std::string> seccomp_archs;
  std::vector<std::string> seccomp_flags;  // knownFlags
};

Features SupportedFeatures();

// Indented JSON, newline-terminated.
std::string FeaturesJson(const Features& features);

}  // namespace run_oci

#endif  // RUN_OCI_FEATURES_H_
