#include <signal.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/readiness.h"
#include "run_oci/logging.h"
#include "run_oci/termination_signals.h"
#include "run_oci/timings.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

void LogIfError(const absl::Status& status) {
  if (!status.ok()) LogError(status.message());
}

}  // namespace

absl::StatusOr<int> RunContainer(const CommandLine& cl) {
  if (!cl.respawn.empty()) return RunSupervised(cl);
  // A foreground runtime passes termination requests on to its container,
  // like a shell does to its job, from the moment the program runs; one
  // that comes before aborts the setup (SetUpNewContainer).
  ASSIGN_OR_RETURN(SetUpContainer setup,
                   SetUpNewContainer(cl, /*wait_for_start=*/false));
  // While it runs in the foreground, kill and destroy --force must work.
  setup.lock.reset();
  pid_t pid = setup.container->pid();
  HookRunner hooks = MakeHookRunner();
  absl::Status poststart = RunStageHooks(hooks, setup.config, setup.record,
                                         HookStage::kPoststart, pid);
  if (!poststart.ok()) {
    RestoreTerminationHandling();
    LogIfError(TearDown(setup));
    return poststart;
  }
  absl::Status ready = AnnounceReady(cl, setup, getpid());
  if (!ready.ok()) {
    RestoreTerminationHandling();
    LogIfError(TearDown(setup));
    return ready;
  }
  if (cl.sigstop_when_ready) raise(SIGSTOP);

  absl::StatusOr<libcontainer::ExitStatus> exit_status =
      setup.container->Wait();
  GlobalRunTimes().waited = shim::MonotonicNs();
  RestoreTerminationHandling();
  LogIfError(RunStageHooks(hooks, setup.config, setup.record,
                           HookStage::kPoststop, 0));
  absl::Status torn_down = TearDown(setup);
  GlobalRunTimes().destroyed = shim::MonotonicNs();
  PrintTimingsIfEnabled(setup.container->create_times());
  if (!exit_status.ok()) return exit_status.status();
  RETURN_IF_ERROR(torn_down);
  LogInfo(absl::StrCat("container ", cl.id, " exited with status ",
                       exit_status->ToShellStatus()));
  return exit_status->ToShellStatus();
}

}  // namespace run_oci
