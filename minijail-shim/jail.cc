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

// What the parent does for the child at kCloned, before the callback.
absl::Status SetUpFromParent(const JailSpec& spec, const ChildPlan& plan,
                             pid_t pid) {
  if (plan.new_user_ns) {
    RETURN_IF_ERROR(WriteIdMaps(pid, spec.uid_map, spec.gid_map));
  }
  return SetAttributesFromParent(spec, pid);
}

}  // namespace

absl::StatusOr<Jail> Jail::Start(const JailSpec& spec,
                                 const SyncCallback& on_sync) {
  RETURN_IF_ERROR(ValidateSpec(spec));
  ChildPlan plan;
  absl::Cleanup free_caps = [&plan] {
    if (plan.caps != nullptr) cap_free(plan.caps);
  };
  RETURN_IF_ERROR(BuildPlan(spec, &plan));
  ASSIGN_OR_RETURN(NamespacePlan ns, PlanNamespaces(spec, &plan));
  std::vector<base::ScopedFd> idmap_userns;  // until Start returns
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const MountSpec& m = spec.mounts[i];
    if (m.uid_mappings.empty() && m.gid_mappings.empty()) continue;
    ASSIGN_OR_RETURN(base::ScopedFd fd,
                     MakeIdMapUserNamespace(m.uid_mappings, m.gid_mappings));
    plan.mounts[i].userns_fd = fd.get();
    idmap_userns.push_back(std::move(fd));
  }

  base::ScopedFd hook_state;  // until Start returns; the child keeps its copy
  if (!spec.start_hooks.empty()) {
    RETURN_IF_ERROR(ValidateStartHooks(spec));
    plan.start_hooks = PlanStartHooks(spec);
    ASSIGN_OR_RETURN(hook_state, MakeHookStateFile());
    plan.start_hooks_state_fd = hook_state.get();
  }

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return absl::InternalError(
        absl::StrCat("jail: socketpair: ", strerror(errno)));
  }
  base::ScopedFd sync(sv[0]);
  base::ScopedFd child_end(sv[1]);
  plan.sync_fd = child_end.get();
  plan.kept_fds = ListKeptFds(spec, plan);

  int raw_pidfd = -1;
  ASSIGN_OR_RETURN(pid_t first_pid,
                   CloneChild(ns.clone_flags, spec.cgroup2_dir_fd, &raw_pidfd));
  if (first_pid == 0) {
    sync.reset();
    RunChild(plan);
  }
  base::ScopedFd first_pidfd(raw_pidfd);
  child_end.reset();
  ns.owned.clear();

  // In the two-stage fork case the container process is a grandchild
  // (reparented to us by CLONE_PARENT) and the first child only relays it.
  pid_t pid = plan.fork_needed ? -1 : first_pid;
  base::ScopedFd pidfd =
      plan.fork_needed ? base::ScopedFd() : std::move(first_pidfd);
  absl::Cleanup kill_on_error = [&] {
    KillAndReap(pidfd.get());
    KillAndReap(first_pidfd.get());
  };

  bool cloned_pending = false;
  base::ScopedFd seccomp_listener;
  PhaseStamps child_phases;
  auto on_reached = [&](SyncPoint point) -> absl::Status {
    if (point == SyncPoint::kCloned) {
      RETURN_IF_ERROR(SetUpFromParent(spec, plan, pid));
    }
    // The pid is known for sure by now (a late one from the second fork
    // came with kPid before kCloned), and the child reads the state only
    // after this ack.
    if (point == SyncPoint::kReady && hook_state) {
      RETURN_IF_ERROR(
          FillHookStateFile(hook_state.get(), spec.start_hooks_state(pid)));
    }
    if (on_sync) RETURN_IF_ERROR(on_sync(point, pid));
    return ParentAck(sync.get());
  };
  for (;;) {
    base::ScopedFd passed;
    absl::StatusOr<ChildMsg> msg = ParentReceive(sync.get(), &passed);
    if (!msg.ok()) {
      if (absl::IsNotFound(msg.status())) {
        return absl::InternalError(absl::StrCat(
            "jail: the child exited during setup without reporting why (",
            DescribeExit(pidfd.is_valid() ? pidfd.get() : first_pidfd.get()),
            ")"));
      }
      return msg.status();
    }
    if (msg->kind == MsgKind::kFailure) return FailureToStatus(*msg, spec);
    if (msg->kind == MsgKind::kSeccompListener) {
      if (!passed) {
        return absl::InternalError("jail: seccomp listener fd did not arrive");
      }
      seccomp_listener = std::move(passed);
      continue;
    }
    if (msg->kind == MsgKind::kTimeNamespaceMade) {
      RETURN_IF_ERROR(WriteTimeOffsets(first_pid, spec.time_offsets));
      RETURN_IF_ERROR(ParentAck(sync.get()));
      continue;
    }
    if (msg->kind == MsgKind::kPid) {
      pid = msg->pid;
      ASSIGN_OR_RETURN(pidfd, PidfdOpen(pid));
      RETURN_IF_ERROR(ReapPidfd(first_pidfd.get()));
      first_pidfd.reset();
      if (cloned_pending) {
        cloned_pending = false;
        RETURN_IF_ERROR(on_reached(SyncPoint::kCloned));
      }
      continue;
    }
    const auto point = static_cast<SyncPoint>(msg->point);
    child_phases = msg->phases;
    if (point == SyncPoint::kCloned && pid < 0) {
      cloned_pending = true;  // the relay's kPid is still on its way
      continue;
    }
    RETURN_IF_ERROR(on_reached(point));
    if (point == SyncPoint::kReady) break;
  }
  if (spec.start_fd < 0) {
    // The child's end is close-on-exec: EOF means its start hooks passed
    // and execve succeeded, a message means either failed.
    absl::StatusOr<ChildMsg> msg = ParentReceive(sync.get());
    if (msg.ok() && msg->kind == MsgKind::kFailure) {
      return FailureToStatus(*msg, spec);
    }
    if (!msg.ok() && !absl::IsNotFound(msg.status())) return msg.status();
  }
  std::move(kill_on_error).Cancel();
  Jail jail(pid, std::move(pidfd), std::move(seccomp_listener));
  jail.child_phases_ = child_phases;
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
