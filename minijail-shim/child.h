// The child's side of Jail::Start: a ChildPlan built by the parent holds
// every string, array and compiled policy the child needs, so that after
// clone the child only makes system calls (async-signal-safe, no allocation).
#ifndef MINIJAIL_SHIM_CHILD_H_
#define MINIJAIL_SHIM_CHILD_H_

#include <sys/capability.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "minijail-shim/child_fds.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/start_hooks.h"

namespace shim {

struct NamespaceJoin {
  int fd = -1;          // opened by the parent
  int clone_flag = 0;   // CLONE_NEW*
  int spec_index = -1;  // into JailSpec::namespaces, for errors
};

struct MountPlan {
  bool is_bind = false;
  bool source_is_dir = true;  // binds: create a dir (else an empty file)
  // Binds: flags for the MS_REMOUNT|MS_BIND pass (ro, nosuid, ...), which
  // the kernel ignores on the first MS_BIND mount. 0: no remount.
  unsigned long remount_flags = 0;
  // Idmapped bind (MOUNT_ATTR_IDMAP): a user namespace fd carrying the
  // mount's mappings, made by the parent. -1 for a plain mount.
  int userns_fd = -1;
  // A new proc or sysfs instance: mounted on a symlink-free mount point and
  // kept by fd (see KeptMounts in mounts.h).
  bool is_pseudo_fs = false;
  // tmpcopyup: the new tmpfs' root takes the covered directory's mode and
  // owner too, unless the mount's data sets them (mode=; uid=, gid=).
  bool copy_up_mode = false;
  bool copy_up_owner = false;
};

// A masked or read-only path, placed by the parent (protected_paths.h).
struct ProtectedPathPlan {
  // spec->mounts index of the proc or sysfs mount the path lies under (its
  // fd is kept from mount time), -1 for none.
  int mount_index = -1;
  // Under a kept mount: relative to its root ("sys", "." for the root
  // itself); otherwise the spec's absolute path, resolved in the root.
  std::string path;
};

struct ChildPlan {
  const JailSpec* spec = nullptr;
  int sync_fd = -1;  // the child's end

  // Namespaces. One-stage (the common case): clone3 created every new one
  // and `joins` is empty. Two-stage: the child joins, then unshares, then
  // forks again when a pid or time namespace only applies to children.
  std::vector<NamespaceJoin> joins;  // user namespace first
  int unshare_flags = 0;
  int fork_unshare_flags = 0;  // CLONE_NEWPID | CLONE_NEWTIME after unshare
  int late_unshare_flags = 0;  // CLONE_NEWCGROUP, after kCloned
  bool write_time_offsets = false;  // ask the parent between unshare and fork
  bool fork_needed = false;
  bool new_user_ns = false;
  // Where the child waits for the parent's ack (SyncPoint, jail.h); at
  // kReady it always does.
  bool waits_at_cloned = true;
  bool waits_at_prechroot = true;
  // Rlimits and oom_score_adj set by the child on itself before kCloned
  // instead of by the parent at kCloned (no user namespace, no second fork,
  // no I/O priority or scheduler): the child still has the parent's
  // credentials then, so the kernel decides both exactly as it would for
  // the parent, and kCloned needs no round trip.
  bool attributes_in_child = false;
  char oom_score_adj_text[16] = {};  // "-1000".."1000", for the child
  bool in_user_ns = false;           // new or joined: become uid 0 in it first
  bool new_ipc_ns = false;

  std::vector<MountPlan> mounts;  // parallel to spec->mounts
  // Default /dev entries the spec mounts itself (runc's default spec lists
  // /dev/pts, /dev/shm and /dev/mqueue): not made twice.
  bool spec_mounts_dev_pts = false;
  bool spec_mounts_dev_shm = false;
  bool spec_mounts_dev_mqueue = false;
  std::vector<ProtectedPathPlan> masked_paths;    // parallel to the spec's
  std::vector<ProtectedPathPlan> readonly_paths;  // parallel to the spec's
  // Sysctls are written below a procfs root: the spec's proc mount at
  // /proc (this index into spec->mounts), or a detached one of the child's
  // own when -1.
  int sysctl_proc_mount = -1;
  std::vector<std::string> sysctl_paths;  // "sys/net/ipv4/..."

  cap_t caps = nullptr;  // E/P/I, prepared by the parent
  int last_cap = 0;      // /proc/sys/kernel/cap_last_cap
  bool set_securebits = false;
  unsigned long securebits = 0;

  // Program. Candidates are argv[0] joined with each PATH entry (or just
  // argv[0] when it has a '/'), tried in order.
  std::vector<char*> argv;  // null-terminated, pointing into spec
  std::vector<char*> envp;
  std::vector<std::string> exec_paths;
  // "HOME=..." added when the spec's env has none (as runc and crun do).
  std::string home_env;
  // Scratch for a #! script's argv (exec.h), ScriptArgvSlots(argc) long:
  // the child writes it without allocating.
  // With JailSpec::exec_stub_fd, the stub's own arguments go in front
  // (ScriptArgvSlots + exec_stub::kFirstProgramArg slots), its fd numbers
  // and tag written here.
  mutable std::vector<char*> script_argv;
  mutable char stub_numbers[4][12] = {};
  // The pid namespace is joined (for children only) and the exec stub
  // forks into it at the end, instead of a second fork here at the start:
  // until then nothing in that namespace can see the child.
  bool stub_forks = false;

  // Every fd the child keeps past its first checkpoint, sorted (see
  // child_fds.h; built last, by Jail::Start, once the sync socket exists).
  std::vector<KeptFd> kept_fds;

  // startContainer hooks (start_hooks.h): their arrays, and the sealed
  // memfd with the state they read, which must stay open until execve.
  std::vector<StartHookPlan> start_hooks;
  int start_hooks_state_fd = -1;
};

// Runs in the cloned child; never returns (execve or _exit).
[[noreturn]] void RunChild(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_CHILD_H_
