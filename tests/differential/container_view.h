// What a container sees of itself, as printed by a probe script run inside
// it, normalized so that two runtimes' views can be compared field by field.
#ifndef TESTS_DIFFERENTIAL_CONTAINER_VIEW_H_
#define TESTS_DIFFERENTIAL_CONTAINER_VIEW_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ocitest {

// The busybox sh script that prints every section between "== name ==" marker
// lines and then exits with `exit_code`. The last section, "end", is empty
// and proves that the script ran to its end.
std::string ProbeScript(int exit_code);

// Section name -> normalized text. Sections: id, status, idmap, mounts,
// mount_order, dev, env, pwd, ulimit, hostname, end.
using ContainerView = std::map<std::string, std::string>;

// Splits the probe's output into sections and normalizes the ones whose raw
// form legitimately differs between runtimes:
//  - mounts: one "mountpoint fstype per-mount-options" line per mount,
//    sorted; device numbers, mount ids, roots, sources and superblock options
//    are dropped (they name host objects, not what the container can do).
//    A mount over a path in `masked_paths` becomes "mountpoint masked": the
//    spec only says the path must be unreadable, and runtimes mask files with
//    different /dev/null instances.
//  - mount_order (from the same mountinfo): "mountpoint fstype" per mount
//    in mountinfo's order (the binds of one cgroup mount sorted), a tmpfs
//    with its superblock options; masked paths and the default device
//    nodes' binds left out.
//  - dev: sorted names; crun's extra /dev/core symlink (not in the runtime
//    spec's default devices) is dropped.
//  - idmap: whitespace collapsed.
absl::StatusOr<ContainerView> ParseContainerView(
    absl::string_view probe_output, const std::set<std::string>& masked_paths);

}  // namespace ocitest

#endif  // TESTS_DIFFERENTIAL_CONTAINER_VIEW_H_
