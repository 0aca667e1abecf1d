#include "run_oci/supervisor.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "run_oci/logging.h"

namespace run_oci {
namespace {

// SIGTERM, then SIGKILL once `stop_timeout` has passed; returns once the
// container is freed.
void StopRunning(SupervisedContainer& container, const std::string& id,
                 absl::Duration stop_timeout) {
  container.Signal(SIGTERM);
  const absl::Time deadline = container.Now() + stop_timeout;
  SupervisorEvent event;
  while ((event = container.Wait(deadline)) != SupervisorEvent::kExited &&
         event != SupervisorEvent::kTimeout) {
  }
  if (event == SupervisorEvent::kTimeout) {
    LogWarning(absl::StrCat("container ", id, ": still running ",
                            absl::FormatDuration(stop_timeout),
                            " after SIGTERM; sending SIGKILL"));
    container.Signal(SIGKILL);
    while (container.Wait(absl::InfiniteFuture()) != SupervisorEvent::kExited) {
    }
  }
  int status = container.Finish();
  LogInfo(absl::StrCat("container ", id, " stopped on request (status ", status,
                       ")"));
}

enum class RunEnd { kExited, kStopped };

// Until the running container exits or is stopped on request.
RunEnd WatchRunning(SupervisedContainer& container, const std::string& id,
                    absl::Duration stop_timeout) {
  for (;;) {
    switch (container.Wait(absl::InfiniteFuture())) {
      case SupervisorEvent::kExited:
        return RunEnd::kExited;
      case SupervisorEvent::kStop:
        StopRunning(container, id, stop_timeout);
        return RunEnd::kStopped;
      case SupervisorEvent::kReload:
        container.Signal(SIGHUP);
        break;
      case SupervisorEvent::kTimeout:
        break;
    }
  }
}

// False when a stop request came during the delay.
bool WaitDelay(SupervisedContainer& container, absl::Duration delay) {
  const absl::Time until = container.Now() + delay;
  for (;;) {
    switch (container.Wait(until)) {
      case SupervisorEvent::kStop:
        return false;
      case SupervisorEvent::kTimeout:
        return true;
      default:  // nothing runs to reload
        break;
    }
  }
}

}  // namespace

absl::StatusOr<int> Supervise(SupervisedContainer& container,
                              const std::string& id,
                              const RespawnParams& params,
                              absl::Duration stop_timeout) {
  RespawnPolicy policy(params);
  for (int restarts = 0;; ++restarts) {
    if (restarts > 0) container.Restarting(restarts);
    const absl::Time started = container.Now();
    absl::Status start = container.Start();
    if (absl::IsCancelled(start)) {
      LogInfo(start.message());
      return 0;
    }
    if (!start.ok()) {
      // A service that never came up fails at once, with the reason.
      if (restarts == 0) return start;
      LogError(start.message());
    } else {
      if (WatchRunning(container, id, stop_timeout) == RunEnd::kStopped) {
        return 0;
      }
      int status = container.Finish();
      LogWarning(absl::StrCat(
          "container ", id, " exited with status ", status, " after ",
          absl::FormatDuration(
              absl::Trunc(container.Now() - started, absl::Milliseconds(1)))));
    }
    if (!policy.ShouldRespawn(container.Now() - started)) {
      return absl::FailedPreconditionError(policy.GiveUpMessage(id));
    }
    if (!WaitDelay(container, params.delay)) {
      LogInfo(absl::StrCat("container ", id,
                           ": stop requested while waiting to respawn"));
      return 0;
    }
  }
}

}  // namespace run_oci
