#include "minijail-shim/child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minijail-shim/caps.h"
#include "minijail-shim/child_fds.h"
#include "minijail-shim/console.h"
#include "minijail-shim/dev.h"
#include "minijail-shim/exec.h"
#include "minijail-shim/init.h"
#include "minijail-shim/mounts.h"
#include "minijail-shim/namespaces.h"
#include "minijail-shim/phase_timer.h"
#include "minijail-shim/process_attrs.h"
#include "minijail-shim/protected_paths.h"
#include "minijail-shim/seccomp.h"
#include "minijail-shim/start_channel.h"
#include "minijail-shim/start_hooks.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

[[noreturn]] void Fail(const ChildPlan& plan, Step step, Op op, int err) {
  ChildFail(plan.sync_fd, step, -1, op, err);
}

// dup2 of the spec's stdio onto 0/1/2. The sources are first moved above
// 2 so that e.g. stdin_fd == 1 is not clobbered by an earlier dup2.
void SetUpStdio(const ChildPlan& plan) {
  const int wanted[3] = {plan.spec->stdin_fd, plan.spec->stdout_fd,
                         plan.spec->stderr_fd};
  int moved[3] = {-1, -1, -1};
  for (int i = 0; i < 3; ++i) {
    if (wanted[i] < 0) continue;
    moved[i] = fcntl(wanted[i], F_DUPFD_CLOEXEC, 3);
    if (moved[i] < 0) Fail(plan, Step::kStdio, Op::kDup, errno);
  }
  for (int i = 0; i < 3; ++i) {
    if (moved[i] < 0) continue;
    if (dup2(moved[i], i) < 0) Fail(plan, Step::kStdio, Op::kDup, errno);
    close(moved[i]);
  }
}

// Only stdio and keep_fds reach the program. The checkpoints (child_fds.h)
// close the rest for real; close-on-exec on what is left is for the fds
// that live to execve.
void MarkFdsCloexec(const ChildPlan& plan) {
  if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    Fail(plan, Step::kFds, Op::kSyscall, errno);
  }
  for (int fd : plan.spec->keep_fds) {
    if (fcntl(fd, F_SETFD, 0) != 0) Fail(plan, Step::kFds, Op::kSyscall, errno);
  }
}

// After the id maps exist: be uid/gid 0 of the (new or joined) user
// namespace, so files created during setup belong to a mapped id.
void BecomeNamespaceRoot(const ChildPlan& plan) {
  if (!plan.in_user_ns) return;
  if (syscall(SYS_setresgid, 0, 0, 0) != 0) {
    Fail(plan, Step::kSetresgid, Op::kSyscall, errno);
  }
  if (syscall(SYS_setresuid, 0, 0, 0) != 0) {
    Fail(plan, Step::kSetresuid, Op::kSyscall, errno);
  }
}

// See JailSpec::cgroup_joins. First thing after clone, so that whatever the
// child allocates or forks during setup is already limited.
void JoinCgroups(const ChildPlan& plan) {
  const std::vector<CgroupJoinSpec>& joins = plan.spec->cgroup_joins;
  for (size_t i = 0; i < joins.size(); ++i) {
    if (write(joins[i].tasks_fd, "0", 1) != 1) {
      ChildFail(plan.sync_fd, Step::kCgroups, static_cast<int>(i), Op::kWrite,
                errno);
    }
  }
}

bool NeedsFilesystem(const JailSpec& spec) {
  return !spec.rootfs.empty() || !spec.mounts.empty() || spec.default_dev ||
         !spec.devices.empty();
}

void TimedLoadSeccomp(const ChildPlan& plan) {
  MarkChildPhase(ChildPhase::kSeccompStart);
  LoadSeccomp(plan);
  MarkChildPhase(ChildPhase::kSeccompEnd);
}

// Before the namespaces: no ptrace, the cgroups, stdio and no stray fds.
void SetUpProcess(const ChildPlan& plan) {
  // Nobody (not even a process in the container) may ptrace or read our
  // memory while it still holds the host's view; execve resets it. First,
  // before the cgroup joins: a frozen cgroup (exec --ignore-paused) stops
  // the child right there.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    Fail(plan, Step::kDumpable, Op::kPrctl, errno);
  }
  JoinCgroups(plan);
  MarkChildPhase(ChildPhase::kCgroupsJoined);
  SetUpStdio(plan);
  // CVE-2024-21626: none of the runtime's fds stays in the child.
  CloseFdsAt(plan, FdCheckpoint::kStdio);
  MarkFdsCloexec(plan);
  // Device nodes and created paths get exactly the modes asked for.
  umask(0);
}

// Into the namespaces, through kCloned (the parent writes the id maps),
// then root of the user namespace and the late cgroup namespace.
void EnterJailNamespaces(const ChildPlan& plan) {
  // Before any setns: an exec's child would otherwise open
  // /proc/self/oom_score_adj in the container's mount namespace, whose
  // /proc the container controls. clone3's own new mount namespace is
  // still the parent's copy here.
  if (plan.attributes_in_child) SetOwnAttributes(plan);
  if (!plan.joins.empty() || plan.unshare_flags != 0 || plan.fork_needed) {
    EnterNamespaces(plan);
  }
  CloseFdsAt(plan, FdCheckpoint::kNamespaces);
  MarkChildPhase(ChildPhase::kNamespaces);
  ChildSyncAt(plan.sync_fd, SyncPoint::kCloned, plan.waits_at_cloned);
  MarkChildPhase(ChildPhase::kClonedAcked);
  BecomeNamespaceRoot(plan);
  if (plan.late_unshare_flags != 0 && unshare(plan.late_unshare_flags) != 0) {
    Fail(plan, Step::kUnshare, Op::kSyscall, errno);
  }
}

// The mounts and device nodes, through kPreChroot. The new root's fd, or
// -1 without a filesystem part.
int MountFilesystem(const ChildPlan& plan, KeptMounts* kept) {
  const JailSpec& spec = *plan.spec;
  int root_fd = -1;
  if (NeedsFilesystem(spec)) {
    root_fd = PrepareRoot(plan);
    // A spec without a /dev mount gets the shim's first, under everything
    // it mounts below /dev; a spec's /dev tmpfs gets the nodes in its place.
    if (spec.default_dev) MakeDefaultDev(plan, root_fd);
    ApplyMounts(plan, root_fd, kept);
    MakeDevices(plan, root_fd);
  }
  MarkChildPhase(ChildPhase::kMounts);
  ChildSyncAt(plan.sync_fd, SyncPoint::kPreChroot, plan.waits_at_prechroot);
  MarkChildPhase(ChildPhase::kPreChrootAcked);
  return root_fd;
}

// pivot_root and what is done through the kept mounts after it.
void FinishFilesystem(const ChildPlan& plan, int root_fd, KeptMounts* kept) {
  const JailSpec& spec = *plan.spec;
  PrepareMaskSources(plan, kept);
  if (!spec.rootfs.empty()) PivotRoot(plan, root_fd);
  if (root_fd >= 0) close(root_fd);
  if (NeedsFilesystem(spec) || !spec.masked_paths.empty() ||
      !spec.readonly_paths.empty()) {
    FinishRoot(plan);
  }
  SetUtsNames(plan);
  // Sysctls before the read-only paths (/proc/sys), masks last, all through
  // the mounts kept since ApplyMounts; those fds go before the checkpoint.
  WriteSysctls(plan, *kept);
  ProtectPaths(plan, kept);
  SetRootPropagation(plan);
  kept->CloseAll();
  CloseFdsAt(plan, FdCheckpoint::kRoot);
  MarkChildPhase(ChildPhase::kPivotRoot);
}

// Console, process attributes, seccomp, ids and capabilities.
void LockDown(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  SetUpConsole(plan);
  // From here to execve: only stdio, keep_fds and the kExec fds.
  CloseFdsAt(plan, FdCheckpoint::kConsole);
  SetProcessAttributes(plan);
  // Without no_new_privs the kernel wants CAP_SYS_ADMIN to install a
  // filter, so it goes in before the capabilities are dropped (as runc).
  if (!spec.no_new_privs) TimedLoadSeccomp(plan);
  LockSecurebits(plan);
  DropBoundingSet(plan);
  SwitchIds(plan);
  ApplyCaps(plan);
  if (spec.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    Fail(plan, Step::kNoNewPrivs, Op::kPrctl, errno);
  }
  SetUmaskAndCwd(plan);
  // A process-less create (argv empty) has nothing to check: it can never
  // execve anyway.
  if (spec.start_fd >= 0 && !spec.argv.empty()) CheckProgram(plan);
  if (spec.no_new_privs) TimedLoadSeccomp(plan);
}

// kReady, the start signal, start hooks, the optional reaping init, execve.
[[noreturn]] void StartProgram(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  MarkChildPhase(ChildPhase::kReady);
  ChildSyncAt(plan.sync_fd, SyncPoint::kReady, true);
  if (spec.start_fd >= 0) ChildAwaitStart(plan);
  RunStartHooks(spec, plan.start_hooks, plan.start_hooks_state_fd,
                plan.sync_fd);
  if (!spec.run_as_init) {
    sigset_t saved;
    BlockAllSignals(&saved);
    // A raw fork: glibc's fork() runs atfork handlers that take malloc
    // locks another thread of the runtime may have held at clone time.
    const pid_t pid =
        static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0));
    if (pid < 0) Fail(plan, Step::kInit, Op::kClone, errno);
    if (pid > 0) RunInit(pid);
    sigprocmask(SIG_SETMASK, &saved, nullptr);
  }
  ExecProgram(plan);
}

}  // namespace

void RunChild(const ChildPlan& plan) {
  MarkChildPhase(ChildPhase::kStart);
  SetUpProcess(plan);
  EnterJailNamespaces(plan);
  KeptMounts kept;
  const int root_fd = MountFilesystem(plan, &kept);
  FinishFilesystem(plan, root_fd, &kept);
  LockDown(plan);
  StartProgram(plan);
}

}  // namespace shim
