#include "minijail-shim/join.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/pidfd.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace shim {
namespace {

struct NsType {
  const char* name;  // in /proc/<pid>/ns
  int flag;
};

// User first: it grants the capabilities needed to enter the others. A pid
// or time namespace applies to children only, so the shim forks once more
// after joining them (namespaces.cc).
constexpr NsType kTypes[] = {
    {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},   {"uts", CLONE_NEWUTS},
    {"ipc", CLONE_NEWIPC},       {"net", CLONE_NEWNET},  {"pid", CLONE_NEWPID},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};

const char* TypeName(int flag) {
  for (const NsType& t : kTypes) {
    if (t.flag == flag) return t.name;
  }
  return "?";
}

// What a join may not ask for: those make a new container, not a process
// in an existing one.
absl::Status CheckProcessOnly(const JailSpec& p) {
  const char* what = nullptr;
  if (!p.namespaces.empty()) what = "namespaces";
  if (!p.uid_map.empty() || !p.gid_map.empty()) what = "id maps";
  if (!p.time_offsets.empty()) what = "time offsets";
  if (!p.rootfs.empty() || !p.mounts.empty() || p.default_dev ||
      !p.devices.empty() || p.rootfs_readonly) {
    what = "rootfs, mounts or devices";
  }
  if (!p.masked_paths.empty() || !p.readonly_paths.empty()) {
    what = "masked or read-only paths";
  }
  if (!p.hostname.empty() || !p.domainname.empty() || !p.sysctls.empty()) {
    what = "host name or sysctls";
  }
  if (p.start_fd >= 0 || !p.start_hooks.empty())
    what = "a start socket or hooks";
  if (!p.run_as_init) what = "an init";
  if (what == nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("join: ", what, ": only a new container has them"));
}

// A pid namespace applies to the children of whoever enters it. Joining
// the container's in the caller, for the one clone, puts the process there
// at birth; joined in the child it would take a second fork (and a relay
// of its pid). Meanwhile the caller is not dumpable, so neither is the
// process from its first instruction: it is visible in the container's
// pid namespace from then on. Both are undone right after the clone.
class PidNamespaceForChildren {
 public:
  static absl::StatusOr<PidNamespaceForChildren> Enter(int ns_fd) {
    PidNamespaceForChildren entered;
    if (ns_fd < 0) return entered;
    entered.own_.reset(
        open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC));
    if (!entered.own_) {
      return absl::InternalError(absl::StrCat(
          "join: /proc/self/ns/pid_for_children: open: ", strerror(errno)));
    }
    entered.dumpable_ = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
        setns(ns_fd, CLONE_NEWPID) != 0) {
      const int err = errno;
      entered.Leave().IgnoreError();
      return absl::InternalError(
          absl::StrCat("join: namespace pid: setns: ", strerror(err)));
    }
    return entered;
  }

  absl::Status Leave() {
    if (!own_) return absl::OkStatus();
    base::ScopedFd own = std::move(own_);
    if (dumpable_ > 0) prctl(PR_SET_DUMPABLE, dumpable_, 0, 0, 0);
    if (setns(own.get(), CLONE_NEWPID) != 0) {
      return absl::InternalError(absl::StrCat(
          "join: back to our own pid namespace: setns: ", strerror(errno)));
    }
    return absl::OkStatus();
  }

 private:
  base::ScopedFd own_;
  int dumpable_ = -1;
};

}  // namespace

const std::vector<int>& JoinableNamespaceTypes() {
  static const auto* types = [] {
    auto* v = new std::vector<int>();
    for (const NsType& t : kTypes) v->push_back(t.flag);
    return v;
  }();
  return *types;
}

absl::StatusOr<std::vector<base::ScopedFd>> OpenContainerNamespaces(
    pid_t pid, int pidfd, std::vector<int>* types) {
  std::vector<base::ScopedFd> fds;
  types->clear();
  for (const NsType& t : kTypes) {
    const std::string path = absl::StrCat("/proc/", pid, "/ns/", t.name);
    const std::string own = absl::StrCat("/proc/self/ns/", t.name);
    base::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      // A kernel without this namespace type has no link for it.
      if (errno == ENOENT && access(own.c_str(), F_OK) != 0) continue;
      return absl::NotFoundError(
          absl::StrCat("join: ", path, ": open: ", strerror(errno)));
    }
    struct stat theirs, ours;
    if (fstat(fd.get(), &theirs) != 0 || stat(own.c_str(), &ours) != 0) {
      return absl::InternalError(
          absl::StrCat("join: ", path, ": stat: ", strerror(errno)));
    }
    // Entering one's own namespace is a no-op at best (EINVAL for a user
    // namespace): only the container's own are joined.
    if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino) continue;
    fds.push_back(std::move(fd));
    types->push_back(t.flag);
  }
  // The links were opened by pid: only a pidfd that still names a live
  // process proves they are that process's namespaces.
  absl::Status alive = PidfdSendSignal(pidfd, 0);
  if (!alive.ok()) {
    return absl::Status(alive.code(),
                        absl::StrCat("join: pid ", pid, ": ", alive.message()));
  }
  return fds;
}

absl::StatusOr<Jail> JoinContainer(const JoinSpec& spec,
                                   const SyncCallback& on_sync) {
  RETURN_IF_ERROR(CheckProcessOnly(spec.process));
  if (spec.pid <= 0 || spec.pidfd < 0) {
    return absl::InvalidArgumentError("join: no target process");
  }
  std::vector<int> types;
  ASSIGN_OR_RETURN(std::vector<base::ScopedFd> fds,
                   OpenContainerNamespaces(spec.pid, spec.pidfd, &types));
  JailSpec jail = spec.process;
  // No mounts and no hooks (CheckProcessOnly): nothing for the parent to do
  // before a pivot_root that never happens.
  jail.stop_at_prechroot = false;
  int pid_ns_fd = -1;
  std::vector<int> joined;  // parallel to jail.namespaces
  // Through the exec stub the child joins the pid namespace for its
  // children only, and the stub forks into it as its last step: run_oci's
  // binary is never in there (exec_stub.h).
  const bool stub_forks = jail.exec_stub_fd >= 0;
  for (size_t i = 0; i < fds.size(); ++i) {
    if (types[i] == CLONE_NEWPID && !stub_forks) {
      pid_ns_fd = fds[i].get();
      continue;
    }
    joined.push_back(types[i]);
    // Reopened by Jail::Start from our fd: the same namespace, whatever
    // the pid names by then.
    jail.namespaces.push_back(
        {types[i], absl::StrCat("/proc/self/fd/", fds[i].get())});
  }
  ASSIGN_OR_RETURN(PidNamespaceForChildren pid_ns,
                   PidNamespaceForChildren::Enter(pid_ns_fd));
  absl::StatusOr<Jail> started = Jail::Start(jail, on_sync);
  absl::Status left = pid_ns.Leave();
  if (!left.ok()) {
    if (started.ok()) {
      started->Kill(SIGKILL).IgnoreError();
      started->Wait().IgnoreError();
    }
    return left;
  }
  if (!started.ok()) {
    // Jail::Start names namespaces by index; say which type that was.
    std::string message(started.status().message());
    for (size_t i = 0; i < joined.size(); ++i) {
      const std::string index = absl::StrCat("namespaces[", i, "]");
      const size_t at = message.find(index);
      if (at == std::string::npos) continue;
      message.replace(at, index.size(),
                      absl::StrCat("namespace ", TypeName(joined[i])));
      break;
    }
    return absl::Status(started.status().code(), message);
  }
  return started;
}

}  // namespace shim
