// What SIGTERM, SIGINT, SIGQUIT (stop) and SIGHUP (reload) mean to a
// supervising run_oci (`run --respawn`) between container setups: each is
// turned into a byte on a pipe the supervisor polls, so a request is never
// lost between two checks. During a setup, termination_signals.h's
// handlers take over (a stop request aborts the setup) and then hand these
// back.
#ifndef RUN_OCI_SUPERVISOR_SIGNALS_H_
#define RUN_OCI_SUPERVISOR_SIGNALS_H_

#include "absl/status/status.h"
#include "run_oci/supervisor.h"

namespace run_oci {

// Installs the handlers (once per process).
absl::Status HandleSupervisorSignals();

// The fd that turns readable when a request is pending.
int SupervisorSignalFd();

// The oldest pending request (kStop or kReload), or kTimeout when none.
SupervisorEvent TakeSupervisorRequest();

// Queues a stop request, as if SIGTERM had come (one that aborted a setup).
void RequestSupervisorStop();

}  // namespace run_oci

#endif  // RUN_OCI_SUPERVISOR_SIGNALS_H_
