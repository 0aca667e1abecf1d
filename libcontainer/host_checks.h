// Config features that depend on what the host kernel offers. Checked before
// anything is created, so an unsupported config fails with nothing to undo.
#ifndef LIBCONTAINER_HOST_CHECKS_H_
#define LIBCONTAINER_HOST_CHECKS_H_

#include "absl/status/status.h"
#include "libcontainer/config.h"

namespace libcontainer {

// AppArmor profile, Intel RDT, mount label, then CheckSysctlNamespaces.
absl::Status CheckHostSupport(const Config& config);

// Every sysctl must belong to a namespace of the container's own: a new
// one, or one joined by path that is not run_oci's (compared by st_dev and
// st_ino with /proc/self/ns/<type> and /proc/1/ns/<type>). Sysctls no
// namespace holds are refused.
absl::Status CheckSysctlNamespaces(const Config& config);

}  // namespace libcontainer

#endif  // LIBCONTAINER_HOST_CHECKS_H_
