// The parent<->child channel of a Jail: a SOCK_SEQPACKET socketpair, so every
// message arrives whole. The child never formats text: it sends fixed-size
// records (what it reached, or the step, index, operation and errno of what
// failed) and the parent turns a failure into one absl::Status line.
#ifndef MINIJAIL_SHIM_SYNC_PIPE_H_
#define MINIJAIL_SHIM_SYNC_PIPE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/phase_timer.h"

namespace shim {

// The child's setup steps; the parent names the failing one in its error.
enum class Step : int32_t {
  kStdio,
  kFds,
  kDumpable,
  kSetns,
  kUnshare,
  kFork,
  kRootPropagation,
  kRootBind,
  kMounts,
  kDefaultDev,
  kDevices,
  kPivotRoot,
  kReadonlyRoot,
  kMaskedPaths,
  kReadonlyPaths,
  kHostname,
  kDomainname,
  kSysctls,
  kRlimits,
  kOomScoreAdj,
  kPersonality,
  kCoreSched,
  kAltSyscall,
  kSelinux,
  kSecurebits,
  kBoundingSet,
  kSetgroups,
  kSetresgid,
  kSetresuid,
  kCapabilities,
  kAmbientCaps,
  kNoNewPrivs,
  kUmask,
  kCwd,
  kSeccomp,
  kStartFd,
  kInit,
  kExec,
  kCgroups,
  kConsole,
  kStartHooks,  // index: into JailSpec::start_hooks; see HookResult
  kCopyUp,      // index: into JailSpec::mounts, a tmpcopyup tmpfs
};

// The system call (or in-root operation) that failed within a step.
enum class Op : int32_t {
  kNone,
  kOpen,
  kResolve,  // openat2(RESOLVE_IN_ROOT) of a path inside the root
  kMkdir,
  kMknod,
  kChown,
  kSymlink,
  kCreateFile,
  kMount,
  kRemount,
  kPropagation,
  kUmount,
  kStatfs,
  kStat,
  kChdir,
  kWrite,
  kRead,
  kPrctl,
  kSyscall,
  kDup,
  kClone,
  kExecve,
  kGetcwd,
  kCwdOutsideRoot,  // getcwd(2) said "(unreachable)": CVE-2024-21626
  kAccept,
  kWait,  // poll/waitid on a hook's pidfd
  kChmod,
  kCopyData,  // a file's contents (tmpcopyup)
  // Checks that refuse what a hostile image planted; the message replaces
  // strerror.
  kCrossesSymlink,  // a path that must not cross symlinks does (ELOOP)
  kNotNullDevice,   // /dev/null is not the 1:3 character device
  kNotDevpts,       // /dev/pts is not a devpts mount
  kNotPtyMaster,    // /dev/pts/ptmx is not the 5:2 pty multiplexer
  kCopyUpTooDeep,   // tmpcopyup: more directory levels than it copies
};

// How a startContainer hook failed (Step::kStartHooks).
enum class HookResult : int32_t {
  kSpawn,     // op and err say which call failed
  kExited,    // value: the exit status, not 0
  kSignaled,  // value: the signal
  kTimedOut,  // value: the timeout in seconds
};

enum class MsgKind : int32_t {
  kFailure,  // step/index/op/err describe it; the child exits
  kReached,  // the child waits at `point` for an ack
  kPid,      // the real container process, as a pid in the parent's pid ns
  kTimeNamespaceMade,  // write timens_offsets for the sender, then ack
  kSeccompListener,    // carries the filter's listener fd (SCM_RIGHTS)
};

struct ChildMsg {
  MsgKind kind = MsgKind::kFailure;
  int32_t point = 0;  // SyncPoint for kReached
  Step step = Step::kStdio;
  int32_t index = -1;  // element of a list in the spec, -1 for none
  Op op = Op::kNone;
  int32_t err = 0;
  int32_t pid = 0;     // kPid
  PhaseStamps phases;  // kReached: the child's stamps so far
  HookResult hook_result = HookResult::kSpawn;  // Step::kStartHooks
  int32_t hook_value = 0;
};

// Child side; async-signal-safe. The failure path ends the process.
[[noreturn]] void ChildFail(int fd, Step step, int index, Op op, int err);
// Sends kReached(point) and, with wait_for_ack, waits for the parent's ack;
// a closed channel or a negative ack ends the process.
void ChildSyncAt(int fd, SyncPoint point, bool wait_for_ack);
void ChildSendPid(int fd, pid_t pid);
// Sends `kind` and waits for the parent's ack (the failure path as above).
void ChildRequest(int fd, MsgKind kind);

// Sends `kind` with `passed` attached (SCM_RIGHTS); no ack.
void ChildSendFd(int fd, MsgKind kind, int passed);

// Parent side.
// Receives one message; EOF (the child's ends all closed) is NotFound. An
// fd that came with it lands in *passed (closed when passed is null).
absl::StatusOr<ChildMsg> ParentReceive(int fd,
                                       base::ScopedFd* passed = nullptr);
absl::Status ParentAck(int fd);

// "jail: mounts[3] (/proc): mount: Operation not permitted".
absl::Status FailureToStatus(const ChildMsg& msg, const JailSpec& spec);
// A Step::kStartHooks failure of the hook called `name`, in the words the
// runtime's hook runner uses: "<name>: exited with status 3".
absl::Status HookFailureToStatus(const ChildMsg& msg, absl::string_view name);

}  // namespace shim

#endif  // MINIJAIL_SHIM_SYNC_PIPE_H_
