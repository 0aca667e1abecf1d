// What SIGTERM, SIGINT, SIGHUP and SIGQUIT do to a run_oci that is making a
// container (create, run, start of a new id). Before the container's
// program runs, a termination request aborts the setup: the hook running
// then is SIGKILLed, the setup fails and undoes what it did, and run_oci
// exits with one line saying why (issue 9: a deferred SIGTERM left a
// supervisor waiting on a setup stuck in a hook). Once the program runs
// (run, start), requests go to it instead, like a shell passes them to its
// job. The setup's last look is at the end of the prechroot hook stage; a
// request after it (the child's final steps, its execve) is kept for the
// program and sent as soon as it runs.
//
// Handlers, unlike ignored or blocked signals, do not survive execve, so
// the container's program starts with default dispositions; a process
// cloned from run_oci that gets one of these signals before its execve
// takes the default action, as it would without the handlers.
#ifndef RUN_OCI_TERMINATION_SIGNALS_H_
#define RUN_OCI_TERMINATION_SIGNALS_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"

namespace run_oci {

// Installs the handlers; signals this process inherited as ignored (nohup,
// a background job's SIGINT) stay ignored.
void HandleTerminationDuringSetup();

// The first termination signal since HandleTerminationDuringSetup, or 0.
int SetupAbortSignal();

// CancelledError "container <id>: setup interrupted by SIGTERM" when a
// termination signal came, else OK.
absl::Status CheckSetupNotAborted(const std::string& id);

// The hook that runs now: a termination signal SIGKILLs it. `pidfd` is
// duplicated, so the signal can never reach a process that reused its pid.
void WatchHook(int pidfd);
void UnwatchHook();

// From now on a termination signal goes to `pid` (our unreaped child, the
// container's init); one that came before is sent now.
void ForwardTerminationTo(pid_t pid);

// The dispositions from before HandleTerminationDuringSetup. Returns the
// termination signal still pending (0 if none): one that came after the
// setup, when the requests are left to a supervisor.
int RestoreTerminationHandling();

// For a supervising run_oci (`run --respawn`, supervisor_signals.h): from
// now on ForwardTerminationTo forwards nothing, a request after the setup
// stays pending for RestoreTerminationHandling to return, and SIGHUP is no
// termination request (it stays the supervisor's reload).
void LeaveTerminationRequestsToSupervisor();

}  // namespace run_oci

#endif  // RUN_OCI_TERMINATION_SIGNALS_H_
