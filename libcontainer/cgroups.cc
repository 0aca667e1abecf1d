#include "libcontainer/cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libcontainer/cgroup_file.h"
#include "libcontainer/cgroup_ownership.h"
#include "libcontainer/cgroup_v1.h"
#include "libcontainer/cgroup_v2.h"
#include "libcontainer/device_filter.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/mountinfo.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

// How long Destroy waits for killed processes to leave their cgroups.
constexpr absl::Duration kEmptyTimeout = absl::Seconds(10);

const std::set<std::string>& KnownV1Controllers() {
  static const auto* known = new std::set<std::string>{
      "cpu",     "cpuacct", "cpuset",   "memory", "devices",
      "freezer", "net_cls", "net_prio", "blkio",  "perf_event",
      "hugetlb", "pids",    "rdma",     "misc",   "debug"};
  return *known;
}

void Warn(absl::string_view message) {
  // No logger in this layer: run_oci's stderr is where users look.
  std::fprintf(stderr, "libcontainer: warning: %.*s\n",
               static_cast<int>(message.size()), message.data());
}

// Makes a new cpuset usable: a cpuset with empty cpus/mems takes no tasks.
absl::Status InheritCpuset(const std::string& parent, const std::string& dir) {
  for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
    ASSIGN_OR_RETURN(std::string mine, ReadCgroupFile(dir, file));
    if (!absl::StripAsciiWhitespace(mine).empty()) continue;
    ASSIGN_OR_RETURN(std::string theirs, ReadCgroupFile(parent, file));
    std::string value(absl::StripAsciiWhitespace(theirs));
    RETURN_IF_ERROR(WriteCgroupFile(dir, file, value));
  }
  return absl::OkStatus();
}

// cgroup2 only: a child gets the parent's controllers once they are in the
// parent's subtree_control. Best effort: a controller may be unavailable.
void EnableSubtreeControllers(const std::string& parent) {
  auto controllers = ReadCgroupFile(parent, "cgroup.controllers");
  if (!controllers.ok()) return;
  for (absl::string_view c : absl::StrSplit(
           *controllers, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    (void)WriteCgroupFile(parent, "cgroup.subtree_control",
                          absl::StrCat("+", c));
  }
}

bool DirExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

int Depth(const std::string& path) {
  return static_cast<int>(std::count(path.begin(), path.end(), '/'));
}

// Waits until freezer.state reads `want` (FREEZING settles into FROZEN).
absl::Status SetFreezer(const std::string& dir, absl::string_view want) {
  RETURN_IF_ERROR(WriteCgroupFile(dir, "freezer.state", want));
  absl::Time deadline = absl::Now() + absl::Seconds(2);
  while (true) {
    ASSIGN_OR_RETURN(std::string state, ReadCgroupFile(dir, "freezer.state"));
    if (absl::StripAsciiWhitespace(state) == want) return absl::OkStatus();
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "cgroup: ", dir, "/freezer.state stuck at ",
          absl::StripAsciiWhitespace(state), " (wanted ", want, ")"));
    }
    // Re-writing kicks a freeze that raced with a fork.
    RETURN_IF_ERROR(WriteCgroupFile(dir, "freezer.state", want));
    absl::SleepFor(absl::Milliseconds(1));
  }
}

}  // namespace

CgroupHierarchies ParseCgroupMounts(absl::string_view mountinfo) {
  CgroupHierarchies h;
  for (const base::MountInfoEntry& mount : base::ParseMountInfo(mountinfo)) {
    if (mount.fs_type == "cgroup2") {
      if (h.unified.empty()) h.unified = mount.mount_point;
    } else if (mount.fs_type == "cgroup") {
      for (absl::string_view opt :
           absl::StrSplit(mount.super_options, ',', absl::SkipEmpty())) {
        std::string name(opt);
        if (KnownV1Controllers().count(name) == 0 &&
            !absl::StartsWith(name, "name=")) {
          continue;
        }
        h.v1.emplace(name, mount.mount_point);  // first mount wins
      }
    }
  }
  return h;
}

absl::StatusOr<CgroupHierarchies> DiscoverCgroupHierarchies() {
  ASSIGN_OR_RETURN(std::string text, ReadCgroupFile("/proc/self", "mountinfo"));
  CgroupHierarchies h = ParseCgroupMounts(text);
  if (h.v1.empty() && h.unified.empty()) {
    return absl::FailedPreconditionError(
        "cgroup: no cgroup hierarchy is mounted (see /proc/self/mountinfo)");
  }
  return h;
}

absl::StatusOr<std::string> CgroupRelativePath(absl::string_view cgroups_path,
                                               absl::string_view cgroup_parent,
                                               absl::string_view id) {
  std::string joined =
      !cgroups_path.empty()
          ? std::string(cgroups_path)
          : (cgroup_parent.empty() ? std::string(id)
                                   : absl::StrCat(cgroup_parent, "/", id));
  std::vector<absl::string_view> parts;
  for (absl::string_view part :
       absl::StrSplit(joined, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") {
      return absl::InvalidArgumentError(
          absl::StrCat("cgroup path \"", joined, "\": \"..\" is not allowed"));
    }
    parts.push_back(part);
  }
  if (parts.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cgroup path \"", joined,
        "\": names the hierarchy root; a container needs its own cgroup"));
  }
  return absl::StrJoin(parts, "/");
}

absl::StatusOr<Cgroups> Cgroups::Create(const CgroupHierarchies& hierarchies,
                                        const std::string& relative_path,
                                        const Resources& resources,
                                        std::optional<CgroupOwner> owner,
                                        const CgroupCreateOptions& options) {
  // Known ownership, nothing made yet; MakeDirs records what it makes.
  Cgroups cgroups =
      Existing(hierarchies, relative_path, {}, std::vector<std::string>{});
  absl::Cleanup undo = [&cgroups] { (void)cgroups.Remove(); };
  RETURN_IF_ERROR(cgroups.MakeDirs(hierarchies, relative_path, options.tag));
  RETURN_IF_ERROR(cgroups.CheckReused(options));
  if (owner) RETURN_IF_ERROR(cgroups.Chown(*owner));
  RETURN_IF_ERROR(cgroups.Apply(hierarchies, resources));
  std::move(undo).Cancel();
  return cgroups;
}

Cgroups Cgroups::Existing(
    const CgroupHierarchies& hierarchies, const std::string& relative_path,
    const std::vector<std::string>& created_parents,
    const std::optional<std::vector<std::string>>& created_leaves,
    absl::string_view tag) {
  Cgroups cgroups;
  cgroups.unified_only_ = hierarchies.unified_only();
  for (const auto& [controller, mount] : hierarchies.v1) {
    const std::string dir = absl::StrCat(mount, "/", relative_path);
    cgroups.v1_dirs_[controller] = dir;
    cgroups.v1_mount_names_[dir] = mount.substr(mount.rfind('/') + 1);
  }
  if (!hierarchies.unified.empty()) {
    cgroups.unified_dir_ =
        absl::StrCat(hierarchies.unified, "/", relative_path);
  }
  std::vector<std::string> dirs = cgroups.Dirs();
  cgroups.leaves_.insert(dirs.begin(), dirs.end());
  cgroups.ownership_known_ = created_leaves.has_value();
  if (!cgroups.ownership_known_) {
    // Unknown: try them all; Remove() leaves a busy one that is not
    // tagged as this container's in place.
    cgroups.to_remove_ = dirs;
    cgroups.AdoptTagged(hierarchies, relative_path, tag);
  } else {
    for (const std::string& dir : *created_leaves) {
      if (cgroups.leaves_.count(dir) == 0) continue;
      if (cgroups.created_leaves_.insert(dir).second) {
        cgroups.to_remove_.push_back(dir);
      }
    }
  }
  // Only true ancestors of our own directories: the list comes from the
  // state directory, and must never make us remove someone else's cgroup.
  for (const std::string& parent : created_parents) {
    for (const std::string& leaf : cgroups.leaves_) {
      if (absl::StartsWith(leaf, absl::StrCat(parent, "/")) &&
          !absl::StrContains(parent, "/../") &&
          !absl::EndsWith(parent, "/..")) {
        cgroups.to_remove_.push_back(parent);
        break;
      }
    }
  }
  std::stable_sort(cgroups.to_remove_.begin(), cgroups.to_remove_.end(),
                   [](const std::string& a, const std::string& b) {
                     return Depth(a) > Depth(b);
                   });
  return cgroups;
}

std::vector<std::string> Cgroups::CreatedParents() const {
  std::vector<std::string> parents;
  for (const std::string& dir : to_remove_) {
    if (leaves_.count(dir) == 0) parents.push_back(dir);
  }
  return parents;
}

void Cgroups::AdoptTagged(const CgroupHierarchies& h, const std::string& rel,
                          absl::string_view tag) {
  if (tag.empty()) return;
  std::set<std::string> mounts;
  for (const auto& [controller, mount] : h.v1) mounts.insert(mount);
  if (!h.unified.empty()) mounts.insert(h.unified);
  std::vector<absl::string_view> parts = absl::StrSplit(rel, '/');
  for (const std::string& mount : mounts) {
    std::string dir = mount;
    for (size_t i = 0; i < parts.size(); ++i) {
      dir = absl::StrCat(dir, "/", parts[i]);
      if (!HasCreatedCgroupTag(dir, tag)) continue;
      if (leaves_.count(dir) > 0) {
        created_leaves_.insert(dir);  // already in to_remove_
      } else if (std::find(to_remove_.begin(), to_remove_.end(), dir) ==
                 to_remove_.end()) {
        to_remove_.push_back(dir);
      }
    }
  }
}

std::vector<std::string> Cgroups::CreatedLeaves() const {
  return std::vector<std::string>(created_leaves_.begin(),
                                  created_leaves_.end());
}

std::vector<std::string> Cgroups::OwnDirs() const {
  std::vector<std::string> own;
  for (const std::string& dir : Dirs()) {
    if (created_leaves_.count(dir) > 0) own.push_back(dir);
  }
  return own;
}

std::vector<std::string> Cgroups::Dirs() const {
  std::set<std::string> seen;
  std::vector<std::string> dirs;
  for (const auto& [controller, dir] : v1_dirs_) {
    if (seen.insert(dir).second) dirs.push_back(dir);
  }
  if (!unified_dir_.empty() && seen.insert(unified_dir_).second) {
    dirs.push_back(unified_dir_);
  }
  return dirs;
}

std::string Cgroups::V1Dir(const std::string& controller) const {
  auto it = v1_dirs_.find(controller);
  return it == v1_dirs_.end() ? std::string() : it->second;
}

std::vector<shim::CgroupBindSpec> Cgroups::MountBinds() const {
  if (unified_only_) return {{unified_dir_, ""}};
  std::vector<shim::CgroupBindSpec> binds;
  for (const std::string& dir : Dirs()) {
    if (dir != unified_dir_) binds.push_back({dir, v1_mount_names_.at(dir)});
  }
  return binds;
}

absl::Status Cgroups::MakeDirs(const CgroupHierarchies& h,
                               const std::string& rel, absl::string_view tag) {
  std::set<std::string> mounts;
  for (const auto& [controller, mount] : h.v1) mounts.insert(mount);
  if (!h.unified.empty()) mounts.insert(h.unified);
  std::set<std::string> cpuset_mounts;
  if (auto it = h.v1.find("cpuset"); it != h.v1.end()) {
    cpuset_mounts.insert(it->second);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(rel, '/');
  for (const std::string& mount : mounts) {
    const bool cpuset = cpuset_mounts.count(mount) > 0;
    std::string parent = mount;
    int restarts = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string dir = absl::StrCat(parent, "/", parts[i]);
      bool leaf = i + 1 == parts.size();
      if (h.unified_only()) EnableSubtreeControllers(parent);
      if (mkdir(dir.c_str(), 0755) == 0) {
        to_remove_.push_back(dir);
        created_chain_[mount].push_back(dir);
        TagCreatedCgroup(dir, tag);
        if (leaf) created_leaves_.insert(dir);
      } else if (errno == ENOENT && i > 0 && restarts++ < 5) {
        // Another container's Destroy removed a shared parent between our
        // EEXIST and this mkdir: start this hierarchy over.
        parent = mount;
        i = static_cast<size_t>(-1);
        continue;
      } else if (errno != EEXIST || !DirExists(dir)) {
        return base::ErrnoStatus(errno, absl::StrCat("cgroup: mkdir ", dir));
      }
      // An existing leaf is reused (runc does) but stays whoever made
      // it: CheckReused looks at it; KillAll and Remove never touch it.
      // Every level, ours or not: a parent another container just created
      // may not have its cpus/mems yet, and an empty cpuset takes no tasks.
      // Writing the same values again is harmless.
      if (cpuset) RETURN_IF_ERROR(InheritCpuset(parent, dir));
      parent = dir;
    }
  }
  std::stable_sort(to_remove_.begin(), to_remove_.end(),
                   [](const std::string& a, const std::string& b) {
                     return Depth(a) > Depth(b);
                   });
  return absl::OkStatus();
}

absl::Status Cgroups::CheckReused(const CgroupCreateOptions& options) const {
  if (options.share) return absl::OkStatus();
  for (const std::string& dir : Dirs()) {
    if (created_leaves_.count(dir) > 0) continue;
    RETURN_IF_ERROR(CheckReusedCgroup(dir, options.origin));
  }
  return absl::OkStatus();
}

absl::Status Cgroups::Chown(const CgroupOwner& owner) const {
  // Only what Create made: handing someone else's cgroup to the
  // container's root would give it their limits and processes.
  for (const std::string& dir : OwnDirs()) {
    if (chown(dir.c_str(), owner.uid, owner.gid) != 0) {
      return base::ErrnoStatus(errno, absl::StrCat("cgroup: chown ", dir));
    }
    for (const char* file : {"cgroup.procs", "tasks", "cgroup.threads",
                             "cgroup.subtree_control"}) {
      std::string path = absl::StrCat(dir, "/", file);
      if (chown(path.c_str(), owner.uid, owner.gid) != 0 && errno != ENOENT) {
        return base::ErrnoStatus(errno, absl::StrCat("cgroup: chown ", path));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Cgroups::Apply(const CgroupHierarchies& h, const Resources& r) {
  std::vector<CgroupWrite> writes;
  if (!unified_only_) {
    ASSIGN_OR_RETURN(writes, PlanV1Writes(r));
  }
  ASSIGN_OR_RETURN(std::vector<CgroupWrite> v2, PlanV2Writes(r, unified_only_));
  writes.insert(writes.end(), v2.begin(), v2.end());
  RETURN_IF_ERROR(Write(h, writes, !r.devices.empty()));
  if (unified_only_) {
    device_rules_ = DeviceRulesInOrder(r);
    RETURN_IF_ERROR(AttachDeviceRules());
  }
  return absl::OkStatus();
}

absl::Status Cgroups::Write(const CgroupHierarchies& h,
                            const std::vector<CgroupWrite>& writes,
                            bool devices_requested) {
  for (const CgroupWrite& w : writes) {
    std::string dir;
    std::string mount;
    if (w.controller.empty()) {
      dir = unified_dir_;
      mount = h.unified;
    } else if (auto it = h.v1.find(w.controller); it != h.v1.end()) {
      dir = v1_dirs_.at(w.controller);
      mount = it->second;
    }
    if (dir.empty()) {
      // Deny-all plus the defaults is our own policy, not a requested
      // limit: without a devices controller there is nothing to tighten.
      if (w.controller == "devices" && !devices_requested) continue;
      return absl::FailedPreconditionError(
          absl::StrCat("cgroup: ", w.file, ": the ",
                       w.controller.empty() ? "cgroup2" : w.controller,
                       " hierarchy is not mounted"));
    }
    if (w.best_effort && !CgroupFileExists(dir, w.file)) {
      Warn(absl::StrCat("cgroup: ", dir, "/", w.file,
                        " does not exist on this kernel; ignored"));
      continue;
    }
    if (w.parents_first) {
      auto chain = created_chain_.find(mount);
      if (chain != created_chain_.end()) {
        for (const std::string& level : chain->second) {
          if (level == dir) break;
          RETURN_IF_ERROR(WriteCgroupFile(level, w.file, w.value));
        }
      }
    }
    absl::Status s = WriteCgroupFile(dir, w.file, w.value);
    if (!s.ok() && w.best_effort) {
      Warn(absl::StrCat(s.message(), "; ignored"));
      continue;
    }
    RETURN_IF_ERROR(s);
  }
  return absl::OkStatus();
}

absl::Status Cgroups::AllowDevice(const CgroupDeviceRule& rule) {
  if (unified_only_) {
    device_rules_.push_back(rule);
    return AttachDeviceRules();
  }
  std::string dir = V1Dir("devices");
  if (dir.empty()) return absl::OkStatus();
  return WriteCgroupFile(dir, "devices.allow", FormatDeviceRule(rule));
}

absl::Status Cgroups::AttachDeviceRules() {
  ASSIGN_OR_RETURN(
      device_filter_,
      AttachDeviceFilter(unified_dir_, CompileDeviceFilter(device_rules_),
                         device_filter_));
  return absl::OkStatus();
}

absl::Status Cgroups::AddProcess(pid_t pid) const {
  std::string value = absl::StrCat(pid);
  for (const std::string& dir : Dirs()) {
    RETURN_IF_ERROR(WriteCgroupFile(dir, "cgroup.procs", value));
  }
  return absl::OkStatus();
}

absl::StatusOr<Cgroups::SelfJoin> Cgroups::OpenForSelfJoin() const {
  SelfJoin join;
  for (const std::string& dir : Dirs()) {
    if (dir == unified_dir_) continue;
    std::string path = absl::StrCat(dir, "/tasks");
    base::ScopedFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
      return base::ErrnoStatus(errno, absl::StrCat("cgroup: open ", path));
    join.tasks_fds.push_back(std::move(fd));
    join.tasks_paths.push_back(std::move(path));
  }
  if (!unified_dir_.empty()) {
    join.cgroup2_dir = base::ScopedFd(
        open(unified_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!join.cgroup2_dir) {
      return base::ErrnoStatus(errno,
                               absl::StrCat("cgroup: open ", unified_dir_));
    }
  }
  return join;
}

absl::Status Cgroups::KillAll() const {
  // The common case at destroy time: the container already exited.
  const std::vector<std::string> own = OwnDirs();
  bool any = false;
  for (const std::string& dir : own) {
    ASSIGN_OR_RETURN(std::vector<pid_t> pids, ReadCgroupPids(dir));
    if (!pids.empty()) {
      any = true;
      break;
    }
  }
  if (!any) return absl::OkStatus();
  // A frozen cgroup cannot fork new members while we read and kill the
  // old ones. cgroup2's cgroup.kill does all of it in one write.
  if (created_leaves_.count(unified_dir_) > 0 && DirExists(unified_dir_) &&
      CgroupFileExists(unified_dir_, "cgroup.kill")) {
    RETURN_IF_ERROR(WriteCgroupFile(unified_dir_, "cgroup.kill", "1"));
  }
  std::string freezer = V1Dir("freezer");
  bool frozen = false;
  if (created_leaves_.count(freezer) > 0 && DirExists(freezer)) {
    RETURN_IF_ERROR(SetFreezer(freezer, "FROZEN"));
    frozen = true;
  }
  absl::Status kill_status;
  for (const std::string& dir : own) {
    ASSIGN_OR_RETURN(std::vector<pid_t> pids, ReadCgroupPids(dir));
    for (pid_t pid : pids) {
      if (kill(pid, SIGKILL) != 0 && errno != ESRCH && kill_status.ok()) {
        kill_status =
            base::ErrnoStatus(errno, absl::StrCat("cgroup: kill ", pid));
      }
    }
  }
  if (frozen) RETURN_IF_ERROR(SetFreezer(freezer, "THAWED"));
  RETURN_IF_ERROR(kill_status);

  absl::Time deadline = absl::Now() + kEmptyTimeout;
  for (const std::string& dir : own) {
    while (true) {
      ASSIGN_OR_RETURN(std::vector<pid_t> pids, ReadCgroupPids(dir));
      if (pids.empty()) break;
      if (absl::Now() > deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat("cgroup: ", dir, " still has ", pids.size(),
                         " process(es) after SIGKILL (first: ", pids[0], ")"));
      }
      // Processes that were mid-fork may appear after the first pass.
      for (pid_t pid : pids) kill(pid, SIGKILL);
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
  return absl::OkStatus();
}

bool Cgroups::HeldByAnother(const std::string& dir, int rmdir_errno) const {
  // A parent may hold another container's cgroup by now.
  return (rmdir_errno == EBUSY || rmdir_errno == ENOTEMPTY) &&
         leaves_.count(dir) == 0;
}

bool Cgroups::RemoveIfEmpty() {
  if (!ownership_known_) return false;
  for (size_t i = 0; i < to_remove_.size(); ++i) {
    const std::string& dir = to_remove_[i];
    if (rmdir(dir.c_str()) == 0 || errno == ENOENT ||
        HeldByAnother(dir, errno)) {
      continue;
    }
    to_remove_.erase(to_remove_.begin(), to_remove_.begin() + i);
    return false;
  }
  to_remove_.clear();
  return true;
}

absl::Status Cgroups::Remove() {
  absl::Status first;
  std::vector<std::string> left;
  for (const std::string& dir : to_remove_) {
    if (!ownership_known_ && leaves_.count(dir) > 0 &&
        created_leaves_.count(dir) == 0 && CgroupHasProcesses(dir)) {
      // Without the record of what Create made, a leaf with processes
      // may be someone else's cgroup: leave it.
      Warn(absl::StrCat("cgroup: ", dir,
                        " has processes and its create did not record making "
                        "it; left in place"));
      continue;
    }
    absl::Time deadline = absl::Now() + absl::Seconds(1);
    while (rmdir(dir.c_str()) != 0) {
      int err = errno;
      if (err == ENOENT) break;
      if (HeldByAnother(dir, err)) break;
      // Just-killed tasks can keep the cgroup busy for a moment.
      if (err == EBUSY && absl::Now() < deadline) {
        absl::SleepFor(absl::Milliseconds(1));
        continue;
      }
      if (first.ok())
        first = base::ErrnoStatus(err, absl::StrCat("cgroup: rmdir ", dir));
      left.push_back(dir);
      break;
    }
  }
  to_remove_ = left;
  return first;
}

}  // namespace libcontainer
