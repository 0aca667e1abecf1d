#include "libcontainer/container.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include <optional>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/cgroup_v1.h"
#include "libcontainer/cgroups.h"
#include "libcontainer/devices.h"
#include "libcontainer/host_checks.h"
#include "libcontainer/intermediate_mounts.h"
#include "libcontainer/jail_spec.h"
#include "libcontainer/loop_device.h"
#include "libcontainer/net_devices.h"
#include "libcontainer/seccomp_cache.h"
#include "libcontainer/verity.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/seccomp.h"

namespace libcontainer {

struct Container::State {
  std::optional<shim::Jail> jail;
  std::optional<Cgroups> cgroups;
  IntermediateMounts intermediate_mounts;
  std::optional<ExitStatus> exit_status;
  CreateTimes times;
};

namespace {

bool HasNewNamespace(const Config& config, NamespaceType type) {
  for (const Namespace& ns : config.namespaces) {
    if (ns.type == type && ns.path.empty()) return true;
  }
  return false;
}

bool HasNewUserNamespace(const Config& config) {
  return HasNewNamespace(config, NamespaceType::kUser);
}

// A cgroup shared with processes that are not the container's cannot be
// emptied at teardown; killing the container's init must take the rest of
// its processes with it, which only a pid namespace of its own does.
absl::Status CheckCgroupSharing(const Config& config) {
  if (!config.share_cgroup || HasNewNamespace(config, NamespaceType::kPid)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "config.json: annotations.", kSharedCgroupAnnotation,
      ": sharing a cgroup needs a new pid namespace (linux.namespaces), so "
      "that destroy can kill the container's processes and no others"));
}

// Where the cgroup path came from, for errors about the cgroup itself.
std::string CgroupOrigin(const Config& config, const std::string& relative) {
  if (!config.cgroups_path.empty()) {
    return absl::StrCat("config.json: linux.cgroupsPath \"",
                        config.cgroups_path, "\"");
  }
  return absl::StrCat("cgroup \"", relative,
                      "\" (cgroup parent and container id)");
}

// The host ids that are root inside the container own its cgroups, so that
// a container with a user namespace can manage them (runc does the same).
std::optional<CgroupOwner> CgroupOwnerFor(const Config& config) {
  if (!HasNewUserNamespace(config)) return std::nullopt;
  auto host_id = [](const std::vector<IdMap>& maps) -> std::optional<uint32_t> {
    for (const IdMap& m : maps) {
      if (m.inside == 0 && m.count > 0) return m.outside;
    }
    return std::nullopt;
  };
  std::optional<uint32_t> uid = host_id(config.uid_map);
  std::optional<uint32_t> gid = host_id(config.gid_map);
  if (!uid || !gid) return std::nullopt;
  return CgroupOwner{*uid, *gid};
}

absl::StatusOr<std::string> RelativeCgroupPath(const Config& config,
                                               const CreateOptions& options) {
  return CgroupRelativePath(config.cgroups_path, options.cgroup_parent,
                            options.id);
}

absl::Status RunHooks(const CreateOptions& options, HookStage stage,
                      pid_t pid) {
  if (!options.run_hooks) return absl::OkStatus();
  return options.run_hooks(stage, pid);
}

// The OCI stages that run while the child waits before pivot_root.
constexpr HookStage kBeforePivotStages[] = {
    HookStage::kPrestart, HookStage::kCreateRuntime,
    HookStage::kCreateContainer, HookStage::kPrechroot};

bool HasHooksBeforePivot(const Config& config) {
  for (HookStage stage : kBeforePivotStages) {
    auto it = config.hooks.find(stage);
    if (it != config.hooks.end() && !it->second.empty()) return true;
  }
  return false;
}

absl::Status RunHooksBeforePivot(const CreateOptions& options, pid_t pid) {
  for (HookStage stage : kBeforePivotStages) {
    RETURN_IF_ERROR(RunHooks(options, stage, pid));
  }
  return absl::OkStatus();
}

// What the parent does at each point the child reports (it waits at
// kReady, and at kPreChroot only when hooks run there).
absl::Status OnSync(const Config& config, const CreateOptions& options,
                    CreateTimes* times, shim::SyncPoint point, pid_t pid) {
  switch (point) {
    case shim::SyncPoint::kCloned:
      // The child joined its cgroups itself, first thing (see
      // Cgroups::OpenForSelfJoin).
      times->id_maps = shim::MonotonicNs();
      // I/O priority and scheduler: the shim set them, with the rlimits
      // (JailSpec, process_attrs.h).
      if (!config.net_devices.empty()) {
        // The child is in its network namespace (new or joined) by now.
        const std::string path = absl::StrCat("/proc/", pid, "/ns/net");
        base::ScopedFd netns(open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!netns)
          return base::ErrnoStatus(errno, absl::StrCat("open ", path));
        RETURN_IF_ERROR(MoveNetDevices(config.net_devices, netns.get()));
      }
      return absl::OkStatus();
    case shim::SyncPoint::kPreChroot:
      if (!HasHooksBeforePivot(config)) return absl::OkStatus();
      return RunHooksBeforePivot(options, pid);
    case shim::SyncPoint::kReady:
      // kStartContainer hooks: the child runs them (JailSpec::start_hooks).
      // Without hooks before pivot_root the child did not wait for them;
      // the stages are still passed here, where it does wait (the caller
      // looks for an abort request at each, see CreateOptions::run_hooks).
      if (HasHooksBeforePivot(config)) return absl::OkStatus();
      return RunHooksBeforePivot(options, pid);
  }
  return absl::OkStatus();
}

// Step 1: the container's cgroups, made and limited.
absl::StatusOr<Cgroups> CreateCgroups(const Config& config,
                                      const CreateOptions& options) {
  ASSIGN_OR_RETURN(CgroupHierarchies hierarchies, DiscoverCgroupHierarchies());
  ASSIGN_OR_RETURN(std::string cgroup_path,
                   RelativeCgroupPath(config, options));
  return Cgroups::Create(
      hierarchies, cgroup_path, config.resources, CgroupOwnerFor(config),
      {config.share_cgroup, CgroupOrigin(config, cgroup_path),
       options.cgroup_tag});
}

// Step 2: loop and verity mounts' devices, as the sources of their mounts.
// The loop fds (`loops`) close when Create returns: by then the mounts hold
// the devices, or on failure autoclear frees them.
absl::Status AttachMountDevices(const Config& config, Cgroups* cgroups,
                                JailSpecInputs* inputs,
                                std::vector<LoopDevice>* loops) {
  for (size_t i = 0; i < config.mounts.size(); ++i) {
    const Mount& mount = config.mounts[i];
    if (!mount.verity.empty()) {
      ASSIGN_OR_RETURN(inputs->mount_sources[i], SetUpVerity(mount));
    } else if (mount.loop) {
      ASSIGN_OR_RETURN(
          LoopDevice loop,
          LoopDevice::Attach(mount.source, (mount.flags & MS_RDONLY) != 0));
      inputs->mount_sources[i] = loop.path();
      if (!mount.in_intermediate_namespace) {
        // The jail mounts it from inside the container's devices cgroup.
        CgroupDeviceRule rule;
        rule.allow = true;
        rule.type = 'b';
        rule.major = major(loop.dev());
        rule.minor = minor(loop.dev());
        rule.access = (mount.flags & MS_RDONLY) ? "r" : "rw";
        RETURN_IF_ERROR(cgroups->AllowDevice(rule));
      }
      loops->push_back(std::move(loop));
    }
  }
  return absl::OkStatus();
}

// Step 3: mounts done in the runtime's (intermediate) mount namespace,
// which the jail then skips.
absl::Status MountIntermediate(const Config& config, IntermediateMounts* mounts,
                               JailSpecInputs* inputs) {
  for (size_t i = 0; i < config.mounts.size(); ++i) {
    const Mount& mount = config.mounts[i];
    if (!mount.in_intermediate_namespace) continue;
    auto source = inputs->mount_sources.find(i);
    RETURN_IF_ERROR(mounts->Add(
        config.rootfs, mount,
        source != inputs->mount_sources.end() ? source->second : mount.source));
    inputs->skip_mounts.insert(i);
  }
  return absl::OkStatus();
}

// Step 4: the jail spec; everything the child needs is resolved here.
// `join` holds the fds the spec names until Start returns: the child
// writes to them right after clone.
absl::StatusOr<shim::JailSpec> PrepareJailSpec(const Config& config,
                                               const CreateOptions& options,
                                               const Cgroups& cgroups,
                                               JailSpecInputs* inputs,
                                               Cgroups::SelfJoin* join) {
  ASSIGN_OR_RETURN(inputs->devices, ResolveDevices(config.devices, HostStat()));
  if (config.seccomp) {
    ASSIGN_OR_RETURN(
        shim::CompiledSeccomp compiled,
        CompileSeccompCached(*config.seccomp, options.seccomp_cache_dir_fd));
    inputs->seccomp_bpf = std::move(compiled.program);
    inputs->seccomp_flags = compiled.flags;
  }
  ASSIGN_OR_RETURN(shim::JailSpec spec,
                   BuildJailSpec(config, options, *inputs));
  spec.stop_at_prechroot = HasHooksBeforePivot(config);
  ASSIGN_OR_RETURN(*join, cgroups.OpenForSelfJoin());
  for (size_t i = 0; i < join->tasks_fds.size(); ++i) {
    spec.cgroup_joins.push_back(
        shim::CgroupJoinSpec{join->tasks_fds[i].get(), join->tasks_paths[i]});
  }
  spec.cgroup2_dir_fd =
      join->cgroup2_dir.is_valid() ? join->cgroup2_dir.get() : -1;
  spec.cgroup_binds = cgroups.MountBinds();
  return spec;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Container>> Container::Create(
    const Config& config, const CreateOptions& options) {
  const int64_t begin = shim::MonotonicNs();
  RETURN_IF_ERROR(CheckHostSupport(config));
  RETURN_IF_ERROR(CheckCgroupSharing(config));
  auto state = std::make_shared<State>();
  state->times.begin = begin;

  ASSIGN_OR_RETURN(Cgroups cgroups, CreateCgroups(config, options));
  state->cgroups.emplace(std::move(cgroups));
  state->times.cgroups = shim::MonotonicNs();
  absl::Cleanup remove_cgroups = [&state] {
    (void)state->cgroups->KillAll();
    (void)state->cgroups->Remove();
  };
  JailSpecInputs inputs;
  std::vector<LoopDevice> loops;
  RETURN_IF_ERROR(
      AttachMountDevices(config, &*state->cgroups, &inputs, &loops));
  absl::Cleanup unmount = [&state] {
    (void)state->intermediate_mounts.UnmountAll();
  };
  RETURN_IF_ERROR(
      MountIntermediate(config, &state->intermediate_mounts, &inputs));
  Cgroups::SelfJoin join;
  ASSIGN_OR_RETURN(
      shim::JailSpec spec,
      PrepareJailSpec(config, options, *state->cgroups, &inputs, &join));

  // Step 5: start.
  CreateTimes* times = &state->times;
  times->prepared = shim::MonotonicNs();
  ASSIGN_OR_RETURN(
      shim::Jail jail,
      shim::Jail::Start(spec, [&](shim::SyncPoint point, pid_t pid) {
        return OnSync(config, options, times, point, pid);
      }));
  times->started = shim::MonotonicNs();
  times->child = jail.child_phases();
  state->jail.emplace(std::move(jail));
  std::move(unmount).Cancel();
  std::move(remove_cgroups).Cancel();

  auto container = std::unique_ptr<Container>(new Container());
  container->state_ = std::move(state);
  return container;
}

pid_t Container::pid() const { return state_->jail ? state_->jail->pid() : -1; }

const CreateTimes& Container::create_times() const { return state_->times; }

base::ScopedFd Container::TakeSeccompListener() {
  return state_->jail ? state_->jail->TakeSeccompListener() : base::ScopedFd();
}

absl::Status Container::Kill(int signal) {
  if (state_->exit_status) {
    return absl::FailedPreconditionError(
        absl::StrCat("container process ", pid(), " has already exited"));
  }
  return state_->jail->Kill(signal);
}

absl::StatusOr<ExitStatus> Container::Wait() {
  if (state_->exit_status) return *state_->exit_status;
  ASSIGN_OR_RETURN(ExitStatus status, state_->jail->Wait());
  state_->exit_status = status;
  return status;
}

absl::Status Container::Destroy() {
  absl::Status first;
  // The common case: the init was reaped, and with it (in its own pid
  // namespace) every other process, so the cgroups go in one pass without
  // KillAll's reads of every cgroup.procs. The kernel refuses a busy one;
  // then KillAndRemove kills and removes what is left.
  if (!state_->exit_status || !state_->cgroups->RemoveIfEmpty()) {
    first = KillAndRemove();
  }
  absl::Status s = state_->intermediate_mounts.UnmountAll();
  if (!s.ok() && first.ok()) first = s;
  return first;
}

absl::Status Container::KillAndRemove() {
  // Only in cgroups Create made; in one it reused, killing the init is
  // what kills the container (with its pid namespace, see
  // CheckCgroupSharing) and nothing else.
  absl::Status first = state_->cgroups->KillAll();
  if (!state_->exit_status) (void)state_->jail->Kill(SIGKILL);
  // Reap our child so it leaves no zombie.
  if (!state_->exit_status) {
    auto status = Wait();
    if (!status.ok() && first.ok()) first = status.status();
  }
  absl::Status s = state_->cgroups->Remove();
  if (!s.ok() && first.ok()) first = s;
  return first;
}

std::vector<std::string> Container::created_cgroup_parents() const {
  return state_->cgroups->CreatedParents();
}

std::vector<std::string> Container::created_cgroup_leaves() const {
  return state_->cgroups->CreatedLeaves();
}

absl::Status DestroyDetached(
    const std::string& cgroups_path, const CreateOptions& options,
    const std::vector<std::string>& created_cgroup_parents,
    const std::optional<std::vector<std::string>>& created_cgroup_leaves) {
  ASSIGN_OR_RETURN(CgroupHierarchies hierarchies, DiscoverCgroupHierarchies());
  ASSIGN_OR_RETURN(
      std::string cgroup_path,
      CgroupRelativePath(cgroups_path, options.cgroup_parent, options.id));
  Cgroups cgroups =
      Cgroups::Existing(hierarchies, cgroup_path, created_cgroup_parents,
                        created_cgroup_leaves, options.cgroup_tag);
  absl::Status killed = cgroups.KillAll();
  absl::Status removed = cgroups.Remove();
  RETURN_IF_ERROR(killed);
  return removed;
}

}  // namespace libcontainer
