#include "run_oci/container_status.h"

#include "absl/strings/str_cat.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/container_errors.h"
#include "run_oci/hook_runner.h"
#include "run_oci/proc_stat.h"
#include "run_oci/recorded_cgroups.h"

namespace run_oci {

absl::string_view ContainerStatusName(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::kCreating:
      return "creating";
    case ContainerStatus::kCreated:
      return "created";
    case ContainerStatus::kRunning:
      return "running";
    case ContainerStatus::kPaused:
      return "paused";
    case ContainerStatus::kStopped:
      return "stopped";
  }
  return "stopped";
}

namespace {

// `paused` is asked only of a live process.
template <typename IsPausedFn>
ContainerStatus StatusOf(const StateDir& dir, const StateRecord& record,
                         IsPausedFn paused) {
  if (record.pid <= 0) return ContainerStatus::kCreating;
  if (!IsSameProcessAlive(record.pid, record.pid_start_time)) {
    return ContainerStatus::kStopped;
  }
  if (paused()) return ContainerStatus::kPaused;
  return dir.HasStartSocket() ? ContainerStatus::kCreated
                              : ContainerStatus::kRunning;
}

}  // namespace

ContainerStatus GetContainerStatus(const StateDir& dir,
                                   const StateRecord& record) {
  return StatusOf(dir, record, [&] { return IsPaused(record); });
}

ContainerStatus GetContainerStatus(
    const StateDir& dir, const StateRecord& record,
    const absl::StatusOr<RecordedCgroups>& cgroups) {
  return StatusOf(dir, record, [&] { return IsPaused(cgroups); });
}

absl::StatusOr<base::ScopedFd> OpenContainerProcess(const StateRecord& record) {
  absl::Status not_running = ContainerNotRunningError(record.id);
  if (record.pid <= 0) return not_running;
  absl::StatusOr<base::ScopedFd> pidfd = shim::PidfdOpen(record.pid);
  if (absl::IsNotFound(pidfd.status())) return not_running;
  if (!pidfd.ok()) return pidfd.status();
  // Checked after opening: from here on the pidfd pins this very process,
  // so a pid recycled before the open shows up as a start time mismatch.
  if (!IsSameProcessAlive(record.pid, record.pid_start_time)) {
    return not_running;
  }
  return pidfd;
}

OciState MakeOciState(const StateRecord& record, absl::string_view status) {
  OciState state;
  state.id = record.id;
  state.status = std::string(status);
  state.pid = status == "stopped" ? 0 : record.pid;
  state.bundle = record.bundle;
  state.created = record.created;
  // Exactly the config's: run_oci's own data (the rootfs path) is in the
  // record and the state directory's mountpoints/container-root link.
  state.annotations = record.annotations;
  return state;
}

std::string OciStateJson(const StateRecord& record,
                         libcontainer::HookStage stage) {
  return OciStateToJson(MakeOciState(record, HookStageStatus(stage)));
}

}  // namespace run_oci
