#include <errno.h>
#include <poll.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/supervised_stop.h"
#include "run_oci/container_cgroups.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/parser/oci_names.h"
#include "run_oci/recorded_cgroups.h"

namespace run_oci {
namespace {

constexpr int kKillWaitMs = 10000;

}  // namespace

absl::StatusOr<int> ParseSignalArg(const std::string& arg) {
  std::optional<int> signal = SignalFromName(arg);
  if (!signal.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown signal: ", arg));
  }
  return *signal;
}

absl::StatusOr<int> KillContainer(const CommandLine& cl) {
  std::string name = !cl.args.empty()     ? cl.args[0]
                     : !cl.signal.empty() ? cl.signal
                                          : "TERM";
  ASSIGN_OR_RETURN(int signal, ParseSignalArg(name));
  // Supervised: a stop signal is first a request to the supervisor, so the
  // container is not respawned; it sends SIGTERM itself (then SIGKILL).
  ASSIGN_OR_RETURN(bool supervised, AskSupervisorToStop(cl, signal));
  absl::StatusOr<ExistingContainer> opened =
      OpenExistingContainer(cl, /*lock=*/false);
  // Between two runs there is only the supervisor to tell.
  if (supervised && absl::IsNotFound(opened.status())) return 0;
  if (!opened.ok()) return opened.status();
  ExistingContainer& existing = *opened;
  if (supervised && signal == SIGTERM && !cl.all) return 0;
  if (cl.all) {
    // Also for a stopped container, as runc: what its init left behind in
    // the cgroups (containerd kills those after the init exited).
    RETURN_IF_ERROR(SignalAllProcesses(existing.record, signal));
    LogInfo(absl::StrCat("container ", cl.id, ": sent signal ", signal,
                         " to every process"));
    return 0;
  }
  // Poststop hooks are destroy's business, not kill's.
  absl::StatusOr<base::ScopedFd> opened_pidfd =
      OpenContainerProcess(existing.record);
  if (supervised && !opened_pidfd.ok()) return 0;  // stopping already
  ASSIGN_OR_RETURN(base::ScopedFd pidfd, std::move(opened_pidfd));
  absl::Status sent = shim::PidfdSendSignal(pidfd.get(), signal);
  if (absl::IsNotFound(sent)) {
    if (supervised) return 0;
    return ContainerNotRunningError(cl.id);
  }
  RETURN_IF_ERROR(sent);
  if (signal == SIGKILL) {
    RETURN_IF_ERROR(ThawIfPausedAfterKill(existing.record));
    // Chromium's session manager runs destroy right after `--signal=KILL
    // kill`: by then the init must be gone, not still exiting (the kernel
    // takes a moment to end a whole pid namespace).
    struct pollfd pfd = {pidfd.get(), POLLIN, 0};
    while (poll(&pfd, 1, kKillWaitMs) < 0 && errno == EINTR) {
    }
  }
  LogInfo(absl::StrCat("container ", cl.id, ": sent signal ", signal));
  return 0;
}

}  // namespace run_oci
