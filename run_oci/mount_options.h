// OCI mount options ("nosuid", "rbind", "rslave", "size=64k", "loop", ...)
// split into what mount(2) takes as flags, the propagation change that needs
// its own mount(2) call, and the filesystem data string.
#ifndef RUN_OCI_MOUNT_OPTIONS_H_
#define RUN_OCI_MOUNT_OPTIONS_H_

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
};

// Options apply in order, so "ro,rw" ends read-write; the last propagation
// option wins. `context` prefixes errors, e.g. "config.json: mounts[2]".
// Recursive attributes ("rro", "rnosuid", ...) need mount_setattr(2), which
// this runtime does not implement, so they are an error rather than being
// silently weakened to the non-recursive flag.
absl::StatusOr<MountOptions> ParseMountOptions(
    const std::vector<std::string>& options, absl::string_view context);

// "private" -> MS_PRIVATE, "rslave" -> MS_REC|MS_SLAVE, ...; nullopt if
// `name` is not a propagation option.
std::optional<unsigned long> PropagationFromName(absl::string_view name);

}  // namespace run_oci

#endif  // RUN_OCI_MOUNT_OPTIONS_H_
