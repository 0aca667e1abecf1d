// An OCI runtime-spec 1.2 config.json (Linux) plus the Chromium OS
// extensions, as parsed and validated but not yet converted: names stay
// names ("CAP_SYS_ADMIN", "RLIMIT_NOFILE", "bind"), paths stay as written.
// oci_parser.h fills it; oci_convert.h turns it into libcontainer::Config.
#ifndef RUN_OCI_PARSER_OCI_CONFIG_H_
#define RUN_OCI_PARSER_OCI_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libcontainer/config.h"
#include "libcontainer/resources.h"
#include "minijail-shim/seccomp_policy.h"

namespace run_oci {

struct OciRoot {
  std::string path;  // may be relative to the bundle
  bool readonly = false;
};

struct OciMount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;
  std::vector<libcontainer::IdMap> uid_mappings;
  std::vector<libcontainer::IdMap> gid_mappings;
  bool perform_in_intermediate_namespace = false;  // Chromium
};

struct OciUser {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additional_gids;
  std::string username;  // Windows-only in the spec; accepted, unused
};

struct OciCapabilities {
  std::vector<std::string> bounding;
  std::vector<std::string> effective;
  std::vector<std::string> inheritable;
  std::vector<std::string> permitted;
  std::vector<std::string> ambient;
};

struct OciRlimit {
  std::string type;  // "RLIMIT_NOFILE"
  uint64_t soft = 0;
  uint64_t hard = 0;
};

struct OciConsoleSize {
  uint32_t height = 0;
  uint32_t width = 0;
};

struct OciIoPriority {
  std::string
      io_class;  // "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"
  int32_t priority = 0;
};

struct OciScheduler {
  std::string policy;  // "SCHED_OTHER", ...
  std::optional<int32_t> nice;
  std::optional<int32_t> priority;
  std::vector<std::string> flags;  // "SCHED_FLAG_RESET_ON_FORK", ...
  std::optional<uint64_t> runtime;
  std::optional<uint64_t> deadline;
  std::optional<uint64_t> period;
};

struct OciProcess {
  bool terminal = false;
  std::optional<OciConsoleSize> console_size;
  OciUser user;
  std::vector<std::string> args;
  std::string command_line;  // Windows-only; accepted, unused
  std::vector<std::string> env;
  std::string cwd;
  std::optional<OciCapabilities> capabilities;
  std::vector<OciRlimit> rlimits;
  bool no_new_privileges = false;
  std::string apparmor_profile;
  std::optional<int32_t> oom_score_adj;
  std::string selinux_label;
  std::optional<OciIoPriority> io_priority;
  std::optional<OciScheduler> scheduler;
  std::optional<uint32_t> umask;  // Chromium: process.umask
};

struct OciHook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int32_t> timeout;  // seconds, > 0
};

// By stage; the config.json keys are libcontainer::kHookStages. Only the
// stages config.json lists are present. precreate and prechroot are
// Chromium's.
using OciHooks = std::map<libcontainer::HookStage, std::vector<OciHook>>;

struct OciNamespace {
  std::string type;  // "pid", "network", "mount", "ipc", "uts", "user",
                     // "cgroup", "time"
  std::string path;
};

struct OciDevice {
  std::string type;  // "c", "b", "u" or "p"
  std::string path;
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::optional<uint32_t> file_mode;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  bool dynamic_major = false;  // Chromium
  bool dynamic_minor = false;  // Chromium
};

struct OciPersonality {
  std::string domain;              // "LINUX" or "LINUX32"
  std::vector<std::string> flags;  // accepted names, see the spec
};

struct OciLinux {
  std::vector<OciNamespace> namespaces;
  std::vector<libcontainer::IdMap> uid_mappings;
  std::vector<libcontainer::IdMap> gid_mappings;
  // By clock, as config.json's object (a repeated clock: the last one);
  // each also names its clock.
  std::map<std::string, libcontainer::TimeOffset> time_offsets;
  std::vector<OciDevice> devices;
  std::string cgroups_path;
  libcontainer::Resources resources;
  // Chromium's legacy linux.cpu block: shares, quota, period and the
  // realtime pair only.
  std::optional<libcontainer::CpuResources> cpu;
  std::map<std::string, std::string> sysctl;
  // netDevices (1.3): host device name -> name in the container ("" keeps).
  std::map<std::string, std::string> net_devices;
  std::optional<shim::SeccompPolicy> seccomp;
  std::string rootfs_propagation;  // "", "private", "rprivate", "shared", ...
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::string mount_label;
  std::optional<OciPersonality> personality;
  std::optional<libcontainer::IntelRdt> intel_rdt;
  std::string alt_syscall;  // Chromium
  // Chromium: "KEEP_CAPS", "KEEP_CAPS_LOCKED", ... Absent means OCI behaviour
  // (no securebits, as runc and crun); present means minijail's: every
  // securebit set and locked except these.
  std::optional<std::vector<std::string>> skip_securebits;
  bool core_sched = false;  // Chromium
};

struct OciConfig {
  std::string oci_version;
  OciRoot root;
  std::vector<OciMount> mounts;
  OciProcess process;
  std::string hostname;
  std::string domainname;
  OciHooks hooks;
  std::map<std::string, std::string> annotations;
  OciLinux linux_config;  // "linux" is a predefined macro under GNU C++
  // What the parser accepted but wants the user told ("config.json:
  // linux.devices[0].major: a string, read as 13"); the converter passes
  // them on before its own.
  std::vector<std::string> warnings;
};

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_OCI_CONFIG_H_
