#include "minijail-shim/sync_pipe.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "minijail-shim/exec_stub/stub_abi.h"

namespace shim {
namespace {

constexpr int kChildFailExit = 126;

void SendAll(int fd, const ChildMsg& msg) {
  // MSG_NOSIGNAL: the parent may have gone (create/start split), and a
  // SIGPIPE here would hide the real exit status.
  while (send(fd, &msg, sizeof(msg), MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

const char* StepName(Step step) {
  switch (step) {
    case Step::kStdio:
      return "stdio";
    case Step::kFds:
      return "fds";
    case Step::kDumpable:
      return "dumpable";
    case Step::kSetns:
      return "namespaces";
    case Step::kUnshare:
      return "unshare";
    case Step::kFork:
      return "pid namespace fork";
    case Step::kRootPropagation:
      return "root propagation";
    case Step::kRootBind:
      return "rootfs";
    case Step::kMounts:
      return "mounts";
    case Step::kDefaultDev:
      return "default /dev";
    case Step::kDevices:
      return "devices";
    case Step::kPivotRoot:
      return "pivot_root";
    case Step::kReadonlyRoot:
      return "readonly rootfs";
    case Step::kMaskedPaths:
      return "maskedPaths";
    case Step::kReadonlyPaths:
      return "readonlyPaths";
    case Step::kHostname:
      return "hostname";
    case Step::kDomainname:
      return "domainname";
    case Step::kSysctls:
      return "sysctls";
    case Step::kRlimits:
      return "rlimits";
    case Step::kOomScoreAdj:
      return "oomScoreAdj";
    case Step::kPersonality:
      return "personality";
    case Step::kCoreSched:
      return "core scheduling";
    case Step::kAltSyscall:
      return "alt-syscall";
    case Step::kSelinux:
      return "selinux label";
    case Step::kSecurebits:
      return "securebits";
    case Step::kBoundingSet:
      return "bounding set";
    case Step::kSetgroups:
      return "additional gids";
    case Step::kSetresgid:
      return "gid";
    case Step::kSetresuid:
      return "uid";
    case Step::kCapabilities:
      return "capabilities";
    case Step::kAmbientCaps:
      return "ambient capabilities";
    case Step::kNoNewPrivs:
      return "no_new_privs";
    case Step::kUmask:
      return "umask";
    case Step::kCwd:
      return "process.cwd";
    case Step::kSeccomp:
      return "seccomp";
    case Step::kStartFd:
      return "start fd";
    case Step::kInit:
      return "init";
    case Step::kExec:
      return "exec";
    case Step::kCgroups:
      return "cgroups";
    case Step::kConsole:
      return "console";
    case Step::kStartHooks:
      return "startContainer hooks";
    case Step::kCopyUp:
      return "mounts";
  }
  return "unknown step";
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kNone:
      return "";
    case Op::kOpen:
      return "open";
    case Op::kResolve:
      return "resolve in root";
    case Op::kMkdir:
      return "mkdir";
    case Op::kMknod:
      return "mknod";
    case Op::kChown:
      return "chown";
    case Op::kSymlink:
      return "symlink";
    case Op::kCreateFile:
      return "create file";
    case Op::kMount:
      return "mount";
    case Op::kRemount:
      return "remount";
    case Op::kPropagation:
      return "set propagation";
    case Op::kUmount:
      return "umount";
    case Op::kStatfs:
      return "statfs";
    case Op::kStat:
      return "stat";
    case Op::kChdir:
      return "chdir";
    case Op::kWrite:
      return "write";
    case Op::kRead:
      return "read";
    case Op::kPrctl:
      return "prctl";
    case Op::kSyscall:
      return "syscall";
    case Op::kDup:
      return "dup2";
    case Op::kClone:
      return "clone";
    case Op::kExecve:
      return "execve";
    case Op::kGetcwd:
      return "getcwd";
    case Op::kCwdOutsideRoot:
      return "";
    case Op::kAccept:
      return "accept";
    case Op::kWait:
      return "wait";
    case Op::kChmod:
      return "chmod";
    case Op::kCopyData:
      return "copy data";
    case Op::kCrossesSymlink:
      return "is or crosses a symlink";
    case Op::kNotNullDevice:
      return "/dev/null is not the 1:3 character device";
    case Op::kNotDevpts:
      return "/dev/pts is not a devpts mount";
    case Op::kNotPtyMaster:
      return "/dev/pts/ptmx is not the 5:2 pty multiplexer";
    case Op::kCopyUpTooDeep:
      return "directories nested too deep to copy";
  }
  return "unknown op";
}

bool IsRefusal(Op op) {
  return op == Op::kCrossesSymlink || op == Op::kNotNullDevice ||
         op == Op::kNotDevpts || op == Op::kNotPtyMaster ||
         op == Op::kCopyUpTooDeep;
}

// "proc mount point is or crosses a symlink", "/dev/pts is or crosses ...".
std::string RefusalText(const ChildMsg& msg, const JailSpec& spec) {
  const size_t i = static_cast<size_t>(msg.index);
  if (msg.op == Op::kCrossesSymlink && msg.step == Step::kMounts &&
      msg.index >= 0 && i < spec.mounts.size()) {
    return absl::StrCat(spec.mounts[i].type, " mount point ", OpName(msg.op));
  }
  if (msg.op == Op::kCrossesSymlink && msg.step == Step::kConsole) {
    return absl::StrCat("/dev/pts ", OpName(msg.op));
  }
  return OpName(msg.op);
}

// What element `index` of the step's list was, for the message.
std::string Detail(const ChildMsg& msg, const JailSpec& spec) {
  const size_t i = static_cast<size_t>(msg.index);
  if (msg.index < 0) return "";
  switch (msg.step) {
    case Step::kSetns:
      return i < spec.namespaces.size() ? spec.namespaces[i].path : "";
    case Step::kMounts:
    case Step::kCopyUp:
      return i < spec.mounts.size() ? spec.mounts[i].target : "";
    case Step::kCgroups:
      return i < spec.cgroup_joins.size() ? spec.cgroup_joins[i].path : "";
    case Step::kDevices:
      return i < spec.devices.size() ? spec.devices[i].path : "";
    case Step::kMaskedPaths:
      return i < spec.masked_paths.size() ? spec.masked_paths[i] : "";
    case Step::kReadonlyPaths:
      return i < spec.readonly_paths.size() ? spec.readonly_paths[i] : "";
    case Step::kSysctls:
      return i < spec.sysctls.size() ? spec.sysctls[i].first : "";
    case Step::kRlimits:
      return i < spec.rlimits.size()
                 ? absl::StrCat("resource ", spec.rlimits[i].resource)
                 : "";
    case Step::kAmbientCaps:
      return absl::StrCat("cap ", msg.index);
    case Step::kDefaultDev: {
      static const char* const kNames[] = {
          "/dev",        "/dev/null",    "/dev/zero", "/dev/full",
          "/dev/random", "/dev/urandom", "/dev/tty",  "/dev/pts",
          "/dev/shm",    "/dev/mqueue",  "/dev/fd",   "/dev/stdin",
          "/dev/stdout", "/dev/stderr",  "/dev/ptmx"};
      return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "";
    }
    default:
      return "";
  }
}

}  // namespace

void ChildFail(int fd, Step step, int index, Op op, int err) {
  ChildMsg msg;
  msg.kind = MsgKind::kFailure;
  msg.step = step;
  msg.index = index;
  msg.op = op;
  msg.err = err;
  SendAll(fd, msg);
  _exit(kChildFailExit);
}

// Sends `msg` and blocks until the parent acknowledges it.
static void SendAndWaitForAck(int fd, const ChildMsg& msg) {
  SendAll(fd, msg);
  char ack = 0;
  ssize_t n;
  do {
    n = recv(fd, &ack, 1, 0);
  } while (n < 0 && errno == EINTR);
  // No ack: the parent failed or went away; it kills us anyway.
  if (n != 1 || ack != 1) _exit(kChildFailExit);
}

void ChildSyncAt(int fd, SyncPoint point, bool wait_for_ack) {
  ChildMsg msg;
  msg.kind = MsgKind::kReached;
  msg.point = static_cast<int32_t>(point);
  msg.phases = g_child_phase_stamps;
  if (wait_for_ack) {
    SendAndWaitForAck(fd, msg);
  } else {
    SendAll(fd, msg);
  }
}

void ChildRequest(int fd, MsgKind kind) {
  ChildMsg msg;
  msg.kind = kind;
  SendAndWaitForAck(fd, msg);
}

void ChildSendPid(int fd, pid_t pid) {
  ChildMsg msg;
  msg.kind = MsgKind::kPid;
  msg.pid = pid;
  SendAll(fd, msg);
}

void ChildSendFd(int fd, MsgKind kind, int passed) {
  ChildMsg msg;
  msg.kind = kind;
  struct iovec iov = {&msg, sizeof(msg)};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof(control));
  struct msghdr hdr;
  memset(&hdr, 0, sizeof(hdr));
  hdr.msg_iov = &iov;
  hdr.msg_iovlen = 1;
  hdr.msg_control = control.buf;
  hdr.msg_controllen = sizeof(control.buf);
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&hdr);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &passed, sizeof(int));
  while (sendmsg(fd, &hdr, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

namespace {

// The exec stub's record (exec_stub/stub_abi.h), received into the start
// of `raw`, as the child's own: its fork's pid (kPid), or a failed fork,
// terminal or execve.
absl::StatusOr<ChildMsg> FromStubReport(const ChildMsg* raw) {
  exec_stub::Report report;
  memcpy(&report, raw, sizeof(report));
  if (report.magic != exec_stub::kReportMagic) {
    return absl::InternalError(
        "jail: sync socket: a message of the wrong size");
  }
  ChildMsg msg;
  msg.kind = MsgKind::kFailure;
  msg.step = Step::kExec;
  msg.index = report.tag;
  msg.op = Op::kSyscall;
  msg.err = report.err;
  switch (report.stage) {
    case exec_stub::kForked:
      msg.kind = MsgKind::kPid;
      msg.pid = report.value;
      break;
    case exec_stub::kExecveat:
      msg.op = Op::kExecve;
      break;
    case exec_stub::kFork:
      msg.step = Step::kFork;
      msg.index = -1;
      msg.op = Op::kClone;
      break;
    case exec_stub::kTerminal:
      msg.step = Step::kConsole;
      msg.index = -1;
      break;
    default:
      break;
  }
  return msg;
}

}  // namespace

absl::StatusOr<ChildMsg> ParentReceive(int fd, base::ScopedFd* passed) {
  ChildMsg msg;
  struct iovec iov = {&msg, sizeof(msg)};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  struct msghdr hdr;
  memset(&hdr, 0, sizeof(hdr));
  hdr.msg_iov = &iov;
  hdr.msg_iovlen = 1;
  hdr.msg_control = control.buf;
  hdr.msg_controllen = sizeof(control.buf);
  ssize_t n;
  do {
    n = recvmsg(fd, &hdr, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    for (struct cmsghdr* c = CMSG_FIRSTHDR(&hdr); c != nullptr;
         c = CMSG_NXTHDR(&hdr, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      int got = -1;
      memcpy(&got, CMSG_DATA(c), sizeof(int));
      base::ScopedFd owned(got);
      if (passed != nullptr) *passed = std::move(owned);
    }
  }
  if (n < 0) {
    return absl::InternalError(
        absl::StrCat("jail: sync socket: recv: ", strerror(errno)));
  }
  if (n == 0) return absl::NotFoundError("jail: child exited during setup");
  if (n == sizeof(exec_stub::Report)) return FromStubReport(&msg);
  if (n != sizeof(msg)) {
    return absl::InternalError(
        absl::StrCat("jail: sync socket: short message of ", n, " bytes"));
  }
  return msg;
}

absl::Status ParentAck(int fd) {
  const char ack = 1;
  if (send(fd, &ack, 1, MSG_NOSIGNAL) != 1) {
    return absl::InternalError(
        absl::StrCat("jail: sync socket: send: ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status FailureToStatus(const ChildMsg& msg, const JailSpec& spec) {
  if (msg.step == Step::kStartHooks) {
    const size_t i = static_cast<size_t>(msg.index);
    return HookFailureToStatus(
        msg, msg.index >= 0 && i < spec.start_hooks.size()
                 ? spec.start_hooks[i].name
                 : absl::StrCat("startContainer hook ", msg.index));
  }
  if (msg.step == Step::kAltSyscall && msg.err == EINVAL) {
    return absl::UnimplementedError(
        absl::StrCat("jail: alt-syscall table ", spec.alt_syscall_table,
                     ": not supported by this kernel"));
  }
  std::string where = StepName(msg.step);
  const std::string detail = Detail(msg, spec);
  const bool is_list_step =
      msg.step == Step::kMounts || msg.step == Step::kDevices ||
      msg.step == Step::kMaskedPaths || msg.step == Step::kReadonlyPaths ||
      msg.step == Step::kSysctls || msg.step == Step::kRlimits ||
      msg.step == Step::kSetns || msg.step == Step::kCgroups ||
      msg.step == Step::kCopyUp;
  if (is_list_step && msg.index >= 0) {
    const size_t i = static_cast<size_t>(msg.index);
    absl::StrAppend(&where, "[",
                    (msg.step == Step::kMounts || msg.step == Step::kCopyUp) &&
                            i < spec.mounts.size()
                        ? MountNumber(spec.mounts[i], i)
                        : i,
                    "]");
  }
  if (!detail.empty()) absl::StrAppend(&where, " (", detail, ")");
  if (msg.step == Step::kCopyUp) absl::StrAppend(&where, ": tmpcopyup");
  if (msg.step == Step::kExec && !spec.argv.empty()) {
    absl::StrAppend(&where, " (", spec.argv[0], ")");
    // exec.cc: the index is how many #! interpreters deep it failed.
    if (msg.index > 0) absl::StrAppend(&where, ": #! interpreter ", msg.index);
  }
  if (msg.step == Step::kCwd) absl::StrAppend(&where, " ", spec.cwd);
  if (msg.op == Op::kCwdOutsideRoot) {
    return absl::PermissionDeniedError(absl::StrCat(
        "jail: ", where, ": resolves outside the container's root"));
  }
  if (IsRefusal(msg.op)) {
    return absl::PermissionDeniedError(
        absl::StrCat("jail: ", where, ": ", RefusalText(msg, spec)));
  }
  std::string text = absl::StrCat("jail: ", where, ": ");
  if (msg.op != Op::kNone) absl::StrAppend(&text, OpName(msg.op), ": ");
  absl::StrAppend(&text, strerror(msg.err));
  // RESOLVE_NO_MAGICLINKS answers ELOOP (CVE-2019-5736, CVE-2024-21626).
  if (msg.err == ELOOP && (msg.op == Op::kResolve || msg.op == Op::kOpen) &&
      (msg.step == Step::kCwd || msg.step == Step::kExec)) {
    absl::StrAppend(&text,
                    " (a symlink loop, or a /proc magic link such as "
                    "/proc/self/fd/N or /proc/self/exe, which is not "
                    "followed)");
  }
  switch (msg.err) {
    case EPERM:
    case EACCES:
      return absl::PermissionDeniedError(text);
    case ENOENT:
      return absl::NotFoundError(text);
    case EINVAL:
    case EXDEV:
    case ELOOP:
      return absl::InvalidArgumentError(text);
    default:
      return absl::InternalError(text);
  }
}

absl::Status HookFailureToStatus(const ChildMsg& msg, absl::string_view name) {
  switch (msg.hook_result) {
    case HookResult::kExited:
      return absl::AbortedError(
          absl::StrCat(name, ": exited with status ", msg.hook_value));
    case HookResult::kSignaled:
      return absl::AbortedError(
          absl::StrCat(name, ": killed by signal ", msg.hook_value));
    case HookResult::kTimedOut:
      return absl::DeadlineExceededError(
          absl::StrCat(name, ": timed out after ", msg.hook_value, "s"));
    case HookResult::kSpawn:
      break;
  }
  const std::string text =
      absl::StrCat(name, ": ", OpName(msg.op), ": ", strerror(msg.err));
  return msg.err == ENOENT ? absl::NotFoundError(text)
                           : absl::InternalError(text);
}

}  // namespace shim
