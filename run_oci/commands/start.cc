#include <optional>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/readiness.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/notify_socket.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/start_socket.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

// Chromium's start: create and start in one go, leave it running.
absl::StatusOr<int> CreateAndStart(const CommandLine& cl) {
  ASSIGN_OR_RETURN(SetUpContainer setup,
                   SetUpNewContainer(cl, /*wait_for_start=*/false));
  absl::Status poststart =
      RunStageHooks(MakeHookRunner(), setup.config, setup.record,
                    HookStage::kPoststart, setup.container->pid());
  // The service lives as long as the container's init: it is MAINPID.
  if (poststart.ok()) {
    poststart = AnnounceReady(cl, setup, setup.container->pid());
  }
  if (!poststart.ok()) {
    absl::Status torn_down = TearDown(setup);
    if (!torn_down.ok()) LogError(torn_down.message());
    return poststart;
  }
  return 0;
}

// OCI start of a container in `created` state.
absl::StatusOr<int> StartCreated(const CommandLine& cl,
                                 ExistingContainer existing) {
  const StateRecord& record = existing.record;
  // Chromium's start means "make it run": for an id that exists in any
  // other state (being created by a concurrent start, running, stopped)
  // the answer is the same.
  if (GetContainerStatus(existing.dir, record) != ContainerStatus::kCreated) {
    return ContainerExistsError(cl.id);
  }
  libcontainer::Config config = RecordedConfig(record);
  // Refused before anything runs: the container stays created.
  RETURN_IF_ERROR(RequireProcessToStart(config));
  // Create bound <dir>/notify into the container when it notifies itself;
  // the socket there is bound now, before its program can send.
  std::optional<ContainerNotifySocket> notify;
  base::ScopedFd init_pidfd;
  if (!HostNotifySocket().empty() &&
      ContainerNotifySocket::WasAddedAtCreate(existing.dir.path())) {
    ASSIGN_OR_RETURN(ContainerNotifySocket bound,
                     ContainerNotifySocket::Bind(existing.dir.path()));
    notify.emplace(std::move(bound));
    // While it still waits: once started it may exit and be reaped by
    // whoever adopted it before we could name it.
    ASSIGN_OR_RETURN(init_pidfd, shim::PidfdOpen(record.pid));
  }
  // The waiting process runs the startContainer hooks itself, then its
  // program; a failure of either comes back here, after which the process
  // has exited. OCI: a failed startContainer hook stops the container and
  // the lifecycle goes on with its destruction.
  absl::Status started = ReleaseStartSocket(
      existing.dir, config.argv.empty() ? std::string() : config.argv[0]);
  if (started.ok()) {
    started = RunStageHooks(MakeHookRunner(), config, record,
                            HookStage::kPoststart, record.pid);
  }
  if (!started.ok()) {
    absl::Status torn_down = TearDownDetached(existing.dir, record);
    if (!torn_down.ok()) LogError(torn_down.message());
    return started;
  }
  LogInfo(absl::StrCat("container ", cl.id, " started"));
  if (notify.has_value()) {
    // It is running: a silent one is left so, for `delete --force`, as
    // runc leaves it; the caller sees the failure and decides.
    RETURN_IF_ERROR(notify->WaitForReady(
        cl.id, init_pidfd.get(), absl::Seconds(cl.ready_timeout_seconds)));
  }
  absl::Status ready = NotifyReady(record.pid);
  if (!ready.ok()) LogWarning(ready.message());
  return 0;
}

}  // namespace

absl::StatusOr<int> StartContainer(const CommandLine& cl) {
  absl::StatusOr<ExistingContainer> existing =
      OpenExistingContainer(cl, /*lock=*/true);
  if (absl::IsNotFound(existing.status())) return CreateAndStart(cl);
  if (absl::IsFailedPrecondition(existing.status())) {
    // No tag yet: a concurrent start or create has just made the directory.
    return ContainerExistsError(cl.id);
  }
  if (!existing.ok()) return existing.status();
  return StartCreated(cl, *std::move(existing));
}

}  // namespace run_oci
