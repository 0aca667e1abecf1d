#include "libcontainer/oom_notifier.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "libcontainer/cgroup_file.h"
#include "libcontainer/cgroup_stat_parse.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

absl::StatusOr<uint64_t> ReadOomKills(int fd, const std::string& path) {
  char buf[1024];
  ssize_t n = pread(fd, buf, sizeof(buf), 0);
  if (n < 0)
    return base::ErrnoStatus(errno, absl::StrCat("cgroup: read ", path));
  return OomKillCount(absl::string_view(buf, n));
}

}  // namespace

uint64_t OomKillCount(absl::string_view memory_events) {
  return ParseFlatKeyed(memory_events)["oom_kill"];
}

absl::StatusOr<OomNotifier> OomNotifier::Open(const Cgroups& cgroups) {
  OomNotifier n;
  n.dir_ = cgroups.V1Dir("memory");
  if (!n.dir_.empty()) {
    const std::string control = absl::StrCat(n.dir_, "/memory.oom_control");
    n.oom_control_ =
        base::ScopedFd(open(control.c_str(), O_RDONLY | O_CLOEXEC));
    if (!n.oom_control_) {
      return base::ErrnoStatus(errno, absl::StrCat("cgroup: open ", control));
    }
    n.fd_ = base::ScopedFd(eventfd(0, EFD_CLOEXEC));
    if (!n.fd_) return base::ErrnoStatus(errno, "cgroup: eventfd");
    RETURN_IF_ERROR(
        WriteCgroupFile(n.dir_, "cgroup.event_control",
                        absl::StrCat(n.fd_.get(), " ", n.oom_control_.get())));
    return n;
  }
  n.v1_ = false;
  n.dir_ = cgroups.unified_dir();
  if (n.dir_.empty() || !CgroupFileExists(n.dir_, "memory.events")) return n;
  const std::string path = absl::StrCat(n.dir_, "/memory.events");
  n.fd_ = base::ScopedFd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!n.fd_)
    return base::ErrnoStatus(errno, absl::StrCat("cgroup: open ", path));
  ASSIGN_OR_RETURN(n.last_oom_kills_, ReadOomKills(n.fd_.get(), path));
  return n;
}

short OomNotifier::poll_events() const { return v1_ ? POLLIN : POLLPRI; }

absl::StatusOr<uint64_t> OomNotifier::Consume(bool* gone) {
  *gone = false;
  if (v1_) {
    uint64_t count = 0;
    if (read(fd_.get(), &count, sizeof(count)) != sizeof(count)) {
      if (errno == EAGAIN || errno == EINTR) return 0;
      return base::ErrnoStatus(errno, "cgroup: read OOM eventfd");
    }
    // The kernel also signals the eventfd when the cgroup goes away.
    if (!CgroupFileExists(dir_, "cgroup.event_control")) {
      *gone = true;
      fd_.reset();
      return 0;
    }
    return count;
  }
  const std::string path = absl::StrCat(dir_, "/memory.events");
  absl::StatusOr<uint64_t> kills = ReadOomKills(fd_.get(), path);
  if (!kills.ok() || !CgroupFileExists(dir_, "memory.events")) {
    *gone = true;
    fd_.reset();
    return 0;
  }
  uint64_t fresh = *kills > last_oom_kills_ ? *kills - last_oom_kills_ : 0;
  last_oom_kills_ = *kills;
  return fresh;
}

}  // namespace libcontainer
