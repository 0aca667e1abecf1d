#include "run_oci/commands/supervised_stop.h"

#include <poll.h>
#include <signal.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/logging.h"
#include "run_oci/proc_stat.h"
#include "run_oci/supervisor_record.h"

namespace run_oci {
namespace {

// A margin over the supervisor's stop timeout for its teardown (poststop
// hooks have timeouts of their own).
constexpr int64_t kTeardownMarginMs = 30000;

// A pidfd on the supervisor, checked to be the recorded process; nullopt
// when it has gone meanwhile.
absl::StatusOr<std::optional<base::ScopedFd>> OpenSupervisor(
    const SupervisorRecord& record) {
  absl::StatusOr<base::ScopedFd> pidfd = shim::PidfdOpen(record.pid);
  if (absl::IsNotFound(pidfd.status())) return std::nullopt;
  if (!pidfd.ok()) return pidfd.status();
  if (!IsSameProcessAlive(record.pid, record.pid_start_time)) {
    return std::nullopt;
  }
  return std::optional<base::ScopedFd>(*std::move(pidfd));
}

absl::Status SendStop(const SupervisorRecord& record, int pidfd) {
  absl::Status sent = shim::PidfdSendSignal(pidfd, SIGTERM);
  if (absl::IsNotFound(sent)) return absl::OkStatus();
  RETURN_IF_ERROR(sent);
  LogInfo(absl::StrCat("container ", record.id,
                       ": stop requested of its supervisor, pid ", record.pid));
  return absl::OkStatus();
}

}  // namespace

bool IsStopSignal(int signal) {
  return signal == SIGTERM || signal == SIGINT || signal == SIGQUIT ||
         signal == SIGKILL;
}

absl::StatusOr<bool> AskSupervisorToStop(const CommandLine& cl, int signal) {
  ASSIGN_OR_RETURN(std::optional<SupervisorRecord> record,
                   ReadLiveSupervisor(cl.root, cl.id));
  if (!record.has_value()) return false;
  if (!IsStopSignal(signal)) return true;
  ASSIGN_OR_RETURN(std::optional<base::ScopedFd> pidfd,
                   OpenSupervisor(*record));
  if (pidfd.has_value()) RETURN_IF_ERROR(SendStop(*record, pidfd->get()));
  return true;
}

absl::StatusOr<SupervisorStopped> StopSupervisorAndWait(const CommandLine& cl) {
  SupervisorStopped result;
  bool stale = false;
  ASSIGN_OR_RETURN(std::optional<SupervisorRecord> record,
                   ReadLiveSupervisor(cl.root, cl.id, &stale));
  if (!record.has_value()) {
    if (stale) {
      LogWarning(absl::StrCat("container ", cl.id,
                              ": its supervisor died; destroying what it "
                              "left"));
      RETURN_IF_ERROR(RemoveStaleSupervisor(cl.root, cl.id));
      result.orphaned = true;
    }
    return result;
  }
  ASSIGN_OR_RETURN(std::optional<base::ScopedFd> pidfd,
                   OpenSupervisor(*record));
  result.was_supervised = true;
  if (!pidfd.has_value()) return result;
  RETURN_IF_ERROR(SendStop(*record, pidfd->get()));
  const int64_t limit_ms = record->stop_timeout_ms + kTeardownMarginMs;
  struct pollfd pfd = {pidfd->get(), POLLIN, 0};
  int ready;
  while ((ready = poll(&pfd, 1, static_cast<int>(limit_ms))) < 0 &&
         errno == EINTR) {
  }
  if (ready != 1) {
    return absl::DeadlineExceededError(
        absl::StrCat("container ", cl.id, ": its supervisor, pid ", record->pid,
                     ", did not stop within ", limit_ms, " ms"));
  }
  return result;
}

}  // namespace run_oci
