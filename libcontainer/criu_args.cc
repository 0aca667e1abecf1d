#include "libcontainer/criu_args.h"

#include <sys/mount.h>

#include <cstdint>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/mountinfo.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

absl::Status CheckCgroupsMode(const std::string& mode) {
  if (mode.empty() || mode == "soft" || mode == "full" || mode == "strict" ||
      mode == "ignore") {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--manage-cgroups-mode ", mode,
                   ": expected soft, full, strict or ignore"));
}

// What both directions pass alike. `restore`: external mounts name their
// host source (mnt[KEY]:ROOT) instead of being a cookie (mnt[KEY]:KEY).
absl::Status AppendCommon(const CriuCommonOptions& o, bool restore,
                          std::vector<std::string>* args) {
  RETURN_IF_ERROR(CheckCgroupsMode(o.manage_cgroups_mode));
  args->insert(args->end(), {"--images-dir", o.images_dir});
  if (!o.work_dir.empty())
    args->insert(args->end(), {"--work-dir", o.work_dir});
  // Logs in the work dir, verbose enough to debug a failure (runc: level 4).
  args->insert(args->end(),
               {"--log-file", restore ? "restore.log" : "dump.log", "-v4"});
  // CRIU records and restores the cgroups too (runc always asks for it).
  args->push_back(
      o.manage_cgroups_mode.empty()
          ? std::string("--manage-cgroups")
          : absl::StrCat("--manage-cgroups=", o.manage_cgroups_mode));
  for (auto [set, flag] : {std::pair{o.tcp_established, "--tcp-established"},
                           {o.ext_unix_sk, "--ext-unix-sk"},
                           {o.shell_job, "--shell-job"},
                           {o.file_locks, "--file-locks"},
                           {o.auto_dedup, "--auto-dedup"},
                           {o.lazy_pages, "--lazy-pages"}}) {
    if (set) args->push_back(flag);
  }
  for (const auto& [destination, source] : o.external_mounts) {
    args->insert(args->end(),
                 {"--external", absl::StrCat("mnt[", destination, "]:",
                                             restore ? source : destination)});
  }
  for (const std::string& path : o.masked_files) {
    args->insert(
        args->end(),
        {"--external",
         absl::StrCat("mnt[", path, "]:", restore ? "/dev/null" : path)});
  }
  return absl::OkStatus();
}

absl::Status AppendPageServer(const std::string& page_server,
                              std::vector<std::string>* args) {
  size_t colon = page_server.rfind(':');
  uint32_t port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(page_server.substr(colon + 1), &port) || port == 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--page-server ", page_server,
                     ": expected ADDRESS:PORT of the page server"));
  }
  args->insert(args->end(),
               {"--page-server", "--address", page_server.substr(0, colon),
                "--port", absl::StrCat(port)});
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> CriuDumpArgs(
    const std::string& criu, const CriuDumpOptions& o) {
  if (!o.parent_path.empty() && o.parent_path[0] == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("--parent-path ", o.parent_path,
                     ": must be relative to the image path"));
  }
  std::vector<std::string> args = {criu,     o.pre_dump ? "pre-dump" : "dump",
                                   "--tree", absl::StrCat(o.pid),
                                   "--root", o.root};
  RETURN_IF_ERROR(AppendCommon(o.common, /*restore=*/false, &args));
  // The cgroup freezer stops the whole tree at once, also what forks
  // meanwhile (runc passes its freezer cgroup too).
  if (!o.freezer_dir.empty()) {
    args.insert(args.end(), {"--freeze-cgroup", o.freezer_dir});
  }
  if (o.leave_running && !o.pre_dump) args.push_back("--leave-running");
  if (o.pre_dump || !o.parent_path.empty()) args.push_back("--track-mem");
  if (!o.parent_path.empty()) {
    args.insert(args.end(), {"--prev-images-dir", o.parent_path});
  }
  if (!o.page_server.empty()) {
    RETURN_IF_ERROR(AppendPageServer(o.page_server, &args));
  }
  if (o.status_fd >= 0) {
    args.insert(args.end(), {"--status-fd", absl::StrCat(o.status_fd)});
  }
  return args;
}

absl::StatusOr<std::vector<std::string>> CriuRestoreArgs(
    const std::string& criu, const CriuRestoreOptions& o) {
  std::vector<std::string> args = {criu, "restore", "--root", o.root};
  RETURN_IF_ERROR(AppendCommon(o.common, /*restore=*/true, &args));
  // criu exits once the tree runs; the init becomes a sibling of criu, so
  // our child, the way a created container's init is.
  args.insert(args.end(), {"--restore-detached", "--restore-sibling"});
  if (!o.pid_file.empty()) args.insert(args.end(), {"--pidfile", o.pid_file});
  if (!o.cgroup_root.empty()) {
    args.insert(args.end(), {"--cgroup-root", o.cgroup_root});
  }
  for (const std::string& ns : o.empty_ns) {
    args.insert(args.end(), {"--empty-ns", ns});
  }
  for (const auto& [fd, key] : o.inherit_fds) {
    args.insert(args.end(),
                {"--inherit-fd", absl::StrCat("fd[", fd, "]:", key)});
  }
  if (!o.lsm_profile.empty()) {
    args.insert(args.end(), {"--lsm-profile", o.lsm_profile});
  }
  if (!o.lsm_mount_context.empty()) {
    args.insert(args.end(), {"--lsm-mount-context", o.lsm_mount_context});
  }
  return args;
}

std::vector<std::pair<std::string, std::string>> CriuExternalMounts(
    const Config& config,
    const std::vector<std::pair<std::string, std::string>>& cgroup_binds) {
  std::vector<std::pair<std::string, std::string>> mounts;
  for (const Mount& mount : config.mounts) {
    if (mount.type == "cgroup") {
      for (const auto& [name, source] : cgroup_binds) {
        mounts.emplace_back(name.empty()
                                ? mount.destination
                                : absl::StrCat(mount.destination, "/", name),
                            source);
      }
    } else if ((mount.flags & MS_BIND) != 0) {
      mounts.emplace_back(mount.destination, mount.source);
    }
  }
  return mounts;
}

std::vector<std::string> CriuExternalMountPoints(absl::string_view mountinfo) {
  static const auto* own = new std::set<std::string>{
      "proc", "sysfs", "tmpfs", "devpts", "mqueue", "ramfs", "binfmt_misc"};
  std::vector<std::string> points;
  for (base::MountInfoEntry& mount : base::ParseMountInfo(mountinfo)) {
    if (mount.fs_type.empty()) continue;  // not a mountinfo line
    if (mount.mount_point == "/" || own->count(mount.fs_type) > 0) continue;
    points.push_back(std::move(mount.mount_point));
  }
  return points;
}

std::string CriuErrorReason(absl::string_view output) {
  absl::string_view last;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    // "(00.276915) Error (criu/vdso.c:381): vdso: ..." in a log file.
    size_t error = line.find("Error (");
    size_t close =
        error == absl::string_view::npos ? error : line.find("): ", error);
    // A helper's exit ("exited, status=1") is a consequence, not a cause.
    if (close != absl::string_view::npos &&
        !absl::StartsWith(line.substr(close + 3), "exited, status=")) {
      return std::string(line.substr(close + 3));
    }
    last = line;
  }
  return std::string(last);
}

}  // namespace libcontainer
