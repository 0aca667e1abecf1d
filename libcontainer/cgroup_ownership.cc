#include "libcontainer/cgroup_ownership.h"

#include <dirent.h>
#include <sys/xattr.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libcontainer/cgroup_file.h"
#include "libcontainer/config.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {

absl::StatusOr<std::vector<pid_t>> ReadCgroupPids(const std::string& dir) {
  auto text = ReadCgroupFile(dir, "cgroup.procs");
  if (!text.ok()) {
    if (absl::IsNotFound(text.status())) return std::vector<pid_t>{};
    return text.status();
  }
  std::vector<pid_t> pids;
  for (absl::string_view line :
       absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    pid_t pid;
    if (absl::SimpleAtoi(line, &pid)) pids.push_back(pid);
  }
  return pids;
}

absl::StatusOr<std::vector<pid_t>> ReadCgroupSubtreePids(
    const std::string& dir) {
  std::vector<pid_t> all;
  std::vector<std::string> pending = {dir};
  while (!pending.empty()) {
    std::string current = std::move(pending.back());
    pending.pop_back();
    ASSIGN_OR_RETURN(std::vector<pid_t> pids, ReadCgroupPids(current));
    all.insert(all.end(), pids.begin(), pids.end());
    DIR* d = opendir(current.c_str());
    if (d == nullptr) continue;  // removed meanwhile
    while (dirent* entry = readdir(d)) {
      if (entry->d_type != DT_DIR || entry->d_name[0] == '.') continue;
      pending.push_back(absl::StrCat(current, "/", entry->d_name));
    }
    closedir(d);
  }
  return all;
}

bool CgroupHasProcesses(const std::string& dir) {
  absl::StatusOr<std::vector<pid_t>> pids = ReadCgroupSubtreePids(dir);
  return !pids.ok() || !pids->empty();
}

void TagCreatedCgroup(const std::string& dir, absl::string_view tag) {
  if (tag.empty()) return;
  (void)setxattr(dir.c_str(), kCgroupTagXattr, tag.data(), tag.size(), 0);
}

bool HasCreatedCgroupTag(const std::string& dir, absl::string_view tag) {
  if (tag.empty()) return false;
  std::string value(tag.size() + 1, '\0');
  ssize_t n =
      getxattr(dir.c_str(), kCgroupTagXattr, value.data(), value.size());
  return n == static_cast<ssize_t>(tag.size()) &&
         absl::string_view(value.data(), n) == tag;
}

absl::Status CheckReusedCgroup(const std::string& dir,
                               absl::string_view origin) {
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, ReadCgroupSubtreePids(dir));
  if (pids.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      origin.empty() ? "cgroup" : origin, ": ", dir,
      " existed before this container and is not empty (", pids.size(),
      " process(es), first pid ", pids[0], "); to share it set annotation ",
      kSharedCgroupAnnotation, " to \"true\""));
}

}  // namespace libcontainer
