#include "run_oci/commands/container_setup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libcontainer/cgroups.h"
#include "libcontainer/exec_stub_choice.h"
#include "libcontainer/seccomp_cache.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/mount_cleanup.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"
#include "run_oci/parser/resources_json.h"
#include "run_oci/proc_stat.h"
#include "run_oci/process_spawn.h"
#include "run_oci/sealed_reexec.h"
#include "run_oci/seccomp_listener.h"
#include "run_oci/start_socket.h"
#include "run_oci/termination_signals.h"
#include "run_oci/timings.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

bool NeedsIntermediateNamespace(const libcontainer::Config& config) {
  for (const libcontainer::Mount& mount : config.mounts) {
    if (mount.in_intermediate_namespace) return true;
  }
  return false;
}

// Fills the state directory with what humans look for (the tag, made with
// the directory, is all other commands need).
absl::Status PopulateStateDir(const StateDir& dir, const StateRecord& record,
                              const std::string& log_path) {
  RETURN_IF_ERROR(
      dir.Symlink(record.bundle + "/config.json", StateDir::kConfigLink));
  RETURN_IF_ERROR(dir.Symlink(record.rootfs, StateDir::kContainerRootLink));
  if (!log_path.empty()) {
    RETURN_IF_ERROR(dir.Symlink(log_path, StateDir::kLogLink));
  }
  return absl::OkStatus();
}

}  // namespace

base::ScopedFd SeccompCacheFor(const std::string& root, bool has_seccomp) {
  if (!has_seccomp) return base::ScopedFd();
  // Compiled filters are kept beside the containers (crun keeps them in
  // <root>/.cache/seccomp); a cache that cannot be used only costs the
  // compilation.
  absl::StatusOr<base::ScopedFd> cache =
      libcontainer::OpenSeccompCacheDir(root);
  return cache.ok() ? *std::move(cache) : base::ScopedFd();
}

absl::StatusOr<base::ScopedFd> ConnectConsoleSocket(
    const std::string& path, const libcontainer::Config& config) {
  if (!config.terminal) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--console-socket ", path,
        ": config.json: process.terminal is not true, so there is no "
        "terminal to send"));
  }
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--console-socket ", path, ": path too long"));
  }
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  base::ScopedFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || connect(fd.get(), reinterpret_cast<struct sockaddr*>(&addr),
                     sizeof(addr)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--console-socket ", path, ": connect: ", strerror(errno)));
  }
  return fd;
}

namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The cgroup directories above the container's own that its create will
// make: in each hierarchy, those missing now. They go into the first
// record before any is made, so that destroy can remove them (when empty)
// after a create that died before it could record what it made.
absl::StatusOr<std::vector<std::string>> CgroupParentsToMake(
    const libcontainer::Config& config, const CommandLine& cl) {
  ASSIGN_OR_RETURN(std::string relative,
                   libcontainer::CgroupRelativePath(config.cgroups_path,
                                                    cl.cgroup_parent, cl.id));
  std::vector<std::string> parts = absl::StrSplit(relative, '/');
  parts.pop_back();  // the container's own directory
  if (parts.empty()) return std::vector<std::string>();
  ASSIGN_OR_RETURN(libcontainer::CgroupHierarchies hierarchies,
                   libcontainer::DiscoverCgroupHierarchies());
  std::set<std::string> mounts;
  for (const auto& [controller, mount] : hierarchies.v1) mounts.insert(mount);
  if (!hierarchies.unified.empty()) mounts.insert(hierarchies.unified);
  std::vector<std::string> missing;
  for (const std::string& mount : mounts) {
    std::string dir = mount;
    bool exists = true;
    for (const std::string& part : parts) {
      dir = absl::StrCat(dir, "/", part);
      if (exists) exists = IsDirectory(dir);
      if (!exists) missing.push_back(dir);
    }
  }
  return missing;
}

}  // namespace

absl::StatusOr<std::string> AbsoluteBundle(const std::string& bundle) {
  char resolved[PATH_MAX];
  if (realpath(bundle.c_str(), resolved) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("bundle ", bundle, ": ", strerror(errno)));
  }
  return std::string(resolved);
}

absl::Status RecordProcess(const StateDir& dir, StateRecord& record, pid_t pid,
                           const std::string& pid_file) {
  ASSIGN_OR_RETURN(ProcStat stat, ReadProcStat(pid));
  record.pid = pid;
  record.pid_start_time = stat.start_time;
  RETURN_IF_ERROR(dir.WriteRecord(record));
  RETURN_IF_ERROR(dir.WritePidFile(pid));
  // Bare digits, no newline: containerd reads it with strconv.Atoi. Through
  // an O_EXCL|O_NOFOLLOW temporary and rename, so a symlink planted at the
  // pid file or at a temporary's name never redirects the write.
  if (!pid_file.empty()) {
    RETURN_IF_ERROR(base::WriteFileAtomically(pid_file, absl::StrCat(pid)));
  }
  return absl::OkStatus();
}

absl::StatusOr<libcontainer::Config> LoadContainerConfig(
    const CommandLine& cl, const std::string& bundle,
    std::map<std::string, std::string>* annotations,
    std::vector<std::string>* warnings_out) {
  ASSIGN_OR_RETURN(OciConfig oci, LoadOciConfig(bundle));
  *annotations = oci.annotations;
  ConvertOptions options;
  options.bundle_dir = bundle;
  options.run_as_init = cl.run_as_init;
  options.extra_bind_mounts = cl.bind_mounts;
  options.use_current_user = cl.use_current_user;
  std::vector<std::string> warnings;
  ASSIGN_OR_RETURN(libcontainer::Config config,
                   ConvertOciConfig(oci, options, &warnings));
  if (warnings_out != nullptr) {
    *warnings_out = std::move(warnings);
  } else {
    for (const std::string& warning : warnings) LogWarning(warning);
  }
  MarkConfigParsed();
  // Extra args extend process.args; without a process they start nothing.
  if (!config.argv.empty()) {
    config.argv.insert(config.argv.end(), cl.extra_program_args.begin(),
                       cl.extra_program_args.end());
  }
  return config;
}

libcontainer::Config RecordedConfig(const StateRecord& record) {
  libcontainer::Config config;
  config.rootfs = record.rootfs;
  config.cgroups_path = record.cgroups_path;
  config.argv = record.process_args;
  config.hooks = record.hooks;
  return config;
}

void RecordConfig(const libcontainer::Config& config, StateRecord& record) {
  record.rootfs = config.rootfs;
  record.cgroups_path = config.cgroups_path;
  record.resources = UpdatableResources(config.resources);
  record.process_args = config.argv;
  record.init_process = config;
  for (HookStage stage : kLaterHookStages) {
    auto it = config.hooks.find(stage);
    if (it != config.hooks.end()) record.hooks[stage] = it->second;
  }
  record.created = FormatRfc3339Nanos(absl::Now());
}

HookRunner MakeHookRunner() {
  return HookRunner(
      [](const HookCommand& command) -> absl::StatusOr<HookProcess> {
        ASSIGN_OR_RETURN(HookProcess process, SpawnHookProcess(command));
        // During a setup, SIGTERM ends the hook (and so the setup).
        WatchHook(process.pidfd.get());
        return process;
      },
      [](absl::string_view line) { LogInfo(line); });
}

absl::Status RunStageHooks(const HookRunner& hooks,
                           const libcontainer::Config& config,
                           const StateRecord& record, HookStage stage,
                           pid_t pid) {
  auto it = config.hooks.find(stage);
  if (it == config.hooks.end() || it->second.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(CheckSetupNotAborted(record.id));
  absl::Cleanup unwatch = [] { UnwatchHook(); };
  StateRecord with_pid = record;
  with_pid.pid = pid;
  const std::string state = OciStateJson(with_pid, stage);
  if (stage != HookStage::kPoststop) {
    return hooks.Run(stage, it->second, state, pid);
  }
  // runtime-spec 1.3: a failing poststop hook is logged as a warning and
  // the remaining poststop hooks still run.
  for (size_t i = 0; i < it->second.size(); ++i) {
    absl::Status status = hooks.RunOne(stage, i, it->second[i], state, pid);
    if (!status.ok()) LogWarning(status.message());
  }
  return absl::OkStatus();
}

namespace {

// linux.seccomp.listenerPath: the agent gets the filter's fd before the
// program can get far (its first notified syscall waits for the agent).
absl::Status SendSeccompListenerIfAsked(SetUpContainer& setup,
                                        const StateRecord& record) {
  base::ScopedFd listener = setup.container->TakeSeccompListener();
  const auto& seccomp = setup.config.seccomp;
  if (!listener || !seccomp.has_value() || seccomp->listener_path.empty()) {
    return absl::OkStatus();
  }
  StateRecord with_pid = record;
  with_pid.pid = setup.container->pid();
  return SendSeccompListener(
      seccomp->listener_path, listener.get(),
      ContainerProcessStateJson(
          with_pid.pid, seccomp->listener_metadata,
          OciStateJson(with_pid, HookStage::kCreateRuntime)));
}

// The log first, so that what the config load warns about lands in it. A
// supervisor's respawns go on with the log file of its first setup.
absl::StatusOr<std::string> OpenLogFile(const CommandLine& cl) {
  if (cl.log_dir.empty()) return std::string();
  std::string log_path = NewLogFilePath();
  if (!log_path.empty()) return log_path;
  return LogToNewFile(cl.log_dir, cl.id);
}

// The container notifies itself through a socket in its state directory.
absl::Status AddContainerNotifySocket(const StateDir& dir, bool wait_for_start,
                                      SetUpContainer& setup) {
  if (wait_for_start) {
    // This process exits before the container runs: start binds the
    // socket and waits (commands/start.cc).
    return ContainerNotifySocket::AddToConfig(dir.path(), &setup.config);
  }
  ASSIGN_OR_RETURN(ContainerNotifySocket notify,
                   ContainerNotifySocket::Create(dir.path(), &setup.config));
  setup.notify.emplace(std::move(notify));
  return absl::OkStatus();
}

// Where the container's stdout and stderr go when not to ours: --log_tag's
// syslog forwarder, or a supervised container's log file. Invalid: ours.
absl::StatusOr<base::ScopedFd> ContainerOutput(const CommandLine& cl,
                                               SetUpContainer& setup) {
  base::ScopedFd output;
  if (!cl.log_tag.empty()) {
    ASSIGN_OR_RETURN(SyslogForwarder forwarder,
                     StartSyslogForwarder(cl.log_tag));
    output = std::move(forwarder.write_end);
    setup.syslog_forwarder = forwarder.pid;
  } else if (!cl.respawn.empty() && LogFileFd() >= 0) {
    // A supervised container's output stays in one place across restarts:
    // the log file, appended (O_APPEND keeps our lines whole between its).
    output.reset(fcntl(LogFileFd(), F_DUPFD_CLOEXEC, 3));
  }
  return output;
}

// What Create and later commands share (the fds are borrowed).
libcontainer::CreateOptions CreateOptionsFor(const CommandLine& cl,
                                             const StateRecord& record,
                                             int start_fd, int output_fd,
                                             int console_socket_fd) {
  libcontainer::CreateOptions options;
  options.id = cl.id;
  options.cgroup_parent = cl.cgroup_parent;
  options.cgroup_tag = CgroupTag(record);
  options.start_fd = start_fd;
  options.stdout_fd = output_fd;
  options.stderr_fd = output_fd;
  options.console_socket_fd = console_socket_fd;
  return options;
}

// setup.options plus what only Create uses: the seccomp cache and the
// hooks, which run with `record`'s state (all three outlive the Create).
libcontainer::CreateOptions CreateOptionsWithHooks(
    const SetUpContainer& setup, const HookRunner& hooks,
    const StateRecord& record, const base::ScopedFd& seccomp_cache) {
  libcontainer::CreateOptions create_options = setup.options;
  create_options.seccomp_cache_dir_fd = seccomp_cache.get();
  create_options.run_hooks = [&hooks, config = &setup.config, &record](
                                 HookStage stage, pid_t pid) {
    RETURN_IF_ERROR(RunStageHooks(hooks, *config, record, stage, pid));
    // The last look before the program: past kPrechroot, run's program is
    // executed without another call here, and a request is then its own.
    return CheckSetupNotAborted(record.id);
  };
  create_options.start_hooks_state = [&record](pid_t pid) {
    StateRecord with_pid = record;
    with_pid.pid = pid;
    return OciStateJson(with_pid, HookStage::kStartContainer);
  };
  return create_options;
}

// After Create: what the container made and its process go into the
// record, the pid file and the seccomp agent.
absl::Status RecordCreated(const StateDir& dir, const CommandLine& cl,
                           bool wait_for_start, SetUpContainer& setup) {
  StateRecord& record = setup.record;
  // run: Create returned after the program's execve, so a request that
  // came meanwhile is the program's, never an abort.
  if (!wait_for_start) {
    ForwardTerminationTo(setup.container->pid());
  } else {
    RETURN_IF_ERROR(CheckSetupNotAborted(cl.id));
  }
  record.created_cgroup_parents = setup.container->created_cgroup_parents();
  record.created_cgroup_leaves = setup.container->created_cgroup_leaves();
  RETURN_IF_ERROR(SendSeccompListenerIfAsked(setup, record));
  RETURN_IF_ERROR(
      RecordProcess(dir, record, setup.container->pid(), cl.pid_file));
  if (wait_for_start) RETURN_IF_ERROR(CheckSetupNotAborted(cl.id));
  return absl::OkStatus();
}

absl::StatusOr<SetUpContainer> SetUp(const CommandLine& cl,
                                     bool wait_for_start) {
  SetUpContainer setup;
  StateRecord& record = setup.record;
  record.id = cl.id;
  ASSIGN_OR_RETURN(record.bundle, AbsoluteBundle(cl.bundle));
  record.cgroup_parent = cl.cgroup_parent;
  ASSIGN_OR_RETURN(const std::string log_path, OpenLogFile(cl));
  std::vector<std::string> warnings;
  ASSIGN_OR_RETURN(
      setup.config,
      LoadContainerConfig(cl, record.bundle, &record.annotations, &warnings));
  const libcontainer::Config& config = setup.config;
  // A run that put off its sealed re-exec (sealed_reexec.h) makes it now,
  // before anything else happens, unless the program can be executed
  // through the exec stub; the re-executed image loads the config again
  // and says its warnings then.
  ASSIGN_OR_RETURN(base::ScopedFd exec_stub, ExecStubOrSealedReexec([&] {
                     return libcontainer::ExecStubRefusal(config,
                                                          wait_for_start);
                   }));
  for (const std::string& warning : warnings) LogWarning(warning);
  if (!wait_for_start) RETURN_IF_ERROR(RequireProcessToStart(config));
  ASSIGN_OR_RETURN(bool container_notifies,
                   ContainerNotifies(cl.notify_socket, record.annotations));
  container_notifies = container_notifies && !HostNotifySocket().empty();
  RecordConfig(config, record);
  ASSIGN_OR_RETURN(record.created_cgroup_parents,
                   CgroupParentsToMake(config, cl));

  base::ScopedFd console_socket;
  if (!cl.console_socket.empty()) {
    ASSIGN_OR_RETURN(console_socket,
                     ConnectConsoleSocket(cl.console_socket, config));
  }
  HookRunner hooks = MakeHookRunner();
  RETURN_IF_ERROR(
      RunStageHooks(hooks, config, record, HookStage::kPrecreate, 0));
  RETURN_IF_ERROR(CheckSetupNotAborted(cl.id));

  // Appears with its tag, the first record in it and our lock on it.
  ASSIGN_OR_RETURN(StateDir dir,
                   StateDir::Create(cl.root, cl.id, record, &setup.lock));
  setup.dir.emplace(dir);
  // From here on the directory is ours; any failure removes it.
  // Declared before the fds below, so it runs after they are closed.
  absl::Cleanup remove_dir = [&dir, &setup] {
    absl::Status status = dir.Remove();
    if (!status.ok()) LogError(status.message());
    if (setup.syslog_forwarder > 0) {
      while (waitpid(setup.syslog_forwarder, nullptr, 0) < 0 &&
             errno == EINTR) {
      }
    }
  };
  RETURN_IF_ERROR(PopulateStateDir(dir, record, log_path));
  if (container_notifies) {
    RETURN_IF_ERROR(AddContainerNotifySocket(dir, wait_for_start, setup));
  }
  if (NeedsIntermediateNamespace(config)) {
    RETURN_IF_ERROR(EnterIntermediateMountNamespace());
  }
  base::ScopedFd start_socket;
  if (wait_for_start) {
    ASSIGN_OR_RETURN(start_socket, ListenStartSocket(dir));
  }
  ASSIGN_OR_RETURN(base::ScopedFd output, ContainerOutput(cl, setup));

  setup.options = CreateOptionsFor(cl, record, start_socket.get(), output.get(),
                                   console_socket.get());
  libcontainer::CreateOptions& options = setup.options;
  options.exec_stub_fd = exec_stub.get();
  base::ScopedFd seccomp_cache =
      SeccompCacheFor(cl.root, config.seccomp.has_value());
  RETURN_IF_ERROR(CheckSetupNotAborted(cl.id));
  ASSIGN_OR_RETURN(
      setup.container,
      libcontainer::Container::Create(
          config, CreateOptionsWithHooks(setup, hooks, record, seccomp_cache)));
  absl::Cleanup destroy_container = [&setup] {
    (void)setup.container->Destroy();
  };
  // The forwarder's only writers are now the container's.
  output.reset();
  options.start_fd = -1;
  exec_stub.reset();
  options.exec_stub_fd = -1;
  console_socket.reset();
  options.console_socket_fd = -1;
  RETURN_IF_ERROR(RecordCreated(dir, cl, wait_for_start, setup));
  std::move(destroy_container).Cancel();
  std::move(remove_dir).Cancel();
  LogInfo(absl::StrCat("container ", cl.id, " created, pid ",
                       setup.container->pid()));
  return setup;
}

}  // namespace

absl::StatusOr<SetUpContainer> SetUpNewContainer(const CommandLine& cl,
                                                 bool wait_for_start) {
  HandleTerminationDuringSetup();
  absl::StatusOr<SetUpContainer> setup = SetUp(cl, wait_for_start);
  if (!setup.ok()) {
    // What the signal broke (a SIGKILLed hook, ...) is a detail; the
    // request is the reason.
    absl::Status aborted = CheckSetupNotAborted(cl.id);
    RestoreTerminationHandling();
    if (aborted.ok()) return setup.status();
    LogInfo(setup.status().message());
    return aborted;
  }
  if (wait_for_start) RestoreTerminationHandling();
  return setup;
}

absl::StatusOr<ExistingContainer> OpenExistingContainer(const CommandLine& cl,
                                                        bool lock) {
  ASSIGN_OR_RETURN(StateDir dir, StateDir::Open(cl.root, cl.id));
  base::ScopedFd lock_fd;
  if (lock) {
    ASSIGN_OR_RETURN(lock_fd, dir.Lock());
    if (!dir.StillExists(lock_fd)) {
      return ContainerNotExistError(cl.id);
    }
  }
  std::string log_link = dir.File(StateDir::kLogLink);
  if (access(log_link.c_str(), F_OK) == 0) {
    absl::Status status = LogToExistingFile(log_link);
    if (!status.ok()) LogWarning(status.message());
  }
  ASSIGN_OR_RETURN(StateRecord record, dir.ReadRecord());
  return ExistingContainer{std::move(dir), std::move(record),
                           std::move(lock_fd)};
}

absl::StatusOr<ExistingContainer> OpenLiveContainer(const CommandLine& cl,
                                                    bool lock) {
  ASSIGN_OR_RETURN(ExistingContainer existing, OpenExistingContainer(cl, lock));
  ContainerStatus status = GetContainerStatus(existing.dir, existing.record);
  if (status == ContainerStatus::kStopped ||
      status == ContainerStatus::kCreating) {
    return ContainerNotRunningError(cl.id);
  }
  return existing;
}

absl::Status TearDown(SetUpContainer& setup) {
  absl::Status first;
  if (setup.container != nullptr) first = setup.container->Destroy();
  if (setup.dir.has_value()) {
    absl::Status s = setup.dir->Remove();
    if (first.ok()) first = s;
  }
  // Every writer of its pipe is dead now, so it is at EOF.
  if (setup.syslog_forwarder > 0) {
    while (waitpid(setup.syslog_forwarder, nullptr, 0) < 0 && errno == EINTR) {
    }
    setup.syslog_forwarder = -1;
  }
  return first;
}

absl::Status TearDownDetached(const StateDir& dir, const StateRecord& record) {
  libcontainer::CreateOptions options;
  options.id = record.id;
  options.cgroup_parent = record.cgroup_parent;
  options.cgroup_tag = CgroupTag(record);
  absl::Status unmounted = UnmountAllUnder(dir.path());
  absl::Status destroyed = libcontainer::DestroyDetached(
      record.cgroups_path, options, record.created_cgroup_parents,
      record.created_cgroup_leaves);
  // Last: the directory (with the record) is what lets a destroy killed
  // before this point be redone.
  absl::Status removed = dir.Remove();
  if (!unmounted.ok()) return unmounted;
  if (!destroyed.ok()) return destroyed;
  return removed;
}

}  // namespace run_oci
