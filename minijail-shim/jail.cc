// Parent side of a Jail: clone3, the sync protocol, id maps, the process
// attributes set from outside (process_attrs.h), callbacks, and turning
// child failures into one Status line.
#include "minijail-shim/jail.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/child.h"
#include "minijail-shim/child_fds.h"
#include "minijail-shim/id_map.h"
#include "minijail-shim/jail_plan.h"
#include "minijail-shim/namespaces.h"
#include "minijail-shim/pidfd.h"
#include "minijail-shim/process_attrs.h"
#include "minijail-shim/start_hooks.h"
#include "minijail-shim/sync_pipe.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace shim {
namespace {

// clone3 with CLONE_PIDFD; falls back to clone(2) on kernels without
// clone3 (before 5.3), where a time namespace cannot be asked for.
absl::StatusOr<pid_t> CloneChild(int flags, int cgroup2_dir_fd, int* pidfd) {
  struct clone_args args;
  memset(&args, 0, sizeof(args));
  args.flags = static_cast<uint64_t>(flags) | CLONE_PIDFD;
  if (cgroup2_dir_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup2_dir_fd);
  }
  args.pidfd = reinterpret_cast<uintptr_t>(pidfd);
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid < 0 && errno == ENOSYS) {
    if (flags & CLONE_NEWTIME) {
      return absl::UnimplementedError(
          "jail: time namespace: needs clone3 (Linux 5.8)");
    }
    if (cgroup2_dir_fd >= 0) {
      return absl::UnimplementedError(
          "jail: CLONE_INTO_CGROUP: needs clone3 (Linux 5.7)");
    }
    pid = syscall(SYS_clone, flags | CLONE_PIDFD | SIGCHLD, 0, pidfd, 0, 0);
  }
  if (pid < 0) {
    return absl::InternalError(absl::StrCat(
        "jail: clone3(flags 0x", absl::Hex(flags), "): ", strerror(errno)));
  }
  return static_cast<pid_t>(pid);
}

absl::Status ReapPidfd(int pidfd) {
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  while (waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &info, WEXITED) != 0) {
    if (errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("jail: waitid: ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

void KillAndReap(int pidfd) {
  if (pidfd < 0) return;
  syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
  ReapPidfd(pidfd).IgnoreError();
}

// "killed by signal 31" for a child that died silently (a seccomp kill,
// say), without reaping it: the error path still kills and reaps.
std::string DescribeExit(int pidfd) {
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  if (pidfd < 0 || waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &info,
                          WEXITED | WNOWAIT) != 0) {
    return "status unknown";
  }
  if (info.si_code == CLD_EXITED) {
    return absl::StrCat("exit status ", info.si_status);
  }
  return absl::StrCat("killed by signal ", info.si_status);
}

absl::Status WriteTimeOffsets(pid_t pid,
                              const std::vector<TimeOffsetSpec>& offsets) {
  std::string text;
  for (const TimeOffsetSpec& o : offsets) {
    absl::StrAppend(&text, o.clock, " ", o.secs, " ", o.nanosecs, "\n");
  }
  const std::string path = absl::StrCat("/proc/", pid, "/timens_offsets");
  base::ScopedFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  // One write(2): the kernel takes the whole table at once.
  if (!fd || write(fd.get(), text.data(), text.size()) !=
                 static_cast<ssize_t>(text.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("jail: time offsets: ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

bool ChildWaitsAt(const ChildPlan& plan, SyncPoint point) {
  switch (point) {
    case SyncPoint::kCloned:
      return plan.waits_at_cloned;
    case SyncPoint::kPreChroot:
      return plan.waits_at_prechroot;
    case SyncPoint::kReady:
      return true;
  }
  return true;
}

// What the child uses that the parent keeps until Start returns: the plan
// (its caps are freed here), the namespace fds to join, the idmapped
// mounts' user namespaces and the start hooks' state file (the child keeps
// its copy).
struct Prepared {
  Prepared() = default;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  ~Prepared() {
    if (plan.caps != nullptr) cap_free(plan.caps);
  }
  ChildPlan plan;
  NamespacePlan ns;
  std::vector<base::ScopedFd> idmap_userns;
  base::ScopedFd hook_state;
};

// Everything before the sync socket: validation, the plan, namespaces,
// idmapped mounts' user namespaces, start hooks.
absl::Status Prepare(const JailSpec& spec, Prepared* p) {
  RETURN_IF_ERROR(ValidateSpec(spec));
  RETURN_IF_ERROR(BuildPlan(spec, &p->plan));
  ASSIGN_OR_RETURN(p->ns, PlanNamespaces(spec, &p->plan));
  // The relay's kPid may come after kCloned: the child waits there until
  // the parent knows whom the later points are about. A new cgroup
  // namespace is rooted where the child is after kCloned, which the
  // callback may still change. The parent's attributes must be set before
  // the child changes its ids.
  p->plan.attributes_in_child = AttributesFitChild(spec, &p->plan);
  p->plan.waits_at_cloned =
      p->plan.new_user_ns || p->plan.fork_needed ||
      p->plan.late_unshare_flags != 0 ||
      (HasAttributesFromParent(spec) && !p->plan.attributes_in_child);
  p->plan.waits_at_prechroot = spec.stop_at_prechroot;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const MountSpec& m = spec.mounts[i];
    if (m.uid_mappings.empty() && m.gid_mappings.empty()) continue;
    ASSIGN_OR_RETURN(base::ScopedFd fd,
                     MakeIdMapUserNamespace(m.uid_mappings, m.gid_mappings));
    p->plan.mounts[i].userns_fd = fd.get();
    p->idmap_userns.push_back(std::move(fd));
  }
  if (!spec.start_hooks.empty()) {
    RETURN_IF_ERROR(ValidateStartHooks(spec));
    p->plan.start_hooks = PlanStartHooks(spec);
    ASSIGN_OR_RETURN(p->hook_state, MakeHookStateFile());
    p->plan.start_hooks_state_fd = p->hook_state.get();
  }
  return absl::OkStatus();
}

absl::Status MakeSyncSocket(base::ScopedFd* parent_end,
                            base::ScopedFd* child_end) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return absl::InternalError(
        absl::StrCat("jail: socketpair: ", strerror(errno)));
  }
  *parent_end = base::ScopedFd(sv[0]);
  *child_end = base::ScopedFd(sv[1]);
  return absl::OkStatus();
}

// The parent's view of the child during setup. In the two-stage fork case
// the container process is a grandchild (reparented to us by CLONE_PARENT)
// and the first child only relays it: pid stays -1 until its kPid.
struct Tracked {
  pid_t first_pid = -1;
  base::ScopedFd first_pidfd;
  pid_t pid = -1;
  base::ScopedFd pidfd;
  bool cloned_pending = false;  // kCloned came before the relay's kPid
  base::ScopedFd seccomp_listener;
  PhaseStamps child_phases;
};

// What the parent does at a sync point before the child may go on.
absl::Status OnReached(const JailSpec& spec, const Prepared& p,
                       const SyncCallback& on_sync, int sync_fd,
                       const Tracked& t, SyncPoint point) {
  if (point == SyncPoint::kCloned) {
    if (p.plan.new_user_ns) {
      RETURN_IF_ERROR(WriteIdMaps(t.pid, spec.uid_map, spec.gid_map));
    }
    // While the child still has the parent's uid and gids: prlimit(2) on
    // another process wants matching ids or CAP_SYS_RESOURCE, which a
    // runtime may lack (this CI host does) even as root, and the child
    // switches ids before kReady.
    if (!p.plan.attributes_in_child) {
      RETURN_IF_ERROR(SetAttributesFromParent(spec, t.pid));
    }
  }
  // The pid is known for sure by now (a late one from the second fork
  // came with kPid before kCloned), and the child reads the state only
  // after this ack.
  if (point == SyncPoint::kReady && p.hook_state) {
    RETURN_IF_ERROR(
        FillHookStateFile(p.hook_state.get(), spec.start_hooks_state(t.pid)));
  }
  if (on_sync) RETURN_IF_ERROR(on_sync(point, t.pid));
  if (!ChildWaitsAt(p.plan, point)) return absl::OkStatus();
  return ParentAck(sync_fd);
}

// kPid from the relay: the container process, whose kCloned may already
// have come.
absl::Status TakeLatePid(const JailSpec& spec, const Prepared& p,
                         const SyncCallback& on_sync, int sync_fd, pid_t pid,
                         Tracked* t) {
  t->pid = pid;
  ASSIGN_OR_RETURN(t->pidfd, PidfdOpen(pid));
  RETURN_IF_ERROR(ReapPidfd(t->first_pidfd.get()));
  t->first_pidfd.reset();
  if (!t->cloned_pending) return absl::OkStatus();
  t->cloned_pending = false;
  return OnReached(spec, p, on_sync, sync_fd, *t, SyncPoint::kCloned);
}

// Answers the child's messages until it reached kReady.
absl::Status DriveToReady(const JailSpec& spec, const Prepared& p,
                          const SyncCallback& on_sync, int sync_fd,
                          Tracked* t) {
  for (;;) {
    base::ScopedFd passed;
    absl::StatusOr<ChildMsg> msg = ParentReceive(sync_fd, &passed);
    if (!msg.ok()) {
      if (absl::IsNotFound(msg.status())) {
        return absl::InternalError(absl::StrCat(
            "jail: the child exited during setup without reporting why (",
            DescribeExit(t->pidfd.is_valid() ? t->pidfd.get()
                                             : t->first_pidfd.get()),
            ")"));
      }
      return msg.status();
    }
    if (msg->kind == MsgKind::kFailure) return FailureToStatus(*msg, spec);
    if (msg->kind == MsgKind::kSeccompListener) {
      if (!passed) {
        return absl::InternalError("jail: seccomp listener fd did not arrive");
      }
      t->seccomp_listener = std::move(passed);
      continue;
    }
    if (msg->kind == MsgKind::kTimeNamespaceMade) {
      RETURN_IF_ERROR(WriteTimeOffsets(t->first_pid, spec.time_offsets));
      RETURN_IF_ERROR(ParentAck(sync_fd));
      continue;
    }
    if (msg->kind == MsgKind::kPid) {
      RETURN_IF_ERROR(TakeLatePid(spec, p, on_sync, sync_fd, msg->pid, t));
      continue;
    }
    const auto point = static_cast<SyncPoint>(msg->point);
    t->child_phases = msg->phases;
    if (point == SyncPoint::kCloned && t->pid < 0) {
      t->cloned_pending = true;  // the relay's kPid is still on its way
      continue;
    }
    RETURN_IF_ERROR(OnReached(spec, p, on_sync, sync_fd, *t, point));
    if (point == SyncPoint::kReady) return absl::OkStatus();
  }
}

// ChildPlan::stub_forks: the exec stub's fork, which the stub (the child,
// about to exit) reported. Only one pid is taken, and only of a child of
// ours other than the first: the fork shares the sync socket for a moment
// while it is visible in the container's pid namespace.
absl::Status TakeForkedPid(pid_t pid, Tracked* t) {
  if (t->pid != t->first_pid || pid == t->first_pid || pid <= 0) {
    return absl::InternalError(
        absl::StrCat("jail: exec stub: unexpected pid ", pid));
  }
  ASSIGN_OR_RETURN(base::ScopedFd pidfd, PidfdOpen(pid));
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  if (waitid(static_cast<idtype_t>(P_PIDFD), pidfd.get(), &info,
             WEXITED | WNOHANG | WNOWAIT) != 0) {
    return absl::InternalError(absl::StrCat(
        "jail: exec stub: pid ", pid, " is not our child: ", strerror(errno)));
  }
  RETURN_IF_ERROR(ReapPidfd(t->pidfd.get()));
  t->pid = pid;
  t->pidfd = std::move(pidfd);
  return absl::OkStatus();
}

// Without a start_fd: the child's end is close-on-exec, so EOF means its
// start hooks passed and execve succeeded, a message means either failed.
// Through a forking exec stub the fork's pid comes first (or, when the
// fork failed at once, right after its failure).
absl::Status AwaitExec(const JailSpec& spec, const Prepared& p, int sync_fd,
                       Tracked* t) {
  absl::Status failure;
  for (;;) {
    absl::StatusOr<ChildMsg> msg = ParentReceive(sync_fd);
    if (!msg.ok()) {
      if (!failure.ok()) return failure;
      if (!absl::IsNotFound(msg.status())) return msg.status();
      // The stub ended without a fork it told us of (killed, say): the
      // program never started, whatever the stub's exit status says.
      if (p.plan.stub_forks && t->pid == t->first_pid) {
        return absl::InternalError(absl::StrCat(
            "jail: the exec stub exited without reporting its fork (",
            DescribeExit(t->pidfd.get()), ")"));
      }
      return absl::OkStatus();
    }
    if (p.plan.stub_forks && msg->kind == MsgKind::kPid) {
      absl::Status taken = TakeForkedPid(msg->pid, t);
      if (!failure.ok()) return failure;
      RETURN_IF_ERROR(taken);
      continue;
    }
    if (msg->kind != MsgKind::kFailure) return failure;
    if (!failure.ok()) return failure;
    failure = FailureToStatus(*msg, spec);
    // The fork's pid may still be on its way: it must be reaped too.
    if (!p.plan.stub_forks || t->pid != t->first_pid) return failure;
  }
}

}  // namespace

absl::StatusOr<Jail> Jail::Start(const JailSpec& spec,
                                 const SyncCallback& on_sync) {
  Prepared p;
  RETURN_IF_ERROR(Prepare(spec, &p));
  base::ScopedFd sync;
  base::ScopedFd child_end;
  RETURN_IF_ERROR(MakeSyncSocket(&sync, &child_end));
  p.plan.sync_fd = child_end.get();
  p.plan.kept_fds = ListKeptFds(spec, p.plan);

  int raw_pidfd = -1;
  ASSIGN_OR_RETURN(
      pid_t first_pid,
      CloneChild(p.ns.clone_flags, spec.cgroup2_dir_fd, &raw_pidfd));
  if (first_pid == 0) {
    sync.reset();
    RunChild(p.plan);
  }
  Tracked t;
  t.first_pid = first_pid;
  t.first_pidfd = base::ScopedFd(raw_pidfd);
  child_end.reset();
  p.ns.owned.clear();
  if (!p.plan.fork_needed) {
    t.pid = first_pid;
    t.pidfd = std::move(t.first_pidfd);
  }
  absl::Cleanup kill_on_error = [&t] {
    KillAndReap(t.pidfd.get());
    KillAndReap(t.first_pidfd.get());
  };
  RETURN_IF_ERROR(DriveToReady(spec, p, on_sync, sync.get(), &t));
  if (spec.start_fd < 0) RETURN_IF_ERROR(AwaitExec(spec, p, sync.get(), &t));
  std::move(kill_on_error).Cancel();
  Jail jail(t.pid, std::move(t.pidfd), std::move(t.seccomp_listener));
  jail.child_phases_ = t.child_phases;
  return jail;
}

absl::Status Jail::Kill(int signal) {
  absl::Status s = PidfdSendSignal(pidfd_.get(), signal);
  if (!s.ok())
    return absl::Status(s.code(), absl::StrCat("jail: ", s.message()));
  return s;
}

absl::StatusOr<ExitStatus> Jail::Wait() {
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  while (waitid(static_cast<idtype_t>(P_PIDFD), pidfd_.get(), &info, WEXITED) !=
         0) {
    if (errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("jail: waitid(pid ", pid_, "): ", strerror(errno)));
    }
  }
  ExitStatus status;
  if (info.si_code == CLD_EXITED) {
    status.code = info.si_status;
  } else {
    status.signaled = true;
    status.signal = info.si_status;
  }
  return status;
}

}  // namespace shim
