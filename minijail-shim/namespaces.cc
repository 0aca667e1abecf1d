#include "minijail-shim/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

constexpr int kKnownFlags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS |
                            CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER |
                            CLONE_NEWCGROUP | CLONE_NEWTIME;

bool IsSingleFlag(int flag) {
  return (flag & kKnownFlags) == flag && flag != 0 && (flag & (flag - 1)) == 0;
}

}  // namespace

bool CreatesNamespace(const JailSpec& spec, int clone_flag) {
  for (const NamespaceSpec& ns : spec.namespaces) {
    if (ns.clone_flag == clone_flag && ns.path.empty()) return true;
  }
  return false;
}

bool HasNamespace(const JailSpec& spec, int clone_flag) {
  for (const NamespaceSpec& ns : spec.namespaces) {
    if (ns.clone_flag == clone_flag) return true;
  }
  return false;
}

absl::StatusOr<NamespacePlan> PlanNamespaces(const JailSpec& spec,
                                             ChildPlan* plan) {
  NamespacePlan out;
  int seen = 0;
  int new_flags = 0;
  int joined_flags = 0;
  for (size_t i = 0; i < spec.namespaces.size(); ++i) {
    const NamespaceSpec& ns = spec.namespaces[i];
    if (!IsSingleFlag(ns.clone_flag)) {
      return absl::InvalidArgumentError(absl::StrCat("jail: namespaces[", i,
                                                     "]: unknown clone flag 0x",
                                                     absl::Hex(ns.clone_flag)));
    }
    if (seen & ns.clone_flag) {
      return absl::InvalidArgumentError(
          absl::StrCat("jail: namespaces[", i, "]: listed twice"));
    }
    seen |= ns.clone_flag;
    if (ns.path.empty()) {
      new_flags |= ns.clone_flag;
      continue;
    }
    joined_flags |= ns.clone_flag;
    base::ScopedFd fd(open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      return absl::NotFoundError(absl::StrCat("jail: namespaces[", i, "] (",
                                              ns.path,
                                              "): open: ", strerror(errno)));
    }
    NamespaceJoin join{fd.get(), ns.clone_flag, static_cast<int>(i)};
    // Joining the user namespace first gives us its capabilities for the
    // namespaces it owns.
    if (ns.clone_flag == CLONE_NEWUSER) {
      plan->joins.insert(plan->joins.begin(), join);
    } else {
      plan->joins.push_back(join);
    }
    out.owned.push_back(std::move(fd));
  }
  plan->new_user_ns = (new_flags & CLONE_NEWUSER) != 0;
  plan->new_ipc_ns = (new_flags & CLONE_NEWIPC) != 0;
  plan->in_user_ns = ((new_flags | joined_flags) & CLONE_NEWUSER) != 0;
  // A cgroup namespace is rooted at the cgroup its creator is in. The
  // runtime moves the child into the container's cgroups only in the
  // kCloned callback, so the namespace is made right after it (as runc).
  plan->late_unshare_flags = new_flags & CLONE_NEWCGROUP;
  new_flags &= ~CLONE_NEWCGROUP;
  if (!spec.time_offsets.empty()) {
    if (!(new_flags & CLONE_NEWTIME)) {
      return absl::InvalidArgumentError(
          "jail: time offsets: need a new time namespace");
    }
    plan->write_time_offsets = true;
  }
  if (joined_flags == 0 && !plan->write_time_offsets) {
    out.clone_flags = new_flags;
    return out;
  }
  out.two_stage = true;
  const int child_only = CLONE_NEWPID | CLONE_NEWTIME;
  plan->unshare_flags = new_flags & ~child_only;
  plan->fork_unshare_flags = new_flags & child_only;
  plan->fork_needed =
      plan->fork_unshare_flags != 0 || (joined_flags & CLONE_NEWPID) != 0;
  if (spec.exec_stub_fd >= 0 && plan->fork_unshare_flags == 0 &&
      (joined_flags & CLONE_NEWPID) != 0) {
    plan->fork_needed = false;
    plan->stub_forks = true;
  }
  return out;
}

void EnterNamespaces(const ChildPlan& plan) {
  for (const NamespaceJoin& join : plan.joins) {
    if (setns(join.fd, join.clone_flag) != 0) {
      ChildFail(plan.sync_fd, Step::kSetns, join.spec_index, Op::kSyscall,
                errno);
    }
    close(join.fd);
  }
  if (plan.unshare_flags != 0 && unshare(plan.unshare_flags) != 0) {
    ChildFail(plan.sync_fd, Step::kUnshare, -1, Op::kSyscall, errno);
  }
  if (!plan.fork_needed) return;
  if (plan.fork_unshare_flags != 0 && unshare(plan.fork_unshare_flags) != 0) {
    ChildFail(plan.sync_fd, Step::kUnshare, -1, Op::kSyscall, errno);
  }
  // The offsets of a time namespace are writable only until a process
  // enters it, i.e. before the fork below.
  if (plan.write_time_offsets) {
    ChildRequest(plan.sync_fd, MsgKind::kTimeNamespaceMade);
  }
  // CLONE_PARENT: the container process becomes the runtime's child, so the
  // runtime can wait for it; the exit signal is inherited from us (SIGCHLD).
  struct clone_args args;
  memset(&args, 0, sizeof(args));
  args.flags = CLONE_PARENT;
  const long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid < 0) ChildFail(plan.sync_fd, Step::kFork, -1, Op::kClone, errno);
  if (pid == 0) return;
  ChildSendPid(plan.sync_fd, static_cast<pid_t>(pid));
  _exit(0);
}

}  // namespace shim
