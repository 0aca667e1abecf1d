// The container_config: everything libcontainer needs to start one container,
// as plain data. run_oci's converter builds it from an OCI bundle; libcontainer
// only reads it. Paths are absolute; names are already validated and mapped to
// kernel values (MS_* flags, CAP_* bits, RLIMIT_* numbers).
#ifndef LIBCONTAINER_CONFIG_H_
#define LIBCONTAINER_CONFIG_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libcontainer/resources.h"
#include "minijail-shim/kernel_values.h"
#include "minijail-shim/seccomp_policy.h"

namespace libcontainer {

using SeccompPolicy = shim::SeccompPolicy;
// The kernel's values, as the shim takes them (kernel_values.h).
using IdMap = shim::IdMapLine;
using Rlimit = shim::RlimitSpec;
using Capabilities = shim::CapSpec;
using IoPriority = shim::IoPrioritySpec;
using TimeOffset = shim::TimeOffsetSpec;

// The config.json annotation that sets Config::share_cgroup ("true" or
// "false"). Neither runc (which refuses a non-empty cgroup outright) nor
// crun has a spelling for it.
inline constexpr char kSharedCgroupAnnotation[] =
    "org.chromium.run_oci.shared_cgroup";

enum class NamespaceType {
  kMount,
  kPid,
  kUts,
  kIpc,
  kNetwork,
  kUser,
  kCgroup,
  kTime
};

struct Namespace {
  NamespaceType type = NamespaceType::kMount;
  std::string path;  // empty: create a new one; else join by setns
};

struct Mount {
  std::string source;       // absolute host path for binds and loop images
  std::string destination;  // absolute path inside the container
  std::string type;
  unsigned long flags = 0;  // MS_* except propagation
  unsigned long propagation =
      0;               // MS_PRIVATE|MS_SLAVE|MS_SHARED|MS_UNBINDABLE,
                       // possibly |MS_REC; 0 for none
  std::string data;    // options that are not flags, comma-joined
  bool loop = false;   // attach `source` to a loop device first
  std::string verity;  // value of a "dm=" option: dm-verity table
  bool in_intermediate_namespace = false;  // Chromium extension
  std::vector<IdMap> uid_mappings;         // idmapped mount (OCI 1.1)
  std::vector<IdMap> gid_mappings;
  // OCI 1.1 recursive attributes ("rro", "rnosuid", ...): MOUNT_ATTR_*
  // bits set and cleared with mount_setattr(AT_RECURSIVE) on the mount and
  // everything below it, after `flags`.
  uint64_t recursive_attr_set = 0;
  uint64_t recursive_attr_clr = 0;
  // tmpcopyup (podman, crun): a tmpfs that starts with a copy of the
  // rootfs directory it covers.
  bool copy_up = false;
};

struct Device {
  char type = 'c';   // 'c', 'u', 'b' or 'p'
  std::string path;  // absolute path inside the container, under /dev
  std::optional<uint32_t> file_mode;  // permission bits, e.g. 0666
  int64_t major = 0;
  int64_t minor = 0;
  bool dynamic_major = false;  // Chromium: take major from the host node
  bool dynamic_minor = false;  // Chromium: take minor from the host node
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
};

// Not shim::SchedulerSpec: what config.json left unset stays so (FormatConfig
// shows it); the shim takes 0 for each.
struct Scheduler {
  int policy = 0;  // SCHED_*
  std::optional<int32_t> nice;
  std::optional<int32_t> priority;
  uint64_t flags = 0;  // SCHED_FLAG_*
  std::optional<uint64_t> runtime;
  std::optional<uint64_t> deadline;
  std::optional<uint64_t> period;
};

struct IntelRdt {
  std::string clos_id;
  std::string l3_cache_schema;
  std::string mem_bw_schema;
  bool enable_cmt = false;
  bool enable_mbm = false;
};

enum class HookStage {
  kPrecreate,        // Chromium: before anything is created
  kPrestart,         // deprecated OCI stage, runs with createRuntime
  kCreateRuntime,    // runtime namespace, after namespaces+mounts
  kCreateContainer,  // container namespace, before pivot_root
  kPrechroot,        // Chromium: container namespace, before pivot_root
  kStartContainer,   // container namespace, before the program's execve
  kPoststart,        // runtime namespace, after the program started
  kPoststop,         // runtime namespace, after the container is deleted
};

// OCI linux.netDevices: a host network device moved into the container's
// network namespace.
struct NetDevice {
  std::string host_name;  // in the runtime's network namespace
  std::string name;       // in the container; empty: host_name
};

struct Hook {
  std::string path;  // absolute
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout_seconds;
};

struct Config {
  // Filesystem.
  std::string rootfs;  // absolute host path
  bool rootfs_readonly = false;
  unsigned long rootfs_propagation = 0;  // 0: MS_REC|MS_PRIVATE
  std::vector<Mount> mounts;             // in config order
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::string mount_label;

  // Program.
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "KEY=VALUE"; values may contain '='
  std::string cwd = "/";
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> additional_gids;
  std::optional<uint32_t> umask;
  bool terminal = false;
  uint16_t console_rows = 0;  // process.consoleSize; 0: left as it is
  uint16_t console_cols = 0;
  std::optional<Capabilities> capabilities;  // unset: keep the runtime's
  std::vector<Rlimit> rlimits;
  bool no_new_privileges = false;
  std::string apparmor_profile;
  std::string selinux_label;
  std::optional<int> oom_score_adj;
  std::optional<IoPriority> io_priority;
  std::optional<Scheduler> scheduler;

  // Isolation.
  std::vector<Namespace> namespaces;
  std::vector<IdMap> uid_map;
  std::vector<IdMap> gid_map;
  std::vector<TimeOffset> time_offsets;  // one per clock, by clock name
  std::string hostname;
  std::string domainname;
  std::vector<std::pair<std::string, std::string>> sysctls;
  std::vector<NetDevice> net_devices;  // by host name
  std::optional<SeccompPolicy> seccomp;
  std::optional<unsigned long> personality;  // PER_LINUX | flags
  std::string alt_syscall_table;             // Chromium
  uint64_t securebits_skip_mask = 0;         // Chromium: SECBIT_* to leave
  bool core_sched = false;                   // Chromium: PR_SCHED_CORE
  std::optional<IntelRdt> intel_rdt;

  // Devices and cgroups.
  std::vector<Device> devices;
  std::string cgroups_path;  // as in config.json; empty: <parent>/<id>
  Resources resources;       // includes the device rules
  // The container's cgroup may already exist with processes in it
  // (kSharedCgroupAnnotation "true"); otherwise such a cgroup is refused.
  // Either way a cgroup the container did not create is neither killed nor
  // removed at teardown. Needs a new pid namespace.
  bool share_cgroup = false;

  // Hooks, in config order per stage.
  std::map<HookStage, std::vector<Hook>> hooks;

  // Runtime choices (command line, not config.json).
  bool run_as_init = true;
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_CONFIG_H_
