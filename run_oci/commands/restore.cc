// `restore <id>`: a new container <id> from the bundle's config.json and
// the CRIU images of a checkpoint, the way runc restores: a state
// directory and cgroups as create makes them, the rootfs bound where CRIU
// can use it as the root, `criu restore` detached with the init a sibling
// of criu (so our child), then the record. `criu check` comes first; on a
// host where CRIU cannot work nothing is created. Without --detach it waits
// for the restored init and deletes the container, as runc's foreground
// restore does.
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libcontainer/cgroups.h"
#include "libcontainer/criu.h"
#include "libcontainer/criu_args.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/commands/criu_flags.h"
#include "run_oci/container_errors.h"
#include "run_oci/criu_images.h"
#include "run_oci/logging.h"
#include "run_oci/mount_cleanup.h"
#include "run_oci/parser/resources_json.h"
#include "run_oci/state_dir.h"

namespace run_oci {
namespace {

constexpr char kCriuRoot[] = "criu-root";
constexpr char kRestorePid[] = "restore.pid";

// The restored tree's stdio: a pipe the checkpointed init had on fd N is
// handed over as our own fd N (runc hands over its own pipes the same way).
std::vector<std::pair<int, std::string>> InheritedPipes(
    const std::vector<std::string>& descriptors) {
  std::vector<std::pair<int, std::string>> fds;
  for (size_t fd = 0; fd < descriptors.size() && fd < 3; ++fd) {
    if (absl::StartsWith(descriptors[fd], "pipe:")) {
      fds.emplace_back(static_cast<int>(fd), descriptors[fd]);
    }
  }
  return fds;
}

absl::StatusOr<pid_t> ReadPid(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, base::ReadWholeFile(path));
  pid_t pid = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &pid) || pid <= 0) {
    return absl::InternalError(absl::StrCat(path, ": not a pid"));
  }
  return pid;
}

// Everything of one restore that a failure must undo.
struct Restoring {
  std::optional<StateDir> dir;
  std::optional<libcontainer::Cgroups> cgroups;
  std::string criu_root;  // mounted while set
};

void Undo(Restoring& r) {
  if (!r.criu_root.empty()) umount2(r.criu_root.c_str(), MNT_DETACH);
  if (r.cgroups) {
    (void)r.cgroups->KillAll();
    (void)r.cgroups->Remove();
  }
  if (r.dir) (void)r.dir->Remove();
}

// The record as create writes it, from the bundle's config.json.
absl::StatusOr<StateRecord> NewRecord(const CommandLine& cl,
                                      libcontainer::Config* config) {
  StateRecord record;
  record.id = cl.id;
  ASSIGN_OR_RETURN(record.bundle, AbsoluteBundle(cl.bundle));
  record.cgroup_parent = cl.cgroup_parent;
  ASSIGN_OR_RETURN(*config,
                   LoadContainerConfig(cl, record.bundle, &record.annotations));
  RecordConfig(*config, record);
  return record;
}

// What CRIU must be told about the mounts, keyed as checkpoint named them
// (by mount point): binds by their host source, masked files by the host's
// /dev/null.
void ExternalMounts(const libcontainer::Config& config,
                    libcontainer::CriuCommonOptions* options) {
  options->external_mounts = libcontainer::CriuExternalMounts(config, {});
  for (const std::string& path : config.masked_paths) {
    struct stat st;
    std::string in_rootfs = absl::StrCat(config.rootfs, path);
    if (stat(in_rootfs.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      options->masked_files.push_back(path);
    }
  }
}

// The checkpoint's record of the init's stdio (CRIU's descriptors.json).
absl::StatusOr<std::vector<std::string>> CheckpointDescriptors(
    const CriuImageDirs& dirs) {
  std::string path = absl::StrCat(dirs.images_dir, "/", kCriuDescriptorsFile);
  ASSIGN_OR_RETURN(
      std::string text,
      base::ReadRegularFile(path, base::ReadOptions{64 * 1024, true}));
  return ParseCriuDescriptorsJson(text, path);
}

// The container's cgroups, made as create makes them; returns their path
// relative to each hierarchy.
absl::StatusOr<std::string> CreateCgroups(const CommandLine& cl,
                                          const libcontainer::Config& config,
                                          StateRecord& record, Restoring& r) {
  ASSIGN_OR_RETURN(libcontainer::CgroupHierarchies hierarchies,
                   libcontainer::DiscoverCgroupHierarchies());
  ASSIGN_OR_RETURN(std::string relative,
                   libcontainer::CgroupRelativePath(config.cgroups_path,
                                                    cl.cgroup_parent, cl.id));
  libcontainer::CgroupCreateOptions cgroup_options;
  cgroup_options.tag = CgroupTag(record);
  ASSIGN_OR_RETURN(
      libcontainer::Cgroups cgroups,
      libcontainer::Cgroups::Create(hierarchies, relative, config.resources,
                                    std::nullopt, cgroup_options));
  r.cgroups.emplace(std::move(cgroups));
  record.created_cgroup_parents = r.cgroups->CreatedParents();
  record.created_cgroup_leaves = r.cgroups->CreatedLeaves();
  return relative;
}

// `criu restore` as `options` says; the reason from its log on failure.
absl::Status RunCriuRestore(const std::string& criu,
                            const libcontainer::CriuRestoreOptions& options) {
  ASSIGN_OR_RETURN(std::vector<std::string> args,
                   libcontainer::CriuRestoreArgs(criu, options));
  ASSIGN_OR_RETURN(libcontainer::CriuRun run,
                   libcontainer::RunCriu(args, /*pass_stdio=*/true));
  if (run.exit_status == 0) return absl::OkStatus();
  absl::StatusOr<std::string> log = base::ReadWholeFile(
      absl::StrCat(options.common.work_dir, "/restore.log"));
  std::string reason =
      log.ok() ? libcontainer::CriuErrorReason(*log) : std::string();
  return absl::InternalError(
      absl::StrCat("criu restore failed (exit status ", run.exit_status,
                   "): ", reason.empty() ? "no reason given" : reason));
}

absl::Status Restore(const CommandLine& cl, const std::string& criu,
                     libcontainer::CriuRestoreOptions options,
                     StateRecord& record, Restoring& r) {
  libcontainer::Config config;
  ASSIGN_OR_RETURN(record, NewRecord(cl, &config));
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) {
    return absl::InternalError(absl::StrCat("getcwd: ", strerror(errno)));
  }
  CriuImageDirs dirs = CriuImageDirsFor(GivenFlag(cl, "image_path"),
                                        GivenFlag(cl, "work_path"), cwd);
  ASSIGN_OR_RETURN(std::vector<std::string> descriptors,
                   CheckpointDescriptors(dirs));

  base::ScopedFd lock;
  ASSIGN_OR_RETURN(StateDir dir,
                   StateDir::Create(cl.root, cl.id, record, &lock));
  r.dir.emplace(dir);
  RETURN_IF_ERROR(
      dir.Symlink(record.bundle + "/config.json", StateDir::kConfigLink));
  RETURN_IF_ERROR(dir.Symlink(record.rootfs, StateDir::kContainerRootLink));
  ASSIGN_OR_RETURN(std::string relative, CreateCgroups(cl, config, record, r));

  std::string criu_root = dir.File(kCriuRoot);
  if (mkdir(criu_root.c_str(), 0755) != 0) {
    return absl::InternalError(
        absl::StrCat("mkdir ", criu_root, ": ", strerror(errno)));
  }
  RETURN_IF_ERROR(libcontainer::BindRootForCriu(config.rootfs, criu_root));
  r.criu_root = criu_root;

  options.common.images_dir = dirs.images_dir;
  options.common.work_dir = dirs.work_dir;
  ExternalMounts(config, &options.common);
  options.root = criu_root;
  options.pid_file = dir.File(kRestorePid);
  options.cgroup_root = absl::StrCat("/", relative);
  options.inherit_fds = InheritedPipes(descriptors);
  RETURN_IF_ERROR(RunCriuRestore(criu, options));
  umount2(criu_root.c_str(), MNT_DETACH);
  r.criu_root.clear();
  rmdir(criu_root.c_str());

  ASSIGN_OR_RETURN(pid_t pid, ReadPid(options.pid_file));
  unlink(options.pid_file.c_str());
  return RecordProcess(dir, record, pid, cl.pid_file);
}

}  // namespace

absl::StatusOr<int> RestoreContainer(const CommandLine& cl) {
  ASSIGN_OR_RETURN(libcontainer::CriuRestoreOptions options,
                   CriuRestoreFlags(cl));
  absl::StatusOr<StateDir> taken = StateDir::Open(cl.root, cl.id);
  if (taken.ok() || absl::IsFailedPrecondition(taken.status())) {
    return ContainerExistsError(cl.id);
  }
  ASSIGN_OR_RETURN(std::string criu,
                   UsableCriu(cl.id, "not restored, nothing created"));
  Restoring restoring;
  StateRecord record;
  absl::Status restored = Restore(cl, criu, options, record, restoring);
  if (!restored.ok()) {
    Undo(restoring);
    return restored;
  }
  LogInfo(absl::StrCat("container ", cl.id, " restored, pid ", record.pid));
  if (GivenBoolFlag(cl, "detach")) return 0;
  // Foreground: the restored init is our child (a sibling of criu).
  int status = 0;
  while (waitpid(record.pid, &status, 0) < 0 && errno == EINTR) {
  }
  CommandLine destroy = cl;
  destroy.force = true;
  RETURN_IF_ERROR(DestroyContainer(destroy).status());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace run_oci
