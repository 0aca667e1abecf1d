#include <signal.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/pidfd.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_cgroups.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/oci_names.h"
#include "run_oci/recorded_cgroups.h"

namespace run_oci {

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
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/false));
  if (cl.all) {
    // Also for a stopped container, as runc: what its init left behind in
    // the cgroups (containerd kills those after the init exited).
    RETURN_IF_ERROR(SignalAllProcesses(existing.record, signal));
    LogInfo(absl::StrCat("container ", cl.id, ": sent signal ", signal,
                         " to every process"));
    return 0;
  }
  // Poststop hooks are destroy's business, not kill's.
  ASSIGN_OR_RETURN(shim::ScopedFd pidfd, OpenContainerProcess(existing.record));
  absl::Status sent = shim::PidfdSendSignal(pidfd.get(), signal);
  if (absl::IsNotFound(sent)) return ContainerNotRunningError(cl.id);
  RETURN_IF_ERROR(sent);
  if (signal == SIGKILL)
    RETURN_IF_ERROR(ThawIfPausedAfterKill(existing.record));
  LogInfo(absl::StrCat("container ", cl.id, ": sent signal ", signal));
  return 0;
}

}  // namespace run_oci
