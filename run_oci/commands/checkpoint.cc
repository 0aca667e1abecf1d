// `checkpoint <id>`: the container's process tree to CRIU images, the way
// runc asks CRIU for it (libcontainer/criu_args.h). `criu check` comes
// first: on a host where CRIU cannot work (Debian's criu 3.17 on kernel
// 6.18 fails its own check), the command fails with CRIU's reason before
// anything is written, and the container runs on.
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/criu.h"
#include "libcontainer/criu_args.h"
#include "libcontainer/freezer.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/criu_flags.h"
#include "run_oci/container_status.h"
#include "run_oci/criu_images.h"
#include "run_oci/logging.h"
#include "run_oci/mount_cleanup.h"
#include "run_oci/recorded_cgroups.h"
#include "run_oci/state_dir.h"

namespace run_oci {
namespace {

absl::StatusOr<std::string> WorkingDirectory() {
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) {
    return absl::InternalError(absl::StrCat("getcwd: ", strerror(errno)));
  }
  return std::string(cwd);
}

absl::Status Dump(const CommandLine& cl, const ExistingContainer& existing,
                  const std::string& criu,
                  const libcontainer::CriuDumpOptions& flags) {
  const StateRecord& record = existing.record;
  // The mounts as the container has them now (hooks may have added some;
  // config.json is not read after create).
  ASSIGN_OR_RETURN(
      std::string mountinfo,
      base::ReadWholeFile(absl::StrCat("/proc/", record.pid, "/mountinfo")));
  ASSIGN_OR_RETURN(RecordedCgroups recorded, OpenRecordedCgroups(record));
  ASSIGN_OR_RETURN(std::string cwd, WorkingDirectory());
  CriuImageDirs dirs = CriuImageDirsFor(GivenFlag(cl, "image_path"),
                                        GivenFlag(cl, "work_path"), cwd);
  ASSIGN_OR_RETURN(std::vector<std::string> made, MakeCriuImageDirs(dirs));
  // A failed dump leaves nothing behind; its reason is in the error.
  bool dumped = false;
  absl::Cleanup remove_made = [&] {
    if (dumped) return;
    for (auto it = made.rbegin(); it != made.rend(); ++it) {
      (void)RemoveDirTree(*it);
    }
  };
  ASSIGN_OR_RETURN(std::vector<std::string> stdio, StdioTargets(record.pid));
  RETURN_IF_ERROR(base::WriteFileAtomically(
      absl::StrCat(dirs.images_dir, "/", kCriuDescriptorsFile),
      CriuDescriptorsJson(stdio)));

  libcontainer::CriuDumpOptions options = flags;
  options.common.images_dir = dirs.images_dir;
  options.common.work_dir = dirs.work_dir;
  for (const std::string& point :
       libcontainer::CriuExternalMountPoints(mountinfo)) {
    options.common.external_mounts.emplace_back(point, point);
  }
  options.pid = record.pid;
  options.root = record.rootfs;
  options.freezer_dir = libcontainer::ContainerFreezer(recorded.cgroups).dir;
  ASSIGN_OR_RETURN(std::vector<std::string> args,
                   libcontainer::CriuDumpArgs(criu, options));
  ASSIGN_OR_RETURN(libcontainer::CriuRun run, libcontainer::RunCriu(args));
  if (run.exit_status != 0) {
    std::string log = absl::StrCat(dirs.work_dir, "/dump.log");
    absl::StatusOr<std::string> text = base::ReadWholeFile(log);
    std::string reason = libcontainer::CriuErrorReason(
        text.ok() && !text->empty() ? *text : run.output);
    return absl::InternalError(
        absl::StrCat("criu ", options.pre_dump ? "pre-dump" : "dump",
                     " failed (exit status ", run.exit_status,
                     "): ", reason.empty() ? "no reason given" : reason));
  }
  dumped = true;
  LogInfo(
      absl::StrCat("container ", cl.id, " checkpointed to ", dirs.images_dir));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> CheckpointContainer(const CommandLine& cl) {
  ASSIGN_OR_RETURN(libcontainer::CriuDumpOptions flags, CriuDumpFlags(cl));
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/true));
  ContainerStatus status = GetContainerStatus(existing.dir, existing.record);
  if (status != ContainerStatus::kRunning &&
      status != ContainerStatus::kPaused) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", cl.id, " cannot be checkpointed in ",
                     ContainerStatusName(status), " state"));
  }
  ASSIGN_OR_RETURN(std::string criu,
                   UsableCriu(cl.id, "left running, nothing written"));
  RETURN_IF_ERROR(Dump(cl, existing, criu, flags));
  if (flags.leave_running || flags.pre_dump) return 0;
  // CRIU killed the tree after dumping it; what is left is deleted, as
  // runc deletes it.
  existing.lock.reset();
  CommandLine destroy = cl;
  destroy.force = true;
  ASSIGN_OR_RETURN(int destroyed, DestroyContainer(destroy));
  return destroyed;
}

}  // namespace run_oci
