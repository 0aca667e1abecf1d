// The loop of `run --respawn`: start the container, wait for its exit or a
// request, free it, decide with RespawnPolicy, wait DELAY, start it again.
// A stop request (SIGTERM, SIGINT, SIGQUIT to run_oci, or `run_oci kill`)
// ends it: SIGTERM to the container, SIGKILL after the stop timeout (procd's
// term_timeout), everything freed, exit 0. A reload request (SIGHUP) is
// passed on to the container's init. What the loop drives is an interface
// so that its rules are tested with a fake clock and container.
#ifndef RUN_OCI_SUPERVISOR_H_
#define RUN_OCI_SUPERVISOR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "run_oci/respawn_policy.h"

namespace run_oci {

enum class SupervisorEvent {
  kExited,   // the running container's init exited (not yet reaped)
  kStop,     // a stop request
  kReload,   // a reload request
  kTimeout,  // the deadline passed
};

class SupervisedContainer {
 public:
  virtual ~SupervisedContainer() = default;
  virtual absl::Time Now() = 0;
  // Creates and starts the container, through its poststart hooks.
  // CancelledError when a stop request came meanwhile (nothing is left).
  virtual absl::Status Start() = 0;
  // The next event; kExited only while a started container runs.
  virtual SupervisorEvent Wait(absl::Time deadline) = 0;
  // To the running container's init.
  virtual void Signal(int signal) = 0;
  // After kExited: reaps the init, runs the poststop hooks, frees
  // everything. The init's exit status (128+N when killed by signal N).
  virtual int Finish() = 0;
  // Called before each start after the first; `restarts` so far.
  virtual void Restarting(int restarts) = 0;
};

// 0 after a stop request; the start's error when the first start fails;
// FailedPrecondition with RespawnPolicy::GiveUpMessage when the crash loop
// ends. A later start that fails counts as a crash.
absl::StatusOr<int> Supervise(SupervisedContainer& container,
                              const std::string& id,
                              const RespawnParams& params,
                              absl::Duration stop_timeout);

}  // namespace run_oci

#endif  // RUN_OCI_SUPERVISOR_H_
