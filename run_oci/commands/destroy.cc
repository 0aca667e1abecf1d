#include <poll.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/pidfd.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
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
  absl::StatusOr<shim::ScopedFd> pidfd = OpenContainerProcess(record);
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
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/true));
  const StateRecord& record = existing.record;
  ContainerStatus status = GetContainerStatus(existing.dir, record);
  if ((status == ContainerStatus::kRunning ||
       status == ContainerStatus::kPaused) &&
      !cl.force) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", cl.id, " is still running"));
  }
  // kCreating needs no --force: every create holds the lock until the pid
  // is recorded, so one seen under the lock is a create that died halfway,
  // whose cgroups and directory are left for us.
  if (status == ContainerStatus::kCreating) {
    LogWarning(absl::StrCat("container ", cl.id,
                            ": its create did not finish; cleaning up"));
  }
  // A created container never ran the user's program: deleting it kills
  // the waiting process, as runc does.
  RETURN_IF_ERROR(KillAndWait(record));

  // Without a loadable config (bundle gone) the teardown still works from
  // the record; only the poststop hooks are lost, and that is logged.
  absl::StatusOr<libcontainer::Config> config = LoadContainerConfig(record, {});
  if (config.ok()) {
    absl::Status hooks = RunStageHooks(MakeHookRunner(), *config, record,
                                       HookStage::kPoststop, 0);
    if (!hooks.ok()) LogError(hooks.message());
  } else {
    LogError(absl::StrCat("container ", cl.id, ": poststop hooks not run: ",
                          config.status().message()));
  }
  RETURN_IF_ERROR(
      TearDownDetached(existing.dir, record, config.ok() ? &*config : nullptr));
  LogInfo(absl::StrCat("container ", cl.id, " destroyed"));
  return 0;
}

}  // namespace run_oci
