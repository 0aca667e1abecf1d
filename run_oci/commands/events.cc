// `events [--stats] [--interval D] <id>`: runc's event stream. --stats
// prints the statistics once; otherwise a stats event every interval and
// an oom event for each OOM kill, until the container stops.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libcontainer/cgroup_stats.h"
#include "libcontainer/oom_notifier.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/events_json.h"
#include "run_oci/logging.h"
#include "run_oci/recorded_cgroups.h"

namespace run_oci {
namespace {

absl::StatusOr<absl::Duration> Interval(const CommandLine& cl) {
  auto it = cl.command_flags.find("interval");
  if (it == cl.command_flags.end()) return absl::Seconds(5);
  absl::Duration interval;
  // Go's time.ParseDuration spelling ("5s", "1m30s", "250ms"), which is
  // what runc takes.
  if (!absl::ParseDuration(it->second, &interval)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--interval ", it->second, ": expected a duration such as 5s"));
  }
  if (interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--interval ", it->second, ": must be greater than 0"));
  }
  return interval;
}

// One line per event, flushed: the reader is usually a pipe.
void Emit(const std::string& json) {
  fputs(json.c_str(), stdout);
  fputc('\n', stdout);
  fflush(stdout);
}

absl::Status EmitStats(const StateRecord& record,
                       const libcontainer::Cgroups& cgroups) {
  ASSIGN_OR_RETURN(libcontainer::CgroupStats stats,
                   libcontainer::ReadCgroupStats(cgroups));
  Emit(StatsEventJson(record.id, stats));
  return absl::OkStatus();
}

// Until the init exits (its pidfd turns readable): stats every interval,
// OOM kills as they come. A stats read that fails (a cgroup removed by a
// concurrent delete) is logged and the stream goes on, as runc's does.
absl::Status Stream(const StateRecord& record, const RecordedCgroups& recorded,
                    absl::Duration interval) {
  ASSIGN_OR_RETURN(base::ScopedFd pidfd, OpenContainerProcess(record));
  ASSIGN_OR_RETURN(libcontainer::OomNotifier oom,
                   libcontainer::OomNotifier::Open(recorded.cgroups));
  absl::Time next = absl::Now() + interval;
  while (true) {
    struct pollfd fds[2] = {{pidfd.get(), POLLIN, 0},
                            {oom.fd(), oom.poll_events(), 0}};
    int64_t wait_ms =
        std::max<int64_t>(0, absl::ToInt64Milliseconds(next - absl::Now()));
    int ready = poll(fds, oom.fd() >= 0 ? 2 : 1,
                     static_cast<int>(std::min<int64_t>(wait_ms, 1 << 30)));
    if (ready < 0 && errno != EINTR) {
      return absl::InternalError(absl::StrCat("poll: ", strerror(errno)));
    }
    if (fds[0].revents != 0) return absl::OkStatus();  // stopped
    if (oom.fd() >= 0 && fds[1].revents != 0) {
      bool gone = false;
      ASSIGN_OR_RETURN(uint64_t kills, oom.Consume(&gone));
      for (uint64_t i = 0; i < kills; ++i) Emit(OomEventJson(record.id));
      if (gone) return absl::OkStatus();  // the cgroup went away
    }
    if (absl::Now() >= next) {
      absl::Status stats = EmitStats(record, recorded.cgroups);
      if (!stats.ok()) LogError(stats.message());
      next += interval;
    }
  }
}

}  // namespace

absl::StatusOr<int> PrintContainerEvents(const CommandLine& cl) {
  ASSIGN_OR_RETURN(absl::Duration interval, Interval(cl));
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenLiveContainer(cl, /*lock=*/false));
  ASSIGN_OR_RETURN(RecordedCgroups recorded,
                   OpenRecordedCgroups(existing.record));
  if (cl.command_flags.count("stats") > 0 &&
      cl.command_flags.at("stats") == "true") {
    RETURN_IF_ERROR(EmitStats(existing.record, recorded.cgroups));
    return 0;
  }
  RETURN_IF_ERROR(Stream(existing.record, recorded, interval));
  return 0;
}

}  // namespace run_oci
