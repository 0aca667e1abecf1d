// Config features that depend on what the host kernel offers. Checked before
// anything is created, so an unsupported config fails with nothing to undo.
#ifndef LIBCONTAINER_HOST_CHECKS_H_
#define LIBCONTAINER_HOST_CHECKS_H_

#include "absl/status/status.h"
#include "libcontainer/config.h"

namespace libcontainer {

// AppArmor profile, Intel RDT, mount label.
absl::Status CheckHostSupport(const Config& config);

}  // namespace libcontainer

#endif  // LIBCONTAINER_HOST_CHECKS_H_
