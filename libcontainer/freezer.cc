#include "libcontainer/freezer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libcontainer/cgroup_file.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

// How long a freeze or thaw may take to settle before it is given up.
constexpr absl::Duration kSettleTimeout = absl::Seconds(5);

absl::StatusOr<std::string> ReadTrimmed(const std::string& dir,
                                        absl::string_view file) {
  ASSIGN_OR_RETURN(std::string text, ReadCgroupFile(dir, file));
  return std::string(absl::StripAsciiWhitespace(text));
}

absl::Status NoFreezer() {
  return absl::FailedPreconditionError(
      "cgroup: neither a v1 freezer nor a cgroup2 hierarchy is mounted, so "
      "the container cannot be paused");
}

// A v1 freeze can hang in FREEZING while processes keep forking: a task
// created during the freeze may be missed, and the state settles only once
// every task is frozen. Writing FROZEN again retries the stragglers; now and
// then thawing for a moment lets a burst of forks finish first (runc's fs
// driver does the same, for the same reason).
absl::Status FreezeV1(const std::string& dir) {
  const absl::Time deadline = absl::Now() + kSettleTimeout;
  for (int attempt = 0;; ++attempt) {
    if (attempt % 50 == 49) {
      RETURN_IF_ERROR(WriteCgroupFile(dir, "freezer.state", "THAWED"));
      absl::SleepFor(absl::Milliseconds(10));
    }
    RETURN_IF_ERROR(WriteCgroupFile(dir, "freezer.state", "FROZEN"));
    ASSIGN_OR_RETURN(std::string state, ReadTrimmed(dir, "freezer.state"));
    if (state == "FROZEN") return absl::OkStatus();
    if (state != "FREEZING") {
      return absl::InternalError(absl::StrCat("cgroup: ", dir,
                                              "/freezer.state: unexpected \"",
                                              state, "\" while freezing"));
    }
    if (absl::Now() > deadline) {
      // Half-frozen is the worst outcome: some processes stopped while
      // others wait on them.
      (void)WriteCgroupFile(dir, "freezer.state", "THAWED");
      return absl::DeadlineExceededError(
          absl::StrCat("cgroup: ", dir, "/freezer.state: still FREEZING after ",
                       absl::FormatDuration(kSettleTimeout),
                       " (processes kept forking); thawed again"));
    }
    if (attempt % 25 == 24) absl::SleepFor(absl::Microseconds(100));
  }
}

absl::Status ThawV1(const std::string& dir) {
  const absl::Time deadline = absl::Now() + kSettleTimeout;
  while (true) {
    RETURN_IF_ERROR(WriteCgroupFile(dir, "freezer.state", "THAWED"));
    ASSIGN_OR_RETURN(std::string state, ReadTrimmed(dir, "freezer.state"));
    if (state == "THAWED") return absl::OkStatus();
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "cgroup: ", dir, "/freezer.state: still ", state, " after ",
          absl::FormatDuration(kSettleTimeout), " of thawing"));
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
}

// cgroup.freeze is what was asked for; cgroup.events' "frozen" says when
// the kernel has done it. kernfs wakes a POLLPRI poller on every change of
// the events file.
absl::Status WaitV2(const std::string& dir, bool frozen) {
  const std::string path = absl::StrCat(dir, "/cgroup.events");
  base::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return base::ErrnoStatus(errno, absl::StrCat("cgroup: open ", path));
  const absl::Time deadline = absl::Now() + kSettleTimeout;
  while (true) {
    char buf[512];
    ssize_t n = pread(fd.get(), buf, sizeof(buf) - 1, 0);
    if (n < 0)
      return base::ErrnoStatus(errno, absl::StrCat("cgroup: read ", path));
    if (EventsSayFrozen(absl::string_view(buf, n)) == frozen) {
      return absl::OkStatus();
    }
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          absl::StrCat("cgroup: ", path, ": not ", frozen ? "frozen" : "thawed",
                       " after ", absl::FormatDuration(kSettleTimeout)));
    }
    struct pollfd pfd = {fd.get(), POLLPRI, 0};
    int slice_ms = static_cast<int>(
        std::min<int64_t>(50, absl::ToInt64Milliseconds(left) + 1));
    if (poll(&pfd, 1, slice_ms) < 0 && errno != EINTR) {
      return base::ErrnoStatus(errno, absl::StrCat("cgroup: poll ", path));
    }
  }
}

absl::Status SetV2(const std::string& dir, bool frozen) {
  RETURN_IF_ERROR(WriteCgroupFile(dir, "cgroup.freeze", frozen ? "1" : "0"));
  absl::Status settled = WaitV2(dir, frozen);
  if (!settled.ok() && frozen) {
    (void)WriteCgroupFile(dir, "cgroup.freeze", "0");
    return absl::Status(settled.code(),
                        absl::StrCat(settled.message(), "; thawed again"));
  }
  return settled;
}

absl::Status SetFrozen(const Freezer& freezer, bool frozen) {
  switch (freezer.kind) {
    case FreezerKind::kV1:
      return frozen ? FreezeV1(freezer.dir) : ThawV1(freezer.dir);
    case FreezerKind::kV2:
      return SetV2(freezer.dir, frozen);
    case FreezerKind::kNone:
      break;
  }
  return NoFreezer();
}

}  // namespace

Freezer ContainerFreezer(const Cgroups& cgroups) {
  std::string v1 = cgroups.V1Dir("freezer");
  if (!v1.empty()) return Freezer{FreezerKind::kV1, v1};
  if (!cgroups.unified_dir().empty()) {
    return Freezer{FreezerKind::kV2, cgroups.unified_dir()};
  }
  return Freezer{};
}

absl::Status Freeze(const Freezer& freezer) { return SetFrozen(freezer, true); }

absl::Status Thaw(const Freezer& freezer) { return SetFrozen(freezer, false); }

absl::StatusOr<bool> IsFrozen(const Freezer& freezer) {
  if (freezer.kind == FreezerKind::kNone) return false;
  const char* file =
      freezer.kind == FreezerKind::kV1 ? "freezer.state" : "cgroup.freeze";
  absl::StatusOr<std::string> state = ReadTrimmed(freezer.dir, file);
  if (absl::IsNotFound(state.status())) return false;  // cgroup gone
  if (!state.ok()) return state.status();
  if (freezer.kind == FreezerKind::kV2) return *state == "1";
  if (*state == "THAWED") return false;
  if (*state == "FREEZING") return true;
  // FROZEN may come from an ancestor; freezer.self_freezing tells (older
  // kernels lack it: then it is ours).
  absl::StatusOr<std::string> self =
      ReadTrimmed(freezer.dir, "freezer.self_freezing");
  return !self.ok() || *self != "0";
}

absl::Status Freeze(const Cgroups& cgroups) {
  return Freeze(ContainerFreezer(cgroups));
}
absl::Status Thaw(const Cgroups& cgroups) {
  return Thaw(ContainerFreezer(cgroups));
}
absl::StatusOr<bool> IsFrozen(const Cgroups& cgroups) {
  return IsFrozen(ContainerFreezer(cgroups));
}

bool EventsSayFrozen(absl::string_view cgroup_events) {
  for (absl::string_view line :
       absl::StrSplit(cgroup_events, '\n', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(' ', 1));
    if (kv.first == "frozen") {
      return absl::StripAsciiWhitespace(kv.second) == "1";
    }
  }
  return false;
}

}  // namespace libcontainer
