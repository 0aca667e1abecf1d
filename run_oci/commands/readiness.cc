#include "run_oci/commands/readiness.h"

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/logging.h"
#include "run_oci/notify_socket.h"

namespace run_oci {

absl::Status AnnounceReady(const CommandLine& cl, const SetUpContainer& setup,
                           pid_t main_pid) {
  if (HostNotifySocket().empty()) return absl::OkStatus();
  if (setup.notify.has_value()) {
    ASSIGN_OR_RETURN(base::ScopedFd pidfd,
                     shim::PidfdOpen(setup.container->pid()));
    RETURN_IF_ERROR(setup.notify->WaitForReady(
        cl.id, pidfd.get(), absl::Seconds(cl.ready_timeout_seconds)));
  }
  RETURN_IF_ERROR(NotifyReady(main_pid));
  LogInfo(
      absl::StrCat("container ", cl.id, ": READY=1 sent, MAINPID=", main_pid));
  return absl::OkStatus();
}

}  // namespace run_oci
