#include <signal.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/logging.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

volatile sig_atomic_t g_container_pid = 0;

// A foreground runtime passes termination requests on to its container,
// like a shell does to its job. The pid is our unreaped child until Wait
// returns, so it cannot name another process while the handler can run.
void ForwardSignal(int signal) {
  if (g_container_pid > 0) kill(g_container_pid, signal);
}

void ForwardTerminationSignals(pid_t pid) {
  g_container_pid = pid;
  struct sigaction action = {};
  action.sa_handler = ForwardSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
    sigaction(signal, &action, nullptr);
  }
}

void StopForwarding() {
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
    ::signal(signal, SIG_DFL);
  }
  g_container_pid = 0;
}

void LogIfError(const absl::Status& status) {
  if (!status.ok()) LogError(status.message());
}

}  // namespace

absl::StatusOr<int> RunContainer(const CommandLine& cl) {
  ASSIGN_OR_RETURN(SetUpContainer setup,
                   SetUpNewContainer(cl, /*wait_for_start=*/false));
  pid_t pid = setup.container->pid();
  HookRunner hooks = MakeHookRunner();
  ForwardTerminationSignals(pid);
  absl::Status poststart = RunStageHooks(hooks, setup.config, setup.record,
                                         HookStage::kPoststart, pid);
  if (!poststart.ok()) {
    StopForwarding();
    LogIfError(TearDown(setup));
    return poststart;
  }
  if (cl.sigstop_when_ready) raise(SIGSTOP);

  absl::StatusOr<libcontainer::ExitStatus> exit_status =
      setup.container->Wait();
  StopForwarding();
  LogIfError(RunStageHooks(hooks, setup.config, setup.record,
                           HookStage::kPoststop, 0));
  absl::Status torn_down = TearDown(setup);
  if (!exit_status.ok()) return exit_status.status();
  RETURN_IF_ERROR(torn_down);
  LogInfo(absl::StrCat("container ", cl.id, " exited with status ",
                       exit_status->ToShellStatus()));
  return exit_status->ToShellStatus();
}

}  // namespace run_oci
