// Mounts flagged in_intermediate_namespace (Chromium): done by the runtime
// in the mount namespace it already entered, under the rootfs, before the
// jail starts. The container's own mount namespace is copied from this one,
// so it sees them, while they still count as "outside" mounts (e.g. a
// squashfs that a user namespace could not mount itself).
#ifndef LIBCONTAINER_INTERMEDIATE_MOUNTS_H_
#define LIBCONTAINER_INTERMEDIATE_MOUNTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "libcontainer/config.h"

namespace libcontainer {

class IntermediateMounts {
 public:
  IntermediateMounts() = default;
  IntermediateMounts(IntermediateMounts&&) = default;
  IntermediateMounts& operator=(IntermediateMounts&&) = default;

  // Mounts `source` (already replaced by a loop device where needed) at
  // <rootfs>/<mount.destination>, resolved inside the rootfs: symlinks and
  // ".." cannot lead out of it. Missing destinations are created.
  absl::Status Add(const std::string& rootfs, const Mount& mount,
                   const std::string& source);

  // Detaches everything mounted, newest first.
  absl::Status UnmountAll();

  const std::vector<std::string>& targets() const { return targets_; }

 private:
  std::vector<std::string> targets_;  // host paths, in mount order
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_INTERMEDIATE_MOUNTS_H_
