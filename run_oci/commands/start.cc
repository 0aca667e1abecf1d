#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/oci_convert.h"

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
  if (!poststart.ok()) {
    absl::Status torn_down = TearDown(setup);
    if (!torn_down.ok()) LogError(torn_down.message());
    return poststart;
  }
  return 0;
}

// Lets the process blocked in the exec fifo go on to execve.
absl::Status ReleaseExecFifo(const StateDir& dir) {
  std::string path = dir.File(StateDir::kExecFifo);
  // O_NONBLOCK: with no reader left (the process died) open fails with
  // ENXIO instead of hanging.
  shim::ScopedFd fd(open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    return absl::InternalError(
        absl::StrCat("open ", path, ": ", strerror(errno)));
  }
  if (write(fd.get(), "0", 1) != 1) {
    return absl::InternalError(
        absl::StrCat("write ", path, ": ", strerror(errno)));
  }
  if (unlink(path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("unlink ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
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
  ASSIGN_OR_RETURN(libcontainer::Config config,
                   LoadContainerConfig(record, {}));
  // Refused before anything runs: the container stays created.
  RETURN_IF_ERROR(RequireProcessToStart(config));
  HookRunner hooks = MakeHookRunner();
  absl::Status started = RunStageHooks(hooks, config, record,
                                       HookStage::kStartContainer, record.pid);
  if (started.ok()) started = ReleaseExecFifo(existing.dir);
  if (started.ok()) {
    started =
        RunStageHooks(hooks, config, record, HookStage::kPoststart, record.pid);
  }
  if (!started.ok()) {
    absl::Status torn_down = TearDownDetached(existing.dir, record, &config);
    if (!torn_down.ok()) LogError(torn_down.message());
    return started;
  }
  LogInfo(absl::StrCat("container ", cl.id, " started"));
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
