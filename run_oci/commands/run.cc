#include <signal.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/logging.h"
#include "run_oci/timings.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

volatile sig_atomic_t g_container_pid = 0;
volatile sig_atomic_t g_pending_signal = 0;

// A foreground runtime passes termination requests on to its container,
// like a shell does to its job. The pid is our unreaped child until Wait
// returns, so it cannot name another process while the handler can run.
// A request that comes before the container exists is delivered once it
// does.
void ForwardSignal(int signal) {
  if (g_container_pid > 0) {
    kill(g_container_pid, signal);
  } else {
    g_pending_signal = signal;
  }
}

// Installed before the container is created: the program may be running
// (and its supervisor signalling us) before Create returns. Handlers, unlike
// ignored or blocked signals, do not survive execve into the container.
void StartForwarding() {
  struct sigaction action = {};
  action.sa_handler = ForwardSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
    sigaction(signal, &action, nullptr);
  }
}

void SetForwardingTarget(pid_t pid) {
  g_container_pid = pid;
  if (g_pending_signal != 0) kill(pid, g_pending_signal);
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
  StartForwarding();
  absl::StatusOr<SetUpContainer> set_up =
      SetUpNewContainer(cl, /*wait_for_start=*/false);
  if (!set_up.ok()) {
    StopForwarding();
    return set_up.status();
  }
  SetUpContainer& setup = *set_up;
  // While it runs in the foreground, kill and destroy --force must work.
  setup.lock.reset();
  pid_t pid = setup.container->pid();
  HookRunner hooks = MakeHookRunner();
  SetForwardingTarget(pid);
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
  GlobalRunTimes().waited = shim::MonotonicNs();
  StopForwarding();
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
