// What state an existing container is in, from its state directory and the
// process table: the one place that defines created / running / stopped.
#ifndef RUN_OCI_CONTAINER_STATUS_H_
#define RUN_OCI_CONTAINER_STATUS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/config.h"
#include "minijail-shim/base/scoped_fd.h"
#include "run_oci/recorded_cgroups.h"
#include "run_oci/state_dir.h"
#include "run_oci/state_json.h"

namespace run_oci {

enum class ContainerStatus { kCreating, kCreated, kRunning, kPaused, kStopped };

absl::string_view ContainerStatusName(ContainerStatus status);

// creating: no pid recorded yet; created: process alive and the start
// socket exists; running: alive, no fifo; paused: created or running, and
// its cgroups frozen by pause (runtime-spec's state lists creating, created,
// running and stopped and lets a runtime add states of its own; runc
// reports "paused" and engines read it); stopped: gone, a zombie, or its pid
// now names another process (different start time).
ContainerStatus GetContainerStatus(const StateDir& dir,
                                   const StateRecord& record);
// The same with the record's cgroups already opened (OpenRecordedCgroups's
// result, used to tell paused).
ContainerStatus GetContainerStatus(
    const StateDir& dir, const StateRecord& record,
    const absl::StatusOr<RecordedCgroups>& cgroups);

// A pidfd on the container's process, after checking that the pid still
// names the process recorded at create. ContainerNotRunningError
// otherwise.
absl::StatusOr<base::ScopedFd> OpenContainerProcess(const StateRecord& record);

// The OCI state of a container as `state` prints it and hooks read it.
OciState MakeOciState(const StateRecord& record, absl::string_view status);
std::string OciStateJson(const StateRecord& record,
                         libcontainer::HookStage stage);

}  // namespace run_oci

#endif  // RUN_OCI_CONTAINER_STATUS_H_
