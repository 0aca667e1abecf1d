// `exec [flags] <id> [program...]`: a new process in a created or running
// container (runc exec), as podman (conmon) and containerd's shim call it:
// `exec --process F --detach --pid-file P [--tty --console-socket S] ID`.
// The process gets what the record kept of the init (process_record.h,
// exec_process.h), never what config.json says now.
#include "libcontainer/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libcontainer/exec_stub_choice.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/exec_process.h"
#include "run_oci/logging.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/recorded_cgroups.h"
#include "run_oci/sealed_reexec.h"
#include "run_oci/termination_signals.h"

namespace run_oci {
namespace {

absl::Status CheckRunnable(const CommandLine& cl, const ExistingContainer& c,
                           const absl::StatusOr<RecordedCgroups>& cgroups,
                           const ExecFlags& flags) {
  switch (GetContainerStatus(c.dir, c.record, cgroups)) {
    case ContainerStatus::kCreated:
    case ContainerStatus::kRunning:
      return absl::OkStatus();
    case ContainerStatus::kPaused:
      if (flags.ignore_paused) return absl::OkStatus();
      // runc's words.
      return absl::FailedPreconditionError(absl::StrCat(
          "container ", cl.id,
          ": cannot exec in a paused container (use --ignore-paused to "
          "override)"));
    case ContainerStatus::kCreating:
    case ContainerStatus::kStopped:
      break;
  }
  return ContainerNotRunningError(cl.id);
}

// The fds --preserve-fds N passes: 3 .. 3+N-1, each of which must be open.
absl::StatusOr<std::vector<int>> PreservedFds(int count) {
  std::vector<int> fds;
  for (int fd = 3; fd < 3 + count; ++fd) {
    if (fcntl(fd, F_GETFD) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--preserve-fds ", count, ": fd ", fd, ": ", strerror(errno)));
    }
    fds.push_back(fd);
  }
  return fds;
}

// The process the record's init and the flags (or --process) describe.
absl::StatusOr<libcontainer::Config> ProcessToExec(const CommandLine& cl,
                                                   const StateRecord& record,
                                                   const ExecFlags& flags) {
  if (!record.init_process) {
    return absl::FailedPreconditionError(absl::StrCat(
        "container ", cl.id,
        ": its state.json has no initProcess (made by an older run_oci), "
        "so exec does not know the init's capabilities and seccomp profile"));
  }
  std::optional<std::string> process_json;
  if (!flags.process_file.empty()) {
    ASSIGN_OR_RETURN(
        process_json,
        base::ReadRegularFile(flags.process_file, {kMaxJsonDocumentBytes,
                                                   /*follow_symlinks=*/true}));
  }
  return ExecProcessConfig(*record.init_process, process_json, flags);
}

// With a terminal: the --console-socket connection that receives its
// master; none (an invalid fd) without one.
absl::StatusOr<base::ScopedFd> ConsoleSocketFor(
    const CommandLine& cl, const libcontainer::Config& process) {
  if (!process.terminal) return base::ScopedFd();
  if (cl.console_socket.empty()) {
    return absl::InvalidArgumentError(
        "exec: a terminal (--tty or process.terminal) needs "
        "--console-socket to send it to");
  }
  return ConnectConsoleSocket(cl.console_socket, process);
}

}  // namespace

absl::StatusOr<int> ExecInContainer(const CommandLine& cl) {
  ASSIGN_OR_RETURN(ExecFlags flags, ExecFlagsFromCommandLine(cl));
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/false));
  // Opened once, for the paused check and for the process to join.
  absl::StatusOr<RecordedCgroups> cgroups =
      OpenRecordedCgroups(existing.record);
  RETURN_IF_ERROR(CheckRunnable(cl, existing, cgroups, flags));
  const StateRecord& record = existing.record;
  ASSIGN_OR_RETURN(libcontainer::Config process,
                   ProcessToExec(cl, record, flags));
  // Before anything is connected or opened: the re-exec, if it comes
  // (run_oci/sealed_reexec.h), starts this command again.
  ASSIGN_OR_RETURN(base::ScopedFd exec_stub, ExecStubOrSealedReexec([&] {
                     return libcontainer::ExecStubRefusalForExec(process,
                                                                 record.pid);
                   }));

  libcontainer::ExecOptions options;
  options.exec_stub_fd = exec_stub.get();
  ASSIGN_OR_RETURN(options.keep_fds, PreservedFds(flags.preserve_fds));
  base::ScopedFd seccomp_cache =
      SeccompCacheFor(cl.root, process.seccomp.has_value());
  options.seccomp_cache_dir_fd = seccomp_cache.get();
  ASSIGN_OR_RETURN(base::ScopedFd console_socket,
                   ConsoleSocketFor(cl, process));
  options.console_socket_fd = console_socket.get();
  ASSIGN_OR_RETURN(base::ScopedFd pidfd, OpenContainerProcess(record));
  RETURN_IF_ERROR(cgroups.status());
  libcontainer::ExecTarget target;
  target.pid = record.pid;
  target.pidfd = pidfd.get();
  target.cgroups = &cgroups->cgroups;
  target.rootfs = record.rootfs;

  if (!flags.detach) HandleTerminationDuringSetup();
  absl::StatusOr<shim::Jail> jail =
      libcontainer::Exec(process, target, options);
  if (!jail.ok()) {
    if (!flags.detach) RestoreTerminationHandling();
    return absl::Status(
        jail.status().code(),
        absl::StrCat("container ", cl.id, ": exec: ", jail.status().message()));
  }
  console_socket.reset();
  exec_stub.reset();
  if (!cl.pid_file.empty()) {
    // As create's: bare digits, through a temporary and rename(2).
    absl::Status written =
        base::WriteFileAtomically(cl.pid_file, absl::StrCat(jail->pid()));
    if (!written.ok()) {
      jail->Kill(SIGKILL).IgnoreError();
      jail->Wait().IgnoreError();
      if (!flags.detach) RestoreTerminationHandling();
      return written;
    }
  }
  LogInfo(absl::StrCat("container ", cl.id, ": exec'd pid ", jail->pid()));
  // Dropping the Jail leaves the process running; once we exit it is the
  // child of our subreaper (conmon, containerd-shim), as with runc.
  if (flags.detach) return 0;
  ForwardTerminationTo(jail->pid());
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  RestoreTerminationHandling();
  if (!status.ok()) return status.status();
  return status->ToShellStatus();
}

}  // namespace run_oci
