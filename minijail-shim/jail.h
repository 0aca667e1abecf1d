// Starting one jailed process. The parent prepares a JailSpec (every path
// resolved, every policy compiled); Jail::Start clones the child into its new
// namespaces and drives it through fixed sync points, calling back into the
// parent at each. The child only executes the spec: after clone it does no
// formatting and no logging; a failure travels to the parent as
// (step, index, errno) on the sync pipe and becomes one absl::Status there.
#ifndef MINIJAIL_SHIM_JAIL_H_
#define MINIJAIL_SHIM_JAIL_H_

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/kernel_values.h"
#include "minijail-shim/phase_timer.h"

namespace shim {

// CLONE_NEW* flag, and the path of an existing namespace to join (setns), or
// empty to create a new one.
struct NamespaceSpec {
  int clone_flag = 0;
  std::string path;
};

struct MountSpec {
  std::string source;  // host path for binds (resolved by the parent)
  std::string target;  // absolute path inside the new root
  std::string type;
  unsigned long flags = 0;        // MS_*, no propagation bits
  unsigned long propagation = 0;  // applied after the mount, 0 for none
  std::string data;
  // idmapped mount (mount_setattr MOUNT_ATTR_IDMAP); empty for none.
  std::vector<IdMapLine> uid_mappings;
  std::vector<IdMapLine> gid_mappings;
  // MOUNT_ATTR_* set/cleared on the mount and all below it (AT_RECURSIVE)
  // once it is in place; needs Linux 5.12.
  uint64_t recursive_attr_set = 0;
  uint64_t recursive_attr_clr = 0;
  // A tmpfs on /dev: the default device nodes, links and the pts, shm and
  // mqueue mounts no later entry makes are created in it right after it is
  // mounted, so the spec's order (and its size=, mode=) is kept.
  bool default_dev_nodes = false;
  // tmpcopyup (a tmpfs only): the new tmpfs starts with a copy of the
  // directory it covers (files, directories, symlinks, nodes, with their
  // modes and owners; no symlink is followed).
  bool copy_up = false;
  // Its number in messages ("mounts[N]"): the caller's index for it, so that
  // a config's mounts[5] is called that although mounts done elsewhere are
  // not in this list; -1: its index in JailSpec::mounts.
  int number = -1;
};

// The N of "mounts[N]" for spec.mounts[index].
inline size_t MountNumber(const MountSpec& mount, size_t index) {
  return mount.number >= 0 ? static_cast<size_t>(mount.number) : index;
}

struct DeviceSpec {
  std::string path;  // absolute inside the new root, under /dev
  mode_t mode = 0;   // S_IFCHR/S_IFBLK/S_IFIFO | permission bits
  dev_t dev = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// A cgroup v1 "tasks" file the child joins itself through (see
// JailSpec::cgroup_joins).
struct CgroupJoinSpec {
  int tasks_fd = -1;  // opened O_WRONLY | O_CLOEXEC by the parent
  std::string path;   // for error messages
};

// A host cgroup directory a "cgroup" mount shows (see
// JailSpec::cgroup_binds).
struct CgroupBindSpec {
  std::string source;  // host directory, e.g. /sys/fs/cgroup/cpu/<path>
  std::string name;    // entry under the mount, e.g. "cpu"; empty: the mount
};

// One OCI startContainer hook, run by the container's own process (see
// JailSpec::start_hooks).
struct StartHookSpec {
  std::string name;               // for errors: "hook startContainer[0] /bin/x"
  std::string path;               // resolved in the container, after pivot_root
  std::vector<std::string> argv;  // argv[0] as the config says
  std::vector<std::string> env;
  int timeout_seconds = 0;  // 0: none
};

struct JailSpec {
  // Namespaces. Joined ones (non-empty path) are entered before new ones are
  // created, so a new user namespace does not lose the right to join.
  std::vector<NamespaceSpec> namespaces;
  std::vector<IdMapLine> uid_map;  // written by the parent
  std::vector<IdMapLine> gid_map;
  // Offsets of a new time namespace (OCI linux.timeOffsets). They must be
  // written before any process enters it, so a non-empty list costs an
  // unshare and an extra fork instead of the single clone3.
  std::vector<TimeOffsetSpec> time_offsets;

  // Cgroups, joined without anyone writing the child's pid to cgroup.procs:
  // that takes the kernel's global cgroup_threadgroup_rwsem for writing,
  // and its first writer after a quiet spell waits a full RCU grace period
  // (10-15 ms, most of a container start). Moving oneself as a single
  // thread skips that lock, so the child, first thing after clone, writes
  // "0" to each of these v1 "tasks" files (it has one thread: the process
  // moves); and clone3 puts it straight into `cgroup2_dir_fd`, a cgroup2
  // directory (O_DIRECTORY; -1 for none), with CLONE_INTO_CGROUP.
  std::vector<CgroupJoinSpec> cgroup_joins;
  int cgroup2_dir_fd = -1;
  // What a mount of type "cgroup" shows (cgroup_mount.h): a tmpfs with a
  // read-only bind of each directory at its name, or, for one entry with
  // an empty name (a cgroup2-only host), a bind of that directory itself.
  // Required with such a mount.
  std::vector<CgroupBindSpec> cgroup_binds;

  // Filesystem. With an empty rootfs the child keeps the parent's root.
  std::string rootfs;
  bool rootfs_readonly = false;
  unsigned long rootfs_propagation = 0;  // 0 means MS_REC | MS_PRIVATE
  std::vector<MountSpec> mounts;         // in order
  // No /dev mount in the config: a tmpfs with the default nodes goes on
  // /dev before `mounts` (a config's /dev tmpfs is a mount with
  // default_dev_nodes instead, in its place).
  bool default_dev = false;
  std::vector<DeviceSpec> devices;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;

  // Identity and process attributes.
  std::string hostname;  // empty: leave
  std::string domainname;
  std::vector<std::pair<std::string, std::string>> sysctls;  // "net.ipv4.x"
  std::vector<RlimitSpec> rlimits;
  std::optional<CapSpec> caps;  // unset: keep what we have
  uint64_t securebits_skip_mask = 0;
  bool no_new_privs = false;
  std::vector<sock_filter> seccomp_bpf;  // empty: no filter
  unsigned int seccomp_flags = 0;        // SECCOMP_FILTER_FLAG_*
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> additional_gids;
  std::optional<mode_t> umask;
  std::optional<int> oom_score_adj;
  std::optional<IoPrioritySpec> io_priority;
  std::optional<SchedulerSpec> scheduler;
  std::optional<unsigned long> personality;
  bool core_sched = false;
  std::string alt_syscall_table;
  std::string selinux_label;

  // The program. argv[0] without a '/' is looked up in PATH from env.
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd = "/";
  bool run_as_init = true;  // false: a small reaping init is pid 1

  // Fds: -1 inherits the parent's 0/1/2. keep_fds survive at the same
  // number; every other fd is closed before execve.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::vector<int> keep_fds;

  // When >= 0: the OCI create/start split. A listening unix socket
  // (start_channel.h) on which the child, after kReady, accepts the
  // connection of whoever starts it and reads one byte; from then on its
  // failures (start hooks, execve) go to that connection instead of the
  // sync socket, whose reader (the creating runtime) is gone by then.
  int start_fd = -1;

  // When >= 0, a MakeExecStub memfd (exec_stub.h): the child executes the
  // program through it instead of directly. Only for a child nobody else
  // can reach: a new pid namespace, no start_fd, no start hooks, the
  // program as pid 1, no SELinux label or alt-syscall table (Start refuses
  // anything else); the caller has checked that the seccomp filter allows
  // the stub (SeccompAllowsExecStub).
  int exec_stub_fd = -1;

  // OCI startContainer hooks. Their paths name files in the container, so
  // the child runs them itself, in order, after kReady and the start
  // signal and just before execve: with the container's namespaces, root,
  // cwd, uid/gid, capabilities, no_new_privs and seccomp filter, as any
  // process of the container (runc does the same). Each gets the state
  // below on stdin, the container's stderr as stdout and stderr, only its
  // own env, a process group of its own, and is killed with that group at
  // its timeout. A failure fails the start (Jail::Start, or the start
  // channel) and ends the child.
  std::vector<StartHookSpec> start_hooks;
  // Their stdin (the OCI state): called in the parent once the container's
  // pid, as the parent sees it, is known (also when it comes late, from the
  // second fork of a joined pid namespace), before the child passes
  // kReady. Required with start_hooks.
  std::function<std::string(pid_t)> start_hooks_state;

  // Whether the child waits at kPreChroot until the callback returned (the
  // OCI hooks that run before pivot_root need it there). Without, the
  // child only reports kPreChroot and goes on; the callback still runs for
  // it, while the child pivots, and finishes before the child passes
  // kReady, where it always waits.
  bool stop_at_prechroot = true;

  // When >= 0 (OCI process.terminal with runc's --console-socket): a
  // connected unix socket. The child makes a pseudo-terminal in the
  // container's devpts once the root is final, sends its master there
  // (SCM_RIGHTS) and makes the slave its stdin, stdout, stderr and
  // controlling terminal. console_rows/cols: the window size; 0 leaves it.
  int console_socket_fd = -1;
  uint16_t console_rows = 0;
  uint16_t console_cols = 0;
};

// Where the child is when the parent's callback runs. The child waits until
// the callback returns OK; an error kills the child and fails Start.
// The child waits at kReady always, at kCloned only when the parent must
// write its id maps first, set its rlimits, OOM score, I/O priority or
// scheduler (while the child still has the parent's ids), relays a second
// fork's pid or the child makes a cgroup namespace after kCloned (rooted
// where it is then), at kPreChroot only with JailSpec::stop_at_prechroot;
// elsewhere the callback runs while the child goes on.
enum class SyncPoint {
  kCloned,     // namespaces exist, id maps written; nothing mounted yet
  kPreChroot,  // mounts and device nodes done, before pivot_root
  kReady,      // fully set up; next: start_fd, start hooks, execve
};

using SyncCallback = std::function<absl::Status(SyncPoint, pid_t)>;

struct ExitStatus {
  int code = 0;    // exit code when !signaled
  int signal = 0;  // terminating signal when signaled
  bool signaled = false;
  // The shell convention: code, or 128 + signal.
  int ToShellStatus() const { return signaled ? 128 + signal : code; }
};

class Jail {
 public:
  // Clones the child and drives it to kReady; without a start_fd, also
  // waits until its start hooks have run and execve succeeded. On error
  // nothing is left running: the child is killed and reaped.
  static absl::StatusOr<Jail> Start(const JailSpec& spec,
                                    const SyncCallback& on_sync);

  Jail(Jail&&) = default;
  Jail& operator=(Jail&&) = default;
  ~Jail() = default;  // the process outlives the object (background start)

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // With SCMP_ACT_NOTIFY in the filter (SECCOMP_FILTER_FLAG_NEW_LISTENER in
  // seccomp_flags): the filter's notification fd, for the caller to hand to
  // the OCI listenerPath. Invalid otherwise, or once taken.
  base::ScopedFd TakeSeccompListener() { return std::move(seccomp_listener_); }
  // The child's setup stamps, as of kReady (run_oci --timings).
  const PhaseStamps& child_phases() const { return child_phases_; }

  absl::Status Kill(int signal);
  // Waits for the child's exit and reaps it.
  absl::StatusOr<ExitStatus> Wait();

 private:
  Jail(pid_t pid, base::ScopedFd pidfd, base::ScopedFd seccomp_listener)
      : pid_(pid),
        pidfd_(std::move(pidfd)),
        seccomp_listener_(std::move(seccomp_listener)) {}
  pid_t pid_ = -1;
  base::ScopedFd pidfd_;
  base::ScopedFd seccomp_listener_;
  PhaseStamps child_phases_;
};

}  // namespace shim

#endif  // MINIJAIL_SHIM_JAIL_H_
