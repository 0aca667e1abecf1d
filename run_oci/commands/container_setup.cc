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

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/mount_cleanup.h"
#include "run_oci/oci_convert.h"
#include "run_oci/oci_parser.h"
#include "run_oci/proc_stat.h"
#include "run_oci/process_spawn.h"
#include "run_oci/resources_json.h"
#include "run_oci/seccomp_listener.h"
#include "run_oci/timings.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

absl::StatusOr<std::string> AbsoluteBundle(const std::string& bundle) {
  char resolved[PATH_MAX];
  if (realpath(bundle.c_str(), resolved) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("bundle ", bundle, ": ", strerror(errno)));
  }
  return std::string(resolved);
}

bool NeedsIntermediateNamespace(const libcontainer::Config& config) {
  for (const libcontainer::Mount& mount : config.mounts) {
    if (mount.in_intermediate_namespace) return true;
  }
  return false;
}

// The exec fifo of OCI create: the child blocks reading it until `start`
// writes a byte. Opened O_RDWR so that neither open nor the child's read
// sees EOF before that.
absl::StatusOr<shim::ScopedFd> MakeExecFifo(const StateDir& dir) {
  std::string path = dir.File(StateDir::kExecFifo);
  if (mkfifo(path.c_str(), 0600) != 0) {
    return absl::InternalError(
        absl::StrCat("mkfifo ", path, ": ", strerror(errno)));
  }
  shim::ScopedFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) {
    return absl::InternalError(
        absl::StrCat("open ", path, ": ", strerror(errno)));
  }
  return fd;
}

// Fills the state directory with what other commands and humans look for.
absl::Status PopulateStateDir(const StateDir& dir, const StateRecord& record,
                              const std::string& log_path) {
  RETURN_IF_ERROR(
      dir.Symlink(record.bundle + "/config.json", StateDir::kConfigLink));
  RETURN_IF_ERROR(dir.Symlink(record.rootfs, StateDir::kContainerRootLink));
  if (!log_path.empty())
    RETURN_IF_ERROR(dir.Symlink(log_path, StateDir::kLogLink));
  // The tag comes last: a directory with it is complete enough for
  // state/kill/destroy.
  return dir.WriteTag();
}

// runc's --console-socket: the container's terminal master goes there.
absl::StatusOr<shim::ScopedFd> ConnectConsoleSocket(
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
  shim::ScopedFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || connect(fd.get(), reinterpret_cast<struct sockaddr*>(&addr),
                     sizeof(addr)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--console-socket ", path, ": connect: ", strerror(errno)));
  }
  return fd;
}

absl::Status RecordProcess(const StateDir& dir, StateRecord& record, pid_t pid,
                           const std::string& pid_file) {
  ASSIGN_OR_RETURN(ProcStat stat, ReadProcStat(pid));
  record.pid = pid;
  record.pid_start_time = stat.start_time;
  RETURN_IF_ERROR(dir.WriteRecord(record));
  RETURN_IF_ERROR(dir.WritePidFile(pid));
  if (!pid_file.empty()) {
    RETURN_IF_ERROR(WriteFileAtomically(pid_file, absl::StrCat(pid, "\n")));
  }
  return absl::OkStatus();
}

// linux.seccomp.listenerPath: the agent gets the filter's fd before the
// program can get far (its first notified syscall waits for the agent).
absl::Status SendSeccompListenerIfAsked(SetUpContainer& setup,
                                        const StateRecord& record) {
  shim::ScopedFd listener = setup.container->TakeSeccompListener();
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

}  // namespace

absl::StatusOr<libcontainer::Config> LoadContainerConfig(
    const StateRecord& record,
    const std::vector<std::string>& extra_program_args,
    std::map<std::string, std::string>* annotations) {
  ASSIGN_OR_RETURN(OciConfig oci, LoadOciConfig(record.bundle));
  if (annotations != nullptr) *annotations = oci.annotations;
  ConvertOptions options;
  options.bundle_dir = record.bundle;
  options.run_as_init = record.run_as_init;
  options.extra_bind_mounts = record.bind_mounts;
  options.use_current_user = record.use_current_user;
  std::vector<std::string> warnings;
  ASSIGN_OR_RETURN(libcontainer::Config config,
                   ConvertOciConfig(oci, options, &warnings));
  for (const std::string& warning : warnings) LogWarning(warning);
  MarkConfigParsed();
  // Extra args extend process.args; without a process they start nothing.
  if (!config.argv.empty()) {
    config.argv.insert(config.argv.end(), extra_program_args.begin(),
                       extra_program_args.end());
  }
  return config;
}

HookRunner MakeHookRunner() {
  return HookRunner(SpawnHookProcess,
                    [](absl::string_view line) { LogInfo(line); });
}

absl::Status RunStageHooks(const HookRunner& hooks,
                           const libcontainer::Config& config,
                           const StateRecord& record, HookStage stage,
                           pid_t pid) {
  auto it = config.hooks.find(stage);
  if (it == config.hooks.end() || it->second.empty()) return absl::OkStatus();
  StateRecord with_pid = record;
  with_pid.pid = pid;
  return hooks.Run(stage, it->second, OciStateJson(with_pid, stage), pid);
}

absl::StatusOr<SetUpContainer> SetUpNewContainer(const CommandLine& cl,
                                                 bool wait_for_start) {
  SetUpContainer setup;
  StateRecord& record = setup.record;
  record.id = cl.id;
  ASSIGN_OR_RETURN(record.bundle, AbsoluteBundle(cl.bundle));
  record.cgroup_parent = cl.cgroup_parent;
  record.bind_mounts = cl.bind_mounts;
  record.use_current_user = cl.use_current_user;
  record.run_as_init = cl.run_as_init;
  // The log first, so that what the config load warns about lands in it.
  std::string log_path;
  if (!cl.log_dir.empty()) {
    ASSIGN_OR_RETURN(log_path, LogToNewFile(cl.log_dir, cl.id));
  }
  ASSIGN_OR_RETURN(
      setup.config,
      LoadContainerConfig(record, cl.extra_program_args, &record.annotations));
  const libcontainer::Config& config = setup.config;
  if (!wait_for_start) RETURN_IF_ERROR(RequireProcessToStart(config));
  record.rootfs = config.rootfs;
  record.cgroups_path = config.cgroups_path;
  record.resources = UpdatableResources(config.resources);
  record.created = FormatRfc3339Nanos(absl::Now());

  shim::ScopedFd console_socket;
  if (!cl.console_socket.empty()) {
    ASSIGN_OR_RETURN(console_socket,
                     ConnectConsoleSocket(cl.console_socket, config));
  }
  HookRunner hooks = MakeHookRunner();
  RETURN_IF_ERROR(
      RunStageHooks(hooks, config, record, HookStage::kPrecreate, 0));

  ASSIGN_OR_RETURN(StateDir dir, StateDir::Create(cl.root, cl.id));
  setup.dir.emplace(dir);
  // Nobody can have it yet: the directory is not tagged.
  ASSIGN_OR_RETURN(setup.lock, dir.CreateLockedTag(record));
  // From here on the directory is ours; any failure removes it.
  // Declared before the fds below, so it runs after they are closed.
  absl::Cleanup remove_dir = [&dir, &setup] {
    absl::Status status = CleanupStateDirectory(dir.path());
    if (!status.ok()) LogError(status.message());
    if (setup.syslog_forwarder > 0) {
      while (waitpid(setup.syslog_forwarder, nullptr, 0) < 0 &&
             errno == EINTR) {
      }
    }
  };
  RETURN_IF_ERROR(PopulateStateDir(dir, record, log_path));

  if (NeedsIntermediateNamespace(config)) {
    RETURN_IF_ERROR(EnterIntermediateMountNamespace());
  }
  shim::ScopedFd exec_fifo;
  if (wait_for_start) {
    ASSIGN_OR_RETURN(exec_fifo, MakeExecFifo(dir));
  }
  shim::ScopedFd output;
  if (!cl.log_tag.empty()) {
    ASSIGN_OR_RETURN(SyslogForwarder forwarder,
                     StartSyslogForwarder(cl.log_tag));
    output = std::move(forwarder.write_end);
    setup.syslog_forwarder = forwarder.pid;
  }

  libcontainer::CreateOptions& options = setup.options;
  options.id = cl.id;
  options.cgroup_parent = cl.cgroup_parent;
  options.start_fd = exec_fifo.get();
  options.stdout_fd = output.get();
  options.stderr_fd = output.get();
  options.console_socket_fd = console_socket.get();
  libcontainer::CreateOptions create_options = options;
  create_options.run_hooks = [&](HookStage stage, pid_t pid) {
    return RunStageHooks(hooks, config, record, stage, pid);
  };
  ASSIGN_OR_RETURN(setup.container,
                   libcontainer::Container::Create(config, create_options));
  // The forwarder's only writers are now the container's.
  output.reset();
  options.start_fd = -1;
  console_socket.reset();
  options.console_socket_fd = -1;

  record.created_cgroup_parents = setup.container->created_cgroup_parents();
  absl::Status recorded = SendSeccompListenerIfAsked(setup, record);
  if (recorded.ok()) {
    recorded = RecordProcess(dir, record, setup.container->pid(), cl.pid_file);
  }
  if (!recorded.ok()) {
    (void)setup.container->Destroy();
    return recorded;
  }
  std::move(remove_dir).Cancel();
  LogInfo(absl::StrCat("container ", cl.id, " created, pid ",
                       setup.container->pid()));
  return setup;
}

absl::StatusOr<ExistingContainer> OpenExistingContainer(const CommandLine& cl,
                                                        bool lock) {
  ASSIGN_OR_RETURN(StateDir dir, StateDir::Open(cl.root, cl.id));
  shim::ScopedFd lock_fd;
  if (lock) {
    ASSIGN_OR_RETURN(lock_fd, dir.Lock());
    if (!dir.StillExists(lock_fd)) {
      return absl::NotFoundError(
          absl::StrCat("container ", cl.id, " does not exist"));
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

absl::Status TearDown(SetUpContainer& setup) {
  absl::Status first;
  if (setup.container != nullptr) first = setup.container->Destroy();
  if (setup.dir.has_value()) {
    absl::Status s = CleanupStateDirectory(setup.dir->path());
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

absl::Status TearDownDetached(const StateDir& dir, const StateRecord& record,
                              const libcontainer::Config* config) {
  libcontainer::Config minimal;
  minimal.cgroups_path = record.cgroups_path;
  libcontainer::CreateOptions options;
  options.id = record.id;
  options.cgroup_parent = record.cgroup_parent;
  absl::Status unmounted = UnmountAllUnder(dir.path());
  absl::Status destroyed =
      libcontainer::DestroyDetached(config != nullptr ? *config : minimal,
                                    options, record.created_cgroup_parents);
  absl::Status removed = RemoveDirTree(dir.path());
  if (!unmounted.ok()) return unmounted;
  if (!destroyed.ok()) return destroyed;
  return removed;
}

}  // namespace run_oci
