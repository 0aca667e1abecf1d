// `run --respawn`: supervisor.h's loop over real containers, each set up
// and torn down as `run` does it.
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/phase_timer.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/readiness.h"
#include "run_oci/logging.h"
#include "run_oci/respawn_policy.h"
#include "run_oci/supervisor.h"
#include "run_oci/supervisor_record.h"
#include "run_oci/supervisor_signals.h"
#include "run_oci/termination_signals.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

class RealSupervisedContainer : public SupervisedContainer {
 public:
  RealSupervisedContainer(const CommandLine& cl, SupervisorClaim& claim)
      : cl_(cl), claim_(claim) {}
  ~RealSupervisedContainer() override {
    if (setup_.has_value()) Finish();
  }

  // Monotonic: a respawn's timing must not jump with the wall clock.
  absl::Time Now() override {
    return absl::UnixEpoch() + absl::Nanoseconds(shim::MonotonicNs());
  }

  absl::Status Start() override {
    ASSIGN_OR_RETURN(SetUpContainer setup,
                     SetUpNewContainer(cl_, /*wait_for_start=*/false));
    // While it runs, kill and destroy must work.
    setup.lock.reset();
    const pid_t pid = setup.container->pid();
    absl::Status poststart =
        RunStageHooks(MakeHookRunner(), setup.config, setup.record,
                      HookStage::kPoststart, pid);
    const int pending = RestoreTerminationHandling();
    absl::StatusOr<base::ScopedFd> pidfd = shim::PidfdOpen(pid);
    if (poststart.ok()) poststart = pidfd.status();
    if (!poststart.ok()) {
      absl::Status torn_down = TearDown(setup);
      if (!torn_down.ok()) LogError(torn_down.message());
      if (pending != 0) {
        return absl::CancelledError(absl::StrCat(
            "container ", cl_.id, ": stop requested during its start"));
      }
      return poststart;
    }
    // A request after the setup, left pending for us.
    if (pending != 0) RequestSupervisorStop();
    pidfd_ = *std::move(pidfd);
    setup_.emplace(std::move(setup));
    if (!ready_once_) {
      // The supervisor is the service's main process, whatever restarts.
      absl::Status ready = AnnounceReady(cl_, *setup_, getpid());
      if (!ready.ok()) {
        Signal(SIGKILL);
        Finish();
        return ready;
      }
      ready_once_ = true;
      if (cl_.sigstop_when_ready) raise(SIGSTOP);
    }
    return absl::OkStatus();
  }

  SupervisorEvent Wait(absl::Time deadline) override {
    for (;;) {
      SupervisorEvent request = TakeSupervisorRequest();
      if (request != SupervisorEvent::kTimeout) return request;
      struct pollfd fds[2] = {{SupervisorSignalFd(), POLLIN, 0},
                              {pidfd_.get(), POLLIN, 0}};
      const nfds_t count = pidfd_ ? 2 : 1;
      int timeout_ms = -1;
      if (deadline != absl::InfiniteFuture()) {
        const absl::Duration left = deadline - Now();
        if (left <= absl::ZeroDuration()) return SupervisorEvent::kTimeout;
        timeout_ms =
            static_cast<int>(std::ceil(absl::ToDoubleMilliseconds(left)));
      }
      int ready = poll(fds, count, timeout_ms);
      if (ready < 0 && errno != EINTR) {
        LogError(absl::StrCat("supervisor: poll: ", strerror(errno)));
        return SupervisorEvent::kTimeout;
      }
      if (ready > 0 && count == 2 && (fds[1].revents & POLLIN) != 0 &&
          (fds[0].revents & POLLIN) == 0) {
        return SupervisorEvent::kExited;
      }
    }
  }

  void Signal(int signal) override {
    if (!pidfd_) return;
    absl::Status sent = shim::PidfdSendSignal(pidfd_.get(), signal);
    if (!sent.ok() && !absl::IsNotFound(sent)) LogWarning(sent.message());
  }

  int Finish() override {
    if (!setup_.has_value()) return 0;
    SetUpContainer& setup = *setup_;
    absl::StatusOr<libcontainer::ExitStatus> exit_status =
        setup.container->Wait();
    pidfd_.reset();
    absl::Status poststop = RunStageHooks(
        MakeHookRunner(), setup.config, setup.record, HookStage::kPoststop, 0);
    if (!poststop.ok()) LogWarning(poststop.message());
    absl::Status torn_down = TearDown(setup);
    if (!torn_down.ok()) LogError(torn_down.message());
    setup_.reset();
    if (!exit_status.ok()) {
      LogError(exit_status.status().message());
      return 255;
    }
    return exit_status->ToShellStatus();
  }

  void Restarting(int restarts) override {
    LogInfo(absl::StrCat("container ", cl_.id, ": respawn ", restarts));
    absl::Status recorded = claim_.SetRestarts(restarts);
    if (!recorded.ok()) LogWarning(recorded.message());
  }

 private:
  const CommandLine& cl_;
  SupervisorClaim& claim_;
  std::optional<SetUpContainer> setup_;
  base::ScopedFd pidfd_;
  bool ready_once_ = false;
};

}  // namespace

absl::StatusOr<int> RunSupervised(const CommandLine& cl) {
  ASSIGN_OR_RETURN(RespawnParams params, ParseRespawnSpec(cl.respawn));
  RETURN_IF_ERROR(HandleSupervisorSignals());
  LeaveTerminationRequestsToSupervisor();
  SupervisorRecord record;
  record.id = cl.id;
  char bundle[PATH_MAX];
  record.bundle =
      realpath(cl.bundle.c_str(), bundle) != nullptr ? bundle : cl.bundle;
  record.stop_timeout_ms =
      static_cast<int64_t>(std::ceil(cl.stop_timeout_seconds * 1000));
  ASSIGN_OR_RETURN(SupervisorClaim claim,
                   SupervisorClaim::Take(cl.root, std::move(record)));
  RealSupervisedContainer container(cl, claim);
  return Supervise(container, cl.id, params,
                   absl::Seconds(cl.stop_timeout_seconds));
}

}  // namespace run_oci
