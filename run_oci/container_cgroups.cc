#include "run_oci/container_cgroups.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libcontainer/cgroups.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"
#include "run_oci/recorded_cgroups.h"
#include "run_oci/state_dir.h"

namespace run_oci {
namespace {

// Rounds of kill --all: each signals what the previous ones had not seen
// (children forked meanwhile); a container forking faster than that is
// what SIGKILL's freeze is for.
constexpr int kMaxSignalRounds = 100;

// How long SIGKILL --all waits for the killed to leave the cgroups, as
// Cgroups::KillAll does.
constexpr absl::Duration kEmptyTimeout = absl::Seconds(10);

// With the record's account of what the create made: without it Existing()
// owns no directory, and KillAll would neither freeze nor wait.
libcontainer::Cgroups ExistingCgroups(
    const libcontainer::CgroupHierarchies& hierarchies,
    const std::string& relative_path, const StateRecord& record) {
  return libcontainer::Cgroups::Existing(
      hierarchies, relative_path, record.created_cgroup_parents,
      record.created_cgroup_leaves, CgroupTag(record));
}

absl::StatusOr<std::string> RelativePath(const StateRecord& record) {
  return libcontainer::CgroupRelativePath(record.cgroups_path,
                                          record.cgroup_parent, record.id);
}

// Appends the pids of `dir` and of every cgroup below it.
absl::Status CollectPids(const std::string& dir, std::set<pid_t>* pids) {
  std::string procs = absl::StrCat(dir, "/cgroup.procs");
  absl::StatusOr<std::string> text = base::ReadWholeFile(procs);
  if (absl::IsNotFound(text.status())) return absl::OkStatus();  // gone
  if (!text.ok()) return text.status();
  ASSIGN_OR_RETURN(std::vector<pid_t> listed, ParseCgroupProcs(*text, procs));
  pids->insert(listed.begin(), listed.end());
  DIR* children = opendir(dir.c_str());
  if (children == nullptr) return absl::OkStatus();  // removed meanwhile
  absl::Status status;
  while (dirent* entry = readdir(children)) {
    std::string name = entry->d_name;
    if (entry->d_type != DT_DIR || name == "." || name == "..") continue;
    status = CollectPids(absl::StrCat(dir, "/", name), pids);
    if (!status.ok()) break;
  }
  closedir(children);
  return status;
}

// One round: pidfds first, then a second look at the cgroups, so that a
// pid that was recycled by a process outside the container between the
// read and the open is never signalled.
absl::Status SignalRound(const StateRecord& record, int signal,
                         std::set<pid_t>* signalled, bool* found_new) {
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, ContainerPids(record));
  std::map<pid_t, base::ScopedFd> pidfds;
  for (pid_t pid : pids) {
    if (!signalled->insert(pid).second) continue;
    absl::StatusOr<base::ScopedFd> pidfd = shim::PidfdOpen(pid);
    if (pidfd.ok()) pidfds.emplace(pid, *std::move(pidfd));
  }
  *found_new = !pidfds.empty();
  if (pidfds.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<pid_t> still, ContainerPids(record));
  for (auto& [pid, pidfd] : pidfds) {
    if (!std::binary_search(still.begin(), still.end(), pid)) continue;
    absl::Status sent = shim::PidfdSendSignal(pidfd.get(), signal);
    if (!sent.ok() && !absl::IsNotFound(sent)) return sent;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<pid_t>> ParseCgroupProcs(absl::string_view text,
                                                    absl::string_view path) {
  std::vector<pid_t> pids;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    pid_t pid = 0;
    if (!absl::SimpleAtoi(line, &pid) || pid <= 0) {
      return absl::InternalError(
          absl::StrCat(path, ": not a pid: \"", line, "\""));
    }
    pids.push_back(pid);
  }
  return pids;
}

absl::StatusOr<std::vector<std::string>> ContainerCgroupDirs(
    const StateRecord& record) {
  ASSIGN_OR_RETURN(libcontainer::CgroupHierarchies hierarchies,
                   libcontainer::DiscoverCgroupHierarchies());
  ASSIGN_OR_RETURN(std::string relative, RelativePath(record));
  return ExistingCgroups(hierarchies, relative, record).Dirs();
}

absl::StatusOr<std::vector<pid_t>> ContainerPids(const StateRecord& record) {
  ASSIGN_OR_RETURN(std::vector<std::string> dirs, ContainerCgroupDirs(record));
  std::set<pid_t> pids;
  for (const std::string& dir : dirs) RETURN_IF_ERROR(CollectPids(dir, &pids));
  return std::vector<pid_t>(pids.begin(), pids.end());
}

absl::Status SignalAllProcesses(const StateRecord& record, int signal) {
  if (signal == SIGKILL) {
    // Frozen, killed and waited for, as destroy does; the rounds below
    // then reach the cgroups the container made under its own.
    ASSIGN_OR_RETURN(libcontainer::CgroupHierarchies hierarchies,
                     libcontainer::DiscoverCgroupHierarchies());
    ASSIGN_OR_RETURN(std::string relative, RelativePath(record));
    RETURN_IF_ERROR(ExistingCgroups(hierarchies, relative, record).KillAll());
  }
  std::set<pid_t> signalled;
  for (int round = 0; round < kMaxSignalRounds; ++round) {
    bool found_new = false;
    RETURN_IF_ERROR(SignalRound(record, signal, &signalled, &found_new));
    if (!found_new) break;
  }
  if (signal != SIGKILL) return absl::OkStatus();
  // A paused container's killed cannot exit while frozen (KillAll thaws
  // only the freezer its create made).
  RETURN_IF_ERROR(ThawIfPausedAfterKill(record));
  // A SIGKILLed process stays in its cgroup until it has finished exiting,
  // which on a loaded machine can be well after kill(2) returned; the
  // rounds also reached cgroups below the container's that KillAll leaves
  // alone. Only an empty container makes the promise true.
  absl::Time deadline = absl::Now() + kEmptyTimeout;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<pid_t> pids, ContainerPids(record));
    if (pids.empty()) return absl::OkStatus();
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "kill --all: ", pids.size(), " process(es) of container ", record.id,
          " still in its cgroups after SIGKILL (first: ", pids[0], ")"));
    }
    bool found_new = false;  // a late fork from before the freeze
    RETURN_IF_ERROR(SignalRound(record, signal, &signalled, &found_new));
    absl::SleepFor(absl::Milliseconds(1));
  }
}

std::string CgroupTag(const StateRecord& record) {
  return absl::StrCat(record.id, " ", record.created);
}

}  // namespace run_oci
