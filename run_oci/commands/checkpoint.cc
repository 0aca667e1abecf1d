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
#include "minijail-shim/status_macros.h"
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

// The container's own cgroup directories as run_oci binds them below a
// "cgroup" mount (shim/cgroup_mount.h): one per v1 hierarchy, named after
// its mount point; on a cgroup2-only host the mount is the cgroup2 one.
std::vector<std::pair<std::string, std::string>> CgroupBinds(
    const RecordedCgroups& recorded) {
  std::vector<std::pair<std::string, std::string>> binds;
  if (recorded.hierarchies.unified_only()) {
    binds.emplace_back("", recorded.cgroups.unified_dir());
    return binds;
  }
  std::set<std::string> seen;
  for (const auto& [controller, mount] : recorded.hierarchies.v1) {
    if (!seen.insert(mount).second) continue;
    std::string name = mount.substr(mount.rfind('/') + 1);
    binds.emplace_back(name, recorded.cgroups.V1Dir(controller));
  }
  return binds;
}

// runc's rule: masked paths that are files (bound over with /dev/null),
// seen from inside the container.
std::vector<std::string> MaskedFiles(const libcontainer::Config& config,
                                     pid_t pid) {
  std::vector<std::string> files;
  for (const std::string& path : config.masked_paths) {
    struct stat st;
    std::string inside = absl::StrCat("/proc/", pid, "/root", path);
    if (stat(inside.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      files.push_back(path);
    }
  }
  return files;
}

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
  ASSIGN_OR_RETURN(libcontainer::Config config,
                   LoadContainerConfig(record, {}));
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
  RETURN_IF_ERROR(WriteFileAtomically(
      absl::StrCat(dirs.images_dir, "/", kCriuDescriptorsFile),
      CriuDescriptorsJson(stdio)));

  libcontainer::CriuDumpOptions options = flags;
  options.common.images_dir = dirs.images_dir;
  options.common.work_dir = dirs.work_dir;
  options.common.external_mounts =
      libcontainer::CriuExternalMounts(config, CgroupBinds(recorded));
  options.common.masked_files = MaskedFiles(config, record.pid);
  options.pid = record.pid;
  options.root = record.rootfs;
  options.freezer_dir = libcontainer::ContainerFreezer(recorded.cgroups).dir;
  ASSIGN_OR_RETURN(std::vector<std::string> args,
                   libcontainer::CriuDumpArgs(criu, options));
  ASSIGN_OR_RETURN(libcontainer::CriuRun run, libcontainer::RunCriu(args));
  if (run.exit_status != 0) {
    std::string log = absl::StrCat(dirs.work_dir, "/dump.log");
    absl::StatusOr<std::string> text = ReadWholeFile(log);
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
  ASSIGN_OR_RETURN(std::string criu, libcontainer::FindCriu());
  absl::Status usable = libcontainer::CheckCriu(criu);
  if (!usable.ok()) {
    return absl::Status(usable.code(),
                        absl::StrCat(usable.message(), "; container ", cl.id,
                                     " left running, nothing written"));
  }
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
