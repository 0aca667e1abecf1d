// OCI mount options ("nosuid", "rbind", "rslave", "size=64k", "loop", ...)
// split into what mount(2) takes as flags, the propagation change that needs
// its own mount(2) call, and the filesystem data string.
#ifndef RUN_OCI_PARSER_MOUNT_OPTIONS_H_
#define RUN_OCI_PARSER_MOUNT_OPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace run_oci {

struct MountOptions {
  unsigned long flags = 0;        // MS_* except propagation
  unsigned long propagation = 0;  // MS_PRIVATE|MS_SLAVE|... possibly |MS_REC
  std::string data;               // unknown options, comma-joined, in order
  bool loop = false;              // Chromium "loop"
  std::string verity;             // Chromium "dm=<table>"
  // "tmpcopyup" (crun's, podman's with --read-only): the tmpfs starts with
  // a copy of the directory it covers.
  bool tmpcopyup = false;
  // Recursive attributes ("rro", "rnosuid", ...) as MOUNT_ATTR_* bits for
  // mount_setattr(AT_RECURSIVE). A change of the atime mode clears all of
  // MOUNT_ATTR__ATIME, as the kernel requires.
  uint64_t recursive_set = 0;
  uint64_t recursive_clr = 0;
};

// Options apply in order, so "ro,rw" ends read-write; the last propagation
// option and the last atime mode win. `context` prefixes errors, e.g.
// "config.json: mounts[2]".
absl::StatusOr<MountOptions> ParseMountOptions(
    const std::vector<std::string>& options, absl::string_view context);

// "private" -> MS_PRIVATE, "rslave" -> MS_REC|MS_SLAVE, ...; nullopt if
// `name` is not a propagation option.
std::optional<unsigned long> PropagationFromName(absl::string_view name);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_MOUNT_OPTIONS_H_
