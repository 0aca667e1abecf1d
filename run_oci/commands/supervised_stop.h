// What kill and destroy do first when the id is a supervised container's
// (`run --respawn`, supervisor_record.h): the container's lifetime is its
// supervisor's, so ending it means asking the supervisor to stop (it then
// sends SIGTERM, SIGKILL after its stop timeout, and frees everything);
// signalling the container alone would only make it respawn.
#ifndef RUN_OCI_COMMANDS_SUPERVISED_STOP_H_
#define RUN_OCI_COMMANDS_SUPERVISED_STOP_H_

#include "absl/status/statusor.h"
#include "run_oci/cli.h"

namespace run_oci {

// The signals kill treats as a stop request for a supervised container:
// those that end a process by default and that engines and init systems
// stop with (TERM, INT, QUIT, KILL).
bool IsStopSignal(int signal);

// kill: when a live supervisor holds cl.id and `signal` is a stop signal,
// sends the supervisor its stop request. True when cl.id is supervised.
absl::StatusOr<bool> AskSupervisorToStop(const CommandLine& cl, int signal);

struct SupervisorStopped {
  bool was_supervised = false;  // a live supervisor was stopped
  bool orphaned = false;  // its supervisor had died (kill -9): no one owns it
};

// destroy: stops a live supervisor and waits until it has exited (its
// stop timeout plus a margin); removes the file a dead one left.
absl::StatusOr<SupervisorStopped> StopSupervisorAndWait(const CommandLine& cl);

}  // namespace run_oci

#endif  // RUN_OCI_COMMANDS_SUPERVISED_STOP_H_
