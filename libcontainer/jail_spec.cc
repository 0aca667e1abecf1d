#include "libcontainer/jail_spec.h"

#include <sched.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libcontainer/config_symbols.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace libcontainer {
namespace {

std::string Normalize(absl::string_view path) {
  while (path.size() > 1 && absl::ConsumeSuffix(&path, "/")) {
  }
  return std::string(path);
}

bool IsDevMount(const Mount& mount) {
  return Normalize(mount.destination) == "/dev";
}

// The config's startContainer hooks, for the container's own process to run
// (see shim::JailSpec::start_hooks for why not the runtime).
std::vector<shim::StartHookSpec> StartHooks(const Config& config) {
  std::vector<shim::StartHookSpec> hooks;
  auto it = config.hooks.find(HookStage::kStartContainer);
  if (it == config.hooks.end()) return hooks;
  for (size_t i = 0; i < it->second.size(); ++i) {
    const Hook& hook = it->second[i];
    shim::StartHookSpec spec;
    spec.name = absl::StrCat("hook ", HookStageName(HookStage::kStartContainer),
                             "[", i, "] ", hook.path);
    spec.path = hook.path;
    spec.argv =
        hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
    spec.env = hook.env;
    spec.timeout_seconds = hook.timeout_seconds.value_or(0);
    hooks.push_back(std::move(spec));
  }
  return hooks;
}

}  // namespace

int CloneFlag(NamespaceType type) {
  switch (type) {
    case NamespaceType::kMount:
      return CLONE_NEWNS;
    case NamespaceType::kPid:
      return CLONE_NEWPID;
    case NamespaceType::kUts:
      return CLONE_NEWUTS;
    case NamespaceType::kIpc:
      return CLONE_NEWIPC;
    case NamespaceType::kNetwork:
      return CLONE_NEWNET;
    case NamespaceType::kUser:
      return CLONE_NEWUSER;
    case NamespaceType::kCgroup:
      return CLONE_NEWCGROUP;
    case NamespaceType::kTime:
      return CLONE_NEWTIME;
  }
  return 0;
}

bool WantsDefaultDev(const Config& config) {
  for (const Mount& mount : config.mounts) {
    if (IsDevMount(mount)) return false;
  }
  return true;
}

void SetSchedulingSpec(const Config& config, shim::JailSpec* spec) {
  spec->io_priority = config.io_priority;
  if (config.scheduler) {
    const Scheduler& s = *config.scheduler;
    spec->scheduler =
        shim::SchedulerSpec{s.policy,
                            s.flags,
                            s.nice.value_or(0),
                            static_cast<uint32_t>(s.priority.value_or(0)),
                            s.runtime.value_or(0),
                            s.deadline.value_or(0),
                            s.period.value_or(0)};
  }
}

void SetProcessSpec(const Config& config, shim::JailSpec* spec) {
  spec->rlimits = config.rlimits;
  spec->caps = config.capabilities;
  spec->securebits_skip_mask = config.securebits_skip_mask;
  spec->no_new_privs = config.no_new_privileges;
  spec->uid = config.uid;
  spec->gid = config.gid;
  spec->additional_gids.assign(config.additional_gids.begin(),
                               config.additional_gids.end());
  if (config.umask) spec->umask = static_cast<mode_t>(*config.umask);
  spec->oom_score_adj = config.oom_score_adj;
  SetSchedulingSpec(config, spec);
  spec->personality = config.personality;
  spec->selinux_label = config.selinux_label;
  spec->argv = config.argv;
  spec->env = config.env;
  spec->cwd = config.cwd.empty() ? "/" : config.cwd;
}

void SetProcessIo(const Config& config, const ProcessIo& io,
                  shim::JailSpec* spec) {
  spec->stdin_fd = io.stdin_fd;
  spec->stdout_fd = io.stdout_fd;
  spec->stderr_fd = io.stderr_fd;
  if (io.keep_fds != nullptr) spec->keep_fds = *io.keep_fds;
  if (config.terminal) {
    spec->console_socket_fd = io.console_socket_fd;
    spec->console_rows = config.console_rows;
    spec->console_cols = config.console_cols;
  }
}

absl::StatusOr<shim::JailSpec> BuildJailSpec(const Config& config,
                                             const CreateOptions& options,
                                             const JailSpecInputs& inputs) {
  shim::JailSpec spec;
  spec.time_offsets = config.time_offsets;
  for (const Namespace& ns : config.namespaces) {
    spec.namespaces.push_back({CloneFlag(ns.type), ns.path});
  }
  spec.uid_map = config.uid_map;
  spec.gid_map = config.gid_map;

  spec.rootfs = config.rootfs;
  spec.rootfs_readonly = config.rootfs_readonly;
  spec.rootfs_propagation = config.rootfs_propagation;
  spec.default_dev = WantsDefaultDev(config);
  for (size_t i = 0; i < config.mounts.size(); ++i) {
    const Mount& m = config.mounts[i];
    if (inputs.skip_mounts.count(i)) continue;
    if (!m.verity.empty()) {
      return absl::InternalError(absl::StrCat(
          "mount ", m.destination, ": dm-verity mount reached the jail spec"));
    }
    shim::MountSpec ms;
    auto source = inputs.mount_sources.find(i);
    ms.source =
        source != inputs.mount_sources.end() ? source->second : m.source;
    ms.target = m.destination;
    ms.type = m.type;
    ms.flags = m.flags;
    ms.propagation = m.propagation;
    ms.data = m.data;
    ms.uid_mappings = m.uid_mappings;
    ms.gid_mappings = m.gid_mappings;
    ms.recursive_attr_set = m.recursive_attr_set;
    ms.recursive_attr_clr = m.recursive_attr_clr;
    // The config's /dev tmpfs, in its place in the list and with its own
    // options, gets the standard nodes (runc creates the same ones there).
    ms.default_dev_nodes = IsDevMount(m) && m.type == "tmpfs";
    ms.copy_up = m.copy_up;
    ms.number = static_cast<int>(i);  // config.json's index
    spec.mounts.push_back(std::move(ms));
  }
  spec.devices = inputs.devices;
  spec.masked_paths = config.masked_paths;
  spec.readonly_paths = config.readonly_paths;

  spec.hostname = config.hostname;
  spec.domainname = config.domainname;
  spec.sysctls = config.sysctls;
  SetProcessSpec(config, &spec);
  spec.seccomp_bpf = inputs.seccomp_bpf;
  spec.seccomp_flags = inputs.seccomp_flags;
  spec.core_sched = config.core_sched;
  spec.alt_syscall_table = config.alt_syscall_table;
  spec.run_as_init = config.run_as_init;

  SetProcessIo(config,
               {options.stdin_fd, options.stdout_fd, options.stderr_fd,
                &options.keep_fds, options.console_socket_fd},
               &spec);
  spec.start_fd = options.start_fd;
  spec.exec_stub_fd = options.exec_stub_fd;
  spec.start_hooks = StartHooks(config);
  if (!spec.start_hooks.empty()) {
    if (!options.start_hooks_state) {
      return absl::InvalidArgumentError(
          "startContainer hooks: no state for their stdin");
    }
    spec.start_hooks_state = options.start_hooks_state;
  }
  return spec;
}

}  // namespace libcontainer
