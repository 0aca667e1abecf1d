// The config.json that `run_oci spec` writes: the same bundle `runc spec`
// makes (busybox-style `sh` on a terminal, the three capabilities runc
// grants, its mounts, masked and read-only paths), for this runtime-spec
// release; with `rootless`, runc's rootless variant for the caller's ids.
#ifndef RUN_OCI_DEFAULT_SPEC_H_
#define RUN_OCI_DEFAULT_SPEC_H_

#include <sys/types.h>

#include <string>

namespace run_oci {

struct DefaultSpecOptions {
  bool rootless = false;
  // The ids mapped to root in the user namespace, when rootless.
  uid_t uid = 0;
  gid_t gid = 0;
};

// Indented with tabs, as runc writes it; newline-terminated.
std::string DefaultSpecJson(const DefaultSpecOptions& options);

}  // namespace run_oci

#endif  // RUN_OCI_DEFAULT_SPEC_H_
