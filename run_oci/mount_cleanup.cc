#include "run_oci/mount_cleanup.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/mountinfo.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"

namespace run_oci {
namespace {

using base::ErrnoStatus;

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseMountPoints(
    absl::string_view mountinfo) {
  size_t malformed = 0;
  std::vector<base::MountInfoEntry> mounts =
      base::ParseMountInfo(mountinfo, &malformed);
  if (malformed != 0) {
    std::vector<absl::string_view> lines = absl::StrSplit(mountinfo, '\n');
    return absl::InvalidArgumentError(absl::StrCat(
        "mountinfo line ", malformed, ": malformed: ", lines[malformed - 1]));
  }
  std::vector<std::string> points;
  points.reserve(mounts.size());
  for (base::MountInfoEntry& mount : mounts) {
    points.push_back(std::move(mount.mount_point));
  }
  return points;
}

bool IsPathUnder(absl::string_view path, absl::string_view dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (path.substr(0, dir.size()) != dir) return false;
  if (path.size() == dir.size()) return true;
  return dir == "/" || path[dir.size()] == '/';
}

std::vector<std::string> PlanUnmounts(std::vector<std::string> mount_points,
                                      absl::string_view dir) {
  std::vector<std::string> plan;
  for (std::string& point : mount_points) {
    if (IsPathUnder(point, dir)) plan.push_back(std::move(point));
  }
  // Reverse lexicographic order puts "/s/a/b" before "/s/a": children first.
  std::sort(plan.begin(), plan.end(), std::greater<std::string>());
  return plan;
}

absl::Status UnmountAllUnder(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string text,
                   base::ReadWholeFile("/proc/self/mountinfo"));
  absl::StatusOr<std::vector<std::string>> points = ParseMountPoints(text);
  if (!points.ok()) return points.status();
  absl::Status result;
  for (const std::string& point : PlanUnmounts(*std::move(points), dir)) {
    // MNT_DETACH: a process still holding a file open there must not make
    // the teardown fail; the mount goes away once it is unused.
    if (umount2(point.c_str(), MNT_DETACH) != 0 && errno != EINVAL &&
        errno != ENOENT && result.ok()) {
      result = ErrnoStatus(errno, absl::StrCat("umount2 ", point));
    }
  }
  return result;
}

absl::Status RemoveDirTree(const std::string& dir) {
  static thread_local std::string* first_error;
  std::string error;
  first_error = &error;
  auto remove_one = [](const char* path, const struct stat*, int type,
                       struct FTW*) -> int {
    int rc = (type == FTW_DP || type == FTW_D) ? rmdir(path) : unlink(path);
    // ENOENT: a concurrent teardown (run's and a forced destroy's) got
    // there first, which is the outcome both want.
    if (rc != 0 && errno != ENOENT && first_error->empty()) {
      *first_error = absl::StrCat(type == FTW_DP ? "rmdir " : "unlink ", path,
                                  ": ", strerror(errno));
    }
    return 0;  // keep going: remove as much as possible
  };
  int rc = nftw(dir.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  if (rc != 0 && errno == ENOENT) return absl::OkStatus();
  if (rc != 0) {
    return ErrnoStatus(errno, absl::StrCat("nftw ", dir));
  }
  if (!error.empty()) return absl::InternalError(error);
  return absl::OkStatus();
}

absl::Status CleanupStateDirectory(const std::string& dir) {
  absl::Status unmounted = UnmountAllUnder(dir);
  absl::Status removed = RemoveDirTree(dir);
  return unmounted.ok() ? removed : unmounted;
}

}  // namespace run_oci
