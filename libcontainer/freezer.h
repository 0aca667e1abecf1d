// Pausing a container: the kernel stops every process in its cgroups until
// it is thawed (runc's pause and resume, and the "paused" that its state
// reports). One freezer per container, chosen like runc's drivers choose
// it: the v1 freezer controller where it is mounted (the hybrid host this
// runs on, Chromium OS), else cgroup2's cgroup.freeze.
#ifndef LIBCONTAINER_FREEZER_H_
#define LIBCONTAINER_FREEZER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/cgroups.h"

namespace libcontainer {

enum class FreezerKind {
  kNone,  // neither a v1 freezer nor a cgroup2 directory
  kV1,    // <freezer>/freezer.state: THAWED, FREEZING, FROZEN
  kV2,    // <cgroup2>/cgroup.freeze (0/1), settled in cgroup.events
};

struct Freezer {
  FreezerKind kind = FreezerKind::kNone;
  std::string dir;
};

// The freezer of a container's cgroups.
Freezer ContainerFreezer(const Cgroups& cgroups);

// Stops every process and returns once the kernel says they all are
// (v1: freezer.state reads FROZEN, not FREEZING; v2: cgroup.events says
// "frozen 1"). A freeze that does not settle in a few seconds is undone
// and an error. FailedPrecondition with no freezer at all.
absl::Status Freeze(const Freezer& freezer);
absl::Status Freeze(const Cgroups& cgroups);

// The reverse; also settled before it returns.
absl::Status Thaw(const Freezer& freezer);
absl::Status Thaw(const Cgroups& cgroups);

// Whether the container itself was frozen (pause, or a freeze in
// progress). A cgroup that is frozen only because an ancestor is, or one
// that no longer exists, is not. For commands that must not act on a
// paused container (exec without --ignore-paused, checkpoint).
absl::StatusOr<bool> IsFrozen(const Freezer& freezer);
absl::StatusOr<bool> IsFrozen(const Cgroups& cgroups);

// The "frozen" key of a cgroup.events text ("populated 1\nfrozen 0\n").
bool EventsSayFrozen(absl::string_view cgroup_events);

}  // namespace libcontainer

#endif  // LIBCONTAINER_FREEZER_H_
