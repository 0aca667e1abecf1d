#include "run_oci/parser/oci_convert.h"

#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/lexical_path.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/parser/mount_options.h"
#include "run_oci/parser/oci_annotations.h"
#include "run_oci/parser/oci_names.h"

namespace run_oci {
namespace {

using libcontainer::Config;

// The parser has checked every name this file looks up (capabilities,
// rlimits, namespaces, ...), with the JSON path in its error, so the
// lookups here take the value as given: .value() on a name the parser did
// not check aborts instead of inventing a second wording of its error.

constexpr char kFile[] = "config.json";

absl::Status Invalid(absl::string_view json_path, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(kFile, ": ", json_path, ": ", what));
}

bool IsAbsolute(const std::string& path) {
  return !path.empty() && path[0] == '/';
}

// proc and sysfs hold no programs, setuid files or device nodes a container
// needs, while an exec or device node reachable through them (e.g. a
// writable /proc/sys/kernel/core_pattern target) is a classic escape path,
// so they are hardened whatever the config says, and the user is told.
void ForcePseudoFsFlags(const OciMount& oci, absl::string_view json_path,
                        libcontainer::Mount& mount,
                        std::vector<std::string>* warnings) {
  if (mount.type != "proc" && mount.type != "sysfs") return;
  struct {
    unsigned long flag;
    const char* name;
  } constexpr kRequired[] = {
      {MS_NODEV, "nodev"}, {MS_NOEXEC, "noexec"}, {MS_NOSUID, "nosuid"}};
  std::vector<std::string> forced;
  for (const auto& required : kRequired) {
    if ((mount.flags & required.flag) == 0) forced.push_back(required.name);
    mount.flags |= required.flag;
  }
  if (!forced.empty() && warnings != nullptr) {
    warnings->push_back(absl::StrCat(
        kFile, ": ", json_path, " (", oci.destination, "): ", mount.type,
        " mount forced ", absl::StrJoin(forced, ",")));
  }
}

absl::StatusOr<libcontainer::Mount> ConvertMount(
    const OciMount& oci, size_t index, const ConvertOptions& options,
    std::vector<std::string>* warnings) {
  const std::string json_path = absl::StrCat("mounts[", index, "]");
  ASSIGN_OR_RETURN(
      MountOptions parsed,
      ParseMountOptions(oci.options, absl::StrCat(kFile, ": ", json_path)));
  libcontainer::Mount mount;
  mount.destination = oci.destination;
  mount.type = oci.type;
  mount.flags = parsed.flags;
  mount.propagation = parsed.propagation;
  mount.data = std::move(parsed.data);
  mount.loop = parsed.loop;
  mount.verity = std::move(parsed.verity);
  mount.copy_up = parsed.tmpcopyup;
  if (mount.copy_up && oci.type != "tmpfs") {
    return Invalid(absl::StrCat(json_path, ".options"),
                   absl::StrCat("tmpcopyup needs a tmpfs mount, not type \"",
                                oci.type, "\""));
  }
  mount.recursive_attr_set = parsed.recursive_set;
  mount.recursive_attr_clr = parsed.recursive_clr;
  mount.in_intermediate_namespace = oci.perform_in_intermediate_namespace;
  mount.uid_mappings = oci.uid_mappings;
  mount.gid_mappings = oci.gid_mappings;
  // The runtime-spec lets type "bind" alone mean a bind mount.
  if (oci.type == "bind") mount.flags |= MS_BIND;
  // Bind and loop sources are host paths; others ("proc", "tmpfs") are
  // names the filesystem interprets and stay as written.
  if ((mount.flags & MS_BIND) != 0 || mount.loop) {
    if (oci.source.empty()) {
      return Invalid(absl::StrCat(json_path, ".source"),
                     "a bind or loop mount needs a source");
    }
    mount.source = ResolveLexically(options.bundle_dir, oci.source);
  } else {
    mount.source = oci.source;
  }
  ForcePseudoFsFlags(oci, json_path, mount, warnings);
  return mount;
}

static_assert(CAP_LAST_CAP < 64, "a capability set is a 64-bit mask");

uint64_t CapabilitySet(const std::vector<std::string>& names) {
  uint64_t set = 0;
  for (const std::string& name : names) {
    set |= uint64_t{1} << CapabilityFromName(name).value();
  }
  return set;
}

libcontainer::Capabilities ConvertCapabilities(const OciCapabilities& oci) {
  libcontainer::Capabilities caps;
  caps.bounding = CapabilitySet(oci.bounding);
  caps.effective = CapabilitySet(oci.effective);
  caps.inheritable = CapabilitySet(oci.inheritable);
  caps.permitted = CapabilitySet(oci.permitted);
  caps.ambient = CapabilitySet(oci.ambient);
  return caps;
}

libcontainer::Scheduler ConvertScheduler(const OciScheduler& oci) {
  libcontainer::Scheduler sched;
  sched.policy = SchedulerPolicyFromName(oci.policy).value();
  for (const std::string& flag : oci.flags) {
    sched.flags |= SchedulerFlagFromName(flag).value();
  }
  sched.nice = oci.nice;
  sched.priority = oci.priority;
  sched.runtime = oci.runtime;
  sched.deadline = oci.deadline;
  sched.period = oci.period;
  return sched;
}

absl::Status ConvertProcess(const OciProcess& oci, Config& config,
                            std::vector<std::string>* warnings) {
  config.argv = oci.args;
  config.env = oci.env;
  config.cwd = oci.cwd.empty() ? "/" : oci.cwd;
  config.uid = oci.user.uid;
  config.gid = oci.user.gid;
  config.additional_gids = oci.user.additional_gids;
  // user.umask is the spec's field; process.umask is Chromium's older one.
  config.umask = oci.user.umask.has_value() ? oci.user.umask : oci.umask;
  if (oci.user.umask.has_value() && oci.umask.has_value() &&
      *oci.user.umask != *oci.umask && warnings != nullptr) {
    warnings->push_back(absl::StrCat(
        kFile,
        ": process.umask: ignored, process.user.umask takes precedence"));
  }
  config.terminal = oci.terminal;
  if (oci.console_size.has_value()) {
    // struct winsize holds 16 bits.
    for (const auto& [name, value] :
         {std::pair<const char*, uint32_t>{"height", oci.console_size->height},
          {"width", oci.console_size->width}}) {
      if (value > UINT16_MAX) {
        return absl::InvalidArgumentError(
            absl::StrCat(kFile, ": process.consoleSize.", name, ": ", value,
                         " is out of range (at most 65535)"));
      }
    }
    config.console_rows = static_cast<uint16_t>(oci.console_size->height);
    config.console_cols = static_cast<uint16_t>(oci.console_size->width);
  }
  if (oci.capabilities.has_value()) {
    config.capabilities = ConvertCapabilities(*oci.capabilities);
  }
  for (const OciRlimit& r : oci.rlimits) {
    config.rlimits.push_back({RlimitFromName(r.type).value(), r.soft, r.hard});
  }
  config.no_new_privileges = oci.no_new_privileges;
  config.apparmor_profile = oci.apparmor_profile;
  config.selinux_label = oci.selinux_label;
  config.oom_score_adj = oci.oom_score_adj;
  if (oci.io_priority.has_value()) {
    config.io_priority = libcontainer::IoPriority{
        IoPriorityClassFromName(oci.io_priority->io_class).value(),
        oci.io_priority->priority};
  }
  if (oci.scheduler.has_value()) {
    config.scheduler = ConvertScheduler(*oci.scheduler);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ConvertOciProcess(const OciProcess& oci,
                               libcontainer::Config* config,
                               std::vector<std::string>* warnings) {
  return ConvertProcess(oci, *config, warnings);
}

namespace {

bool HasNamespace(const Config& config, libcontainer::NamespaceType type) {
  for (const libcontainer::Namespace& ns : config.namespaces) {
    if (ns.type == type) return true;
  }
  return false;
}

absl::Status ConvertNamespaces(const OciLinux& oci, Config& config) {
  for (const OciNamespace& ns : oci.namespaces) {
    config.namespaces.push_back({NamespaceFromName(ns.type).value(), ns.path});
  }
  // Every mount run_oci makes (the rootfs, mounts[], /dev, masked paths)
  // would otherwise land in the host's mount namespace.
  if (!HasNamespace(config, libcontainer::NamespaceType::kMount)) {
    return Invalid("linux.namespaces",
                   "a \"mount\" namespace is required (run_oci does not "
                   "mount into the host's mount namespace)");
  }
  config.uid_map = oci.uid_mappings;
  config.gid_map = oci.gid_mappings;
  for (const auto& by_clock : oci.time_offsets) {
    config.time_offsets.push_back(by_clock.second);
  }
  if (!oci.net_devices.empty()) {
    // Without one the devices would "move" into the runtime's own
    // namespace, where they already are.
    if (!HasNamespace(config, libcontainer::NamespaceType::kNetwork)) {
      return Invalid("linux.netDevices",
                     "needs a network namespace (linux.namespaces has no "
                     "\"network\")");
    }
    for (const auto& [host_name, name] : oci.net_devices) {
      config.net_devices.push_back({host_name, name});
    }
  }
  return absl::OkStatus();
}

absl::Status ConvertSecurity(const OciLinux& oci, Config& config) {
  config.seccomp = oci.seccomp;
  if (oci.personality.has_value()) {
    unsigned long persona =
        PersonalityDomainFromName(oci.personality->domain).value();
    for (const std::string& flag : oci.personality->flags) {
      persona |= PersonalityFlagFromName(flag).value();
    }
    config.personality = persona;
  }
  config.alt_syscall_table = oci.alt_syscall;
  // Without Chromium's skipSecurebits the config means OCI semantics: a
  // root program keeps the capabilities it was given, so no securebit may
  // be set (SECBIT_NOROOT would empty its permitted set at execve).
  if (!oci.skip_securebits.has_value()) {
    config.securebits_skip_mask = SECURE_ALL_BITS | SECURE_ALL_LOCKS;
  }
  const std::vector<std::string> skip =
      oci.skip_securebits.value_or(std::vector<std::string>());
  for (const std::string& name : skip) {
    config.securebits_skip_mask |= SecurebitFromName(name).value();
  }
  config.core_sched = oci.core_sched;
  config.intel_rdt = oci.intel_rdt;
  return absl::OkStatus();
}

absl::Status ConvertDevices(const std::vector<OciDevice>& oci, Config& config) {
  for (size_t i = 0; i < oci.size(); ++i) {
    const OciDevice& d = oci[i];
    if (d.type.size() != 1 ||
        std::string("cbup").find(d.type[0]) == std::string::npos) {
      return Invalid(absl::StrCat("linux.devices[", i, "].type"),
                     absl::StrCat("unknown device type \"", d.type,
                                  "\" (want c, b, u or p)"));
    }
    libcontainer::Device device;
    device.type = d.type[0];
    device.path = d.path;
    device.file_mode = d.file_mode;
    device.major = d.major.value_or(0);
    device.minor = d.minor.value_or(0);
    device.dynamic_major = d.dynamic_major;
    device.dynamic_minor = d.dynamic_minor;
    device.uid = d.uid;
    device.gid = d.gid;
    config.devices.push_back(std::move(device));
  }
  return absl::OkStatus();
}

// Chromium's linux.cpu predates linux.resources.cpu; the newer block wins
// field by field.
void MergeLegacyCpu(const std::optional<libcontainer::CpuResources>& legacy,
                    libcontainer::Resources& resources) {
  if (!legacy.has_value()) return;
  if (!resources.cpu.has_value()) resources.cpu.emplace();
  libcontainer::CpuResources& cpu = *resources.cpu;
  if (!cpu.shares.has_value()) cpu.shares = legacy->shares;
  if (!cpu.quota.has_value()) cpu.quota = legacy->quota;
  if (!cpu.period.has_value()) cpu.period = legacy->period;
  if (!cpu.realtime_runtime.has_value()) {
    cpu.realtime_runtime = legacy->realtime_runtime;
  }
  if (!cpu.realtime_period.has_value()) {
    cpu.realtime_period = legacy->realtime_period;
  }
}

std::vector<libcontainer::Hook> ConvertHooks(const std::vector<OciHook>& oci) {
  std::vector<libcontainer::Hook> hooks;
  hooks.reserve(oci.size());
  for (const OciHook& h : oci) {
    std::optional<int> timeout;
    if (h.timeout.has_value()) timeout = *h.timeout;
    hooks.push_back({h.path, h.args, h.env, timeout});
  }
  return hooks;
}

void ConvertAllHooks(const OciHooks& oci, Config& config) {
  for (const auto& [stage, hooks] : oci) {
    if (!hooks.empty()) config.hooks[stage] = ConvertHooks(hooks);
  }
}

absl::Status AddExtraBindMounts(const ConvertOptions& options, Config& config) {
  for (const auto& [source, destination] : options.extra_bind_mounts) {
    if (source.empty() || !IsAbsolute(destination)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bind mount \"", source, ":", destination,
                       "\": needs a source and an absolute destination"));
    }
    libcontainer::Mount mount;
    mount.source = ResolveLexically(options.bundle_dir, source);
    mount.destination = destination;
    mount.type = "bind";
    mount.flags = MS_BIND | MS_REC | MS_NOSUID | MS_NODEV;
    config.mounts.push_back(std::move(mount));
  }
  return absl::OkStatus();
}

// -u: run as the invoking user without privileges, as root inside a user
// namespace that maps only that one id.
void UseCurrentUser(Config& config, std::vector<std::string>* warnings) {
  if ((!config.uid_map.empty() || !config.gid_map.empty()) &&
      warnings != nullptr) {
    warnings->push_back(
        absl::StrCat(kFile,
                     ": linux.uidMappings/gidMappings: replaced by the current "
                     "user's single-id maps (-u)"));
  }
  config.uid_map = {{0, static_cast<uint32_t>(getuid()), 1}};
  config.gid_map = {{0, static_cast<uint32_t>(getgid()), 1}};
  if ((config.uid != 0 || config.gid != 0) && warnings != nullptr) {
    warnings->push_back(
        absl::StrCat(kFile, ": process.user: uid ", config.uid, " gid ",
                     config.gid, " is not mapped by -u, which maps only 0"));
  }
  if (HasNamespace(config, libcontainer::NamespaceType::kUser)) return;
  config.namespaces.push_back({libcontainer::NamespaceType::kUser, ""});
}

}  // namespace

absl::Status RequireProcessToStart(const Config& config) {
  if (!config.argv.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(kFile, ": process: required to start"));
}

std::string ResolveLexically(const std::string& base, const std::string& path) {
  std::string joined = IsAbsolute(path) ? path : absl::StrCat(base, "/", path);
  return absl::StrCat("/", absl::StrJoin(base::FoldedComponents(joined), "/"));
}

absl::StatusOr<Config> ConvertOciConfig(const OciConfig& oci,
                                        const ConvertOptions& options,
                                        std::vector<std::string>* warnings) {
  if (!IsAbsolute(options.bundle_dir)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bundle directory \"", options.bundle_dir, "\" is not absolute"));
  }
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), oci.warnings.begin(), oci.warnings.end());
  }
  Config config;
  if (oci.root.path.empty()) return Invalid("root.path", "must not be empty");
  config.rootfs = ResolveLexically(options.bundle_dir, oci.root.path);
  config.rootfs_readonly = oci.root.readonly;
  for (size_t i = 0; i < oci.mounts.size(); ++i) {
    ASSIGN_OR_RETURN(libcontainer::Mount mount,
                     ConvertMount(oci.mounts[i], i, options, warnings));
    config.mounts.push_back(std::move(mount));
  }
  RETURN_IF_ERROR(AddExtraBindMounts(options, config));

  const OciLinux& linux_config = oci.linux_config;
  if (!linux_config.rootfs_propagation.empty()) {
    config.rootfs_propagation =
        PropagationFromName(linux_config.rootfs_propagation).value();
  }
  config.masked_paths = linux_config.masked_paths;
  config.readonly_paths = linux_config.readonly_paths;
  config.mount_label = linux_config.mount_label;

  RETURN_IF_ERROR(ConvertProcess(oci.process, config, warnings));
  RETURN_IF_ERROR(ConvertNamespaces(linux_config, config));
  config.hostname = oci.hostname;
  config.domainname = oci.domainname;
  config.sysctls.assign(linux_config.sysctl.begin(), linux_config.sysctl.end());
  RETURN_IF_ERROR(ConvertSecurity(linux_config, config));

  RETURN_IF_ERROR(ConvertDevices(linux_config.devices, config));
  config.cgroups_path = linux_config.cgroups_path;
  config.resources = linux_config.resources;
  MergeLegacyCpu(linux_config.cpu, config.resources);

  ConvertAllHooks(oci.hooks, config);
  RETURN_IF_ERROR(ApplyAnnotations(oci.annotations, config));
  config.run_as_init = options.run_as_init;
  if (options.use_current_user) UseCurrentUser(config, warnings);
  return config;
}

}  // namespace run_oci
