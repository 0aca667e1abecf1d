// A container's OOM kills as they happen, for runc's `events` stream.
// cgroup v1: an eventfd registered for memory.oom_control through
// cgroup.event_control, which the kernel signals on every OOM in the
// cgroup (and once more when the cgroup is removed). cgroup2: the
// oom_kill count in memory.events, whose changes kernfs reports to a
// POLLPRI poller.
#ifndef LIBCONTAINER_OOM_NOTIFIER_H_
#define LIBCONTAINER_OOM_NOTIFIER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "libcontainer/cgroups.h"
#include "minijail-shim/base/scoped_fd.h"

namespace libcontainer {

class OomNotifier {
 public:
  // An invalid notifier (fd() < 0) when no memory controller is there to
  // report OOMs; that is no error.
  static absl::StatusOr<OomNotifier> Open(const Cgroups& cgroups);

  OomNotifier(OomNotifier&&) = default;
  OomNotifier& operator=(OomNotifier&&) = default;

  // Poll this fd for poll_events().
  int fd() const { return fd_.get(); }
  short poll_events() const;

  // After poll reported fd() ready: the OOM kills since the last call.
  // Once the cgroup is gone, `gone` is set and fd() stops being useful.
  absl::StatusOr<uint64_t> Consume(bool* gone);

 private:
  OomNotifier() = default;
  bool v1_ = true;
  std::string dir_;
  base::ScopedFd fd_;            // v1: the eventfd; v2: memory.events
  base::ScopedFd oom_control_;   // v1: kept open while registered
  uint64_t last_oom_kills_ = 0;  // v2
};

// The "oom_kill" count of a memory.events text.
uint64_t OomKillCount(absl::string_view memory_events);

}  // namespace libcontainer

#endif  // LIBCONTAINER_OOM_NOTIFIER_H_
