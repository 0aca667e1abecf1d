#include <poll.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/supervised_stop.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/recorded_cgroups.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

constexpr int kKillWaitMs = 10000;

// SIGKILL and wait until the process has exited (a pidfd turns readable
// then, even though another process will reap it).
absl::Status KillAndWait(const StateRecord& record) {
  absl::StatusOr<base::ScopedFd> pidfd = OpenContainerProcess(record);
  if (!pidfd.ok()) return absl::OkStatus();  // already gone
  absl::Status sent = shim::PidfdSendSignal(pidfd->get(), SIGKILL);
  if (absl::IsNotFound(sent)) return absl::OkStatus();
  RETURN_IF_ERROR(sent);
  RETURN_IF_ERROR(ThawIfPausedAfterKill(record));
  struct pollfd pfd = {pidfd->get(), POLLIN, 0};
  if (poll(&pfd, 1, kKillWaitMs) != 1) {
    return absl::DeadlineExceededError(
        absl::StrCat("container ", record.id, ": process ", record.pid,
                     " did not exit after SIGKILL"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> DestroyContainer(const CommandLine& cl) {
  // A supervised container goes with its supervisor, which frees it; one
  // whose supervisor died has no owner left, so it is killed like --force.
  ASSIGN_OR_RETURN(SupervisorStopped supervisor, StopSupervisorAndWait(cl));
  const bool force =
      cl.force || supervisor.was_supervised || supervisor.orphaned;
  absl::StatusOr<ExistingContainer> opened =
      OpenExistingContainer(cl, /*lock=*/true);
  if (supervisor.was_supervised && absl::IsNotFound(opened.status())) {
    LogInfo(absl::StrCat("container ", cl.id, " destroyed by its supervisor"));
    return 0;
  }
  if (force) {
    // A create SIGKILLed before its directory appeared leaves only its
    // temporary (StateDir::Create); one whose creator is dead is ours.
    ASSIGN_OR_RETURN(int removed,
                     StateDir::RemoveDeadTemporaries(cl.root, cl.id));
    if (removed > 0) {
      LogWarning(absl::StrCat("container ", cl.id, ": removed ", removed,
                              " directory(ies) of a create that died"));
      if (absl::IsNotFound(opened.status())) return 0;
    }
  }
  if (!opened.ok()) return opened.status();
  ExistingContainer& existing = *opened;
  const StateRecord& record = existing.record;
  ContainerStatus status = GetContainerStatus(existing.dir, record);
  if ((status == ContainerStatus::kRunning ||
       status == ContainerStatus::kPaused) &&
      !force) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", cl.id, " is still running"));
  }
  // kCreating needs no --force: every create holds the lock until the pid
  // is recorded, so one seen under the lock is a create that died halfway,
  // whose cgroups (those its first record names) and directory are left
  // for us.
  if (status == ContainerStatus::kCreating) {
    LogWarning(absl::StrCat("container ", cl.id,
                            ": its create did not finish; cleaning up"));
  }
  // A created container never ran the user's program: deleting it kills
  // the waiting process, as runc does.
  RETURN_IF_ERROR(KillAndWait(record));

  // The hooks are the record's: config.json is not read after create.
  libcontainer::Config config = RecordedConfig(record);
  RETURN_IF_ERROR(
      RunStageHooks(MakeHookRunner(), config, record, HookStage::kPoststop, 0));
  RETURN_IF_ERROR(TearDownDetached(existing.dir, record));
  LogInfo(absl::StrCat("container ", cl.id, " destroyed"));
  return 0;
}

}  // namespace run_oci
