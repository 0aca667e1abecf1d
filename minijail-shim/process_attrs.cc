#include "minijail-shim/process_attrs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/mounts.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

#ifndef PR_SCHED_CORE
#define PR_SCHED_CORE 62
#define PR_SCHED_CORE_CREATE 1
#endif
#ifndef PR_SCHED_CORE_SCOPE_THREAD_GROUP
#define PR_SCHED_CORE_SCOPE_THREAD_GROUP 1
#endif

namespace shim {
namespace {

[[noreturn]] void Fail(const ChildPlan& plan, Step step, int index, Op op,
                       int err) {
  ChildFail(plan.sync_fd, step, index, op, err);
}

// Writes `value` to `fd` and closes it; 0 or errno.
int WriteAndClose(int fd, const char* value) {
  const size_t len = strlen(value);
  const ssize_t n = write(fd, value, len);
  const int err = errno;
  close(fd);
  if (n < 0) return err;
  return static_cast<size_t>(n) == len ? 0 : EIO;
}

// 0 or errno, with *op set.
int WriteString(const char* path, const char* value, Op* op) {
  *op = Op::kOpen;
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  *op = Op::kWrite;
  return WriteAndClose(fd, value);
}

constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassShift = 13;

// glibc 2.36 has no sched_attr; this is the kernel's SCHED_ATTR_SIZE_VER0.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

absl::Status SetRlimits(const std::vector<RlimitSpec>& rlimits, pid_t pid) {
  for (size_t i = 0; i < rlimits.size(); ++i) {
    struct rlimit64 rl;
    rl.rlim_cur = rlimits[i].soft;
    rl.rlim_max = rlimits[i].hard;
    if (prlimit64(pid, static_cast<__rlimit_resource>(rlimits[i].resource), &rl,
                  nullptr) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("jail: rlimits[", i, "] (resource ", rlimits[i].resource,
                       "): prlimit: ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

absl::Status SetOomScoreAdj(int oom_score_adj, pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/oom_score_adj");
  const std::string value = absl::StrCat(oom_score_adj);
  base::ScopedFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd || write(fd.get(), value.data(), value.size()) !=
                 static_cast<ssize_t>(value.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "jail: oomScoreAdj ", value, ": ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status SetIoPriority(const IoPrioritySpec& io, pid_t pid) {
  const int value = (io.io_class << kIoprioClassShift) | io.priority;
  if (syscall(SYS_ioprio_set, kIoprioWhoProcess, pid, value) != 0) {
    const int err = errno;
    return absl::ErrnoToStatus(
        err, absl::StrCat("process.ioPriority: ioprio_set(class ", io.io_class,
                          ", priority ", io.priority, ")"));
  }
  return absl::OkStatus();
}

absl::Status SetScheduler(const SchedulerSpec& sched, pid_t pid) {
  SchedAttr attr;
  memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.sched_policy = static_cast<uint32_t>(sched.policy);
  attr.sched_flags = sched.flags;
  attr.sched_nice = sched.nice;
  attr.sched_priority = sched.priority;
  attr.sched_runtime = sched.runtime;
  attr.sched_deadline = sched.deadline;
  attr.sched_period = sched.period;
  if (syscall(SYS_sched_setattr, pid, &attr, 0) != 0) {
    const int err = errno;
    return absl::ErrnoToStatus(
        err, absl::StrCat("process.scheduler: sched_setattr(policy ",
                          sched.policy, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

bool HasAttributesFromParent(const JailSpec& spec) {
  return !spec.rlimits.empty() || spec.oom_score_adj.has_value() ||
         spec.io_priority.has_value() || spec.scheduler.has_value();
}

bool AttributesFitChild(const JailSpec& spec, ChildPlan* plan) {
  if (plan->in_user_ns || plan->fork_needed || spec.io_priority.has_value() ||
      spec.scheduler.has_value()) {
    return false;
  }
  if (spec.oom_score_adj.has_value()) {
    const std::string text = absl::StrCat(*spec.oom_score_adj);
    if (text.size() >= sizeof(plan->oom_score_adj_text)) return false;
    memcpy(plan->oom_score_adj_text, text.c_str(), text.size() + 1);
  }
  return true;
}

void SetOwnAttributes(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  for (size_t i = 0; i < spec.rlimits.size(); ++i) {
    struct rlimit64 rl;
    rl.rlim_cur = spec.rlimits[i].soft;
    rl.rlim_max = spec.rlimits[i].hard;
    if (prlimit64(0, static_cast<__rlimit_resource>(spec.rlimits[i].resource),
                  &rl, nullptr) != 0) {
      Fail(plan, Step::kRlimits, static_cast<int>(i), Op::kSyscall, errno);
    }
  }
  if (spec.oom_score_adj.has_value()) {
    Op op = Op::kNone;
    const int err =
        WriteString("/proc/self/oom_score_adj", plan.oom_score_adj_text, &op);
    if (err != 0) Fail(plan, Step::kOomScoreAdj, -1, op, err);
  }
}

absl::Status SetAttributesFromParent(const JailSpec& spec, pid_t pid) {
  RETURN_IF_ERROR(SetRlimits(spec.rlimits, pid));
  if (spec.oom_score_adj.has_value()) {
    RETURN_IF_ERROR(SetOomScoreAdj(*spec.oom_score_adj, pid));
  }
  if (spec.io_priority.has_value()) {
    RETURN_IF_ERROR(SetIoPriority(*spec.io_priority, pid));
  }
  if (spec.scheduler.has_value()) {
    RETURN_IF_ERROR(SetScheduler(*spec.scheduler, pid));
  }
  return absl::OkStatus();
}

void SetUtsNames(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (!spec.hostname.empty() &&
      sethostname(spec.hostname.c_str(), spec.hostname.size()) != 0) {
    Fail(plan, Step::kHostname, -1, Op::kSyscall, errno);
  }
  if (!spec.domainname.empty() &&
      setdomainname(spec.domainname.c_str(), spec.domainname.size()) != 0) {
    Fail(plan, Step::kDomainname, -1, Op::kSyscall, errno);
  }
}

void WriteSysctls(const ChildPlan& plan, const KeptMounts& kept) {
  const JailSpec& spec = *plan.spec;
  if (spec.sysctls.empty()) return;
  // Below the procfs the child mounted (or one of its own), never through
  // a lookup of /proc, which another writer may have made a symlink to a
  // decoy since (CVE-2025-52881). Called before the read-only paths make
  // /proc/sys read-only, as runc and crun do.
  int proc = kept.FdOf(plan.sysctl_proc_mount);
  int own = -1;
  if (proc < 0) {
    own = proc = OpenDetachedProc();
    if (proc < 0) Fail(plan, Step::kSysctls, -1, Op::kMount, -proc);
  }
  for (size_t i = 0; i < spec.sysctls.size(); ++i) {
    const int index = static_cast<int>(i);
    const int fd = OpenBeneath(proc, plan.sysctl_paths[i].c_str(), O_WRONLY);
    if (fd < 0) {
      Fail(plan, Step::kSysctls, index,
           fd == -ELOOP ? Op::kCrossesSymlink : Op::kOpen, -fd);
    }
    const int err = WriteAndClose(fd, spec.sysctls[i].second.c_str());
    if (err != 0) Fail(plan, Step::kSysctls, index, Op::kWrite, err);
  }
  if (own >= 0) close(own);
}

void SetProcessAttributes(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (spec.personality.has_value() && personality(*spec.personality) < 0) {
    Fail(plan, Step::kPersonality, -1, Op::kSyscall, errno);
  }
  // Kernels without CONFIG_SCHED_CORE (or CPUs without SMT) cannot do it;
  // the isolation it would add does not exist there to begin with.
  if (spec.core_sched &&
      prctl(PR_SCHED_CORE, PR_SCHED_CORE_CREATE, 0,
            PR_SCHED_CORE_SCOPE_THREAD_GROUP, 0) != 0 &&
      errno != EINVAL && errno != ENODEV) {
    Fail(plan, Step::kCoreSched, -1, Op::kPrctl, errno);
  }
  if (!spec.alt_syscall_table.empty() &&
      prctl(kPrAltSyscall, kPrAltSyscallSetSysnrTable,
            spec.alt_syscall_table.c_str(), 0, 0) != 0) {
    Fail(plan, Step::kAltSyscall, -1, Op::kPrctl, errno);
  }
  if (!spec.selinux_label.empty()) {
    Op op = Op::kNone;
    const int err = WriteString("/proc/thread-self/attr/exec",
                                spec.selinux_label.c_str(), &op);
    if (err != 0) Fail(plan, Step::kSelinux, -1, op, err);
  }
}

void SwitchIds(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (spec.caps.has_value() && spec.uid != 0) {
    // Locked securebits may already hold KEEP_CAPS; then this is a no-op
    // failure that changes nothing.
    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
  }
  // setgroups(2) is refused in a user namespace whose setgroups file says
  // "deny" (rootless); with no additional gids that refusal costs nothing.
  if (syscall(SYS_setgroups, spec.additional_gids.size(),
              spec.additional_gids.data()) != 0 &&
      !(errno == EPERM && spec.additional_gids.empty() && plan.new_user_ns)) {
    Fail(plan, Step::kSetgroups, -1, Op::kSyscall, errno);
  }
  // Raw syscalls: glibc's wrappers broadcast to every thread with signals,
  // which is neither needed nor safe here.
  if (syscall(SYS_setresgid, spec.gid, spec.gid, spec.gid) != 0) {
    Fail(plan, Step::kSetresgid, -1, Op::kSyscall, errno);
  }
  if (syscall(SYS_setresuid, spec.uid, spec.uid, spec.uid) != 0) {
    Fail(plan, Step::kSetresuid, -1, Op::kSyscall, errno);
  }
}

// CVE-2024-21626: a cwd of /proc/self/fd/N (or a rootfs symlink to it)
// once named a directory of the runtime's outside the container. The child
// holds no such fd any more (child_fds.h), and the cwd is also looked up
// inside the root only: RESOLVE_IN_ROOT from "/" (the container's since
// pivot_root) keeps ".." and absolute symlinks in it, RESOLVE_NO_MAGICLINKS
// refuses /proc/<pid>/fd/N, /proc/<pid>/cwd and the like. Then the result
// is checked: getcwd(2) puts "(unreachable)" before a cwd that is not
// below the process's root, so whatever the lookup did (or the chdir
// fallback for a seccomp profile without openat2), the program never starts
// outside the container. As before, a missing cwd is an error (runc and
// crun create it).
void SetUmaskAndCwd(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  umask(spec.umask.value_or(022));
  const char* cwd = spec.cwd.empty() ? "/" : spec.cwd.c_str();
  const int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) Fail(plan, Step::kCwd, -1, Op::kOpen, errno);
  int op = 0;
  const int fd = OpenInRoot(root, cwd, CreateMode::kNone, &op);
  close(root);
  if (fd == -ENOSYS || fd == -EPERM) {
    // openat2 refused as such (see exec.h); getcwd below still checks.
    if (chdir(cwd) != 0) Fail(plan, Step::kCwd, -1, Op::kChdir, errno);
  } else if (fd < 0) {
    Fail(plan, Step::kCwd, -1, static_cast<Op>(op), -fd);
  } else {
    const int rc = fchdir(fd);
    const int err = errno;
    close(fd);
    if (rc != 0) Fail(plan, Step::kCwd, -1, Op::kChdir, err);
  }
  char buf[PATH_MAX];
  const long n = syscall(SYS_getcwd, buf, sizeof(buf));
  if (n < 0) Fail(plan, Step::kCwd, -1, Op::kGetcwd, errno);
  if (n == 0 || buf[0] != '/') {
    Fail(plan, Step::kCwd, -1, Op::kCwdOutsideRoot, EXDEV);
  }
}

}  // namespace shim
