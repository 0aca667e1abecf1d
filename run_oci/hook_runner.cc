#include "run_oci/hook_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libcontainer/config_symbols.h"
#include "minijail-shim/base/status_macros.h"

namespace run_oci {
namespace {

using libcontainer::HookStage;

absl::Status SysError(absl::string_view prefix, absl::string_view call) {
  return absl::InternalError(
      absl::StrCat(prefix, ": ", call, ": ", strerror(errno)));
}

// Forwards complete lines from `buffer`, keeping a trailing partial line.
void EmitLines(std::string* buffer, const HookOutputSink& sink,
               absl::string_view prefix) {
  size_t start = 0;
  for (size_t nl; (nl = buffer->find('\n', start)) != std::string::npos;
       start = nl + 1) {
    sink(absl::StrCat(prefix,
                      absl::string_view(*buffer).substr(start, nl - start)));
  }
  buffer->erase(0, start);
}

// Reads what is available from non-blocking `fd`; false at EOF or error.
bool ReadAvailable(int fd, std::string* buffer) {
  char chunk[4096];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n > 0) {
      buffer->append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// At a timeout the hook is abandoned, and with it everything it started
// that stayed in its process group. Called before the hook is reaped: the
// group's id is our unreaped child's pid, which the kernel cannot hand to
// anyone else meanwhile. When a hook exits by itself its group is left
// alone: a hook may start a helper meant to outlive it (a network or
// device helper for the container's lifetime), and a real daemon calls
// setsid() and leaves the group anyway, so killing the group then would
// only break hooks, not contain them (only a cgroup could).
void KillHookGroup(pid_t pid) {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);  // a spawner that made no group
}

// The read end of a pipe that already holds the state: written before the
// hook starts, so that a hook that never reads stdin cannot block us (and
// no SIGPIPE is possible).
absl::StatusOr<base::ScopedFd> StatePipe(absl::string_view name,
                                         const std::string& state_json) {
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0) return SysError(name, "pipe2");
  base::ScopedFd in_read(in[0]), in_write(in[1]);
  // Non-blocking: a state bigger than the pipe can hold is an error, not a
  // hang.
  fcntl(in_write.get(), F_SETFL, O_NONBLOCK);
  if (state_json.size() > 65536) {
    fcntl(in_write.get(), F_SETPIPE_SZ, static_cast<int>(state_json.size()));
  }
  if (write(in_write.get(), state_json.data(), state_json.size()) !=
      static_cast<ssize_t>(state_json.size())) {
    return SysError(name, "write state to stdin pipe");
  }
  return in_read;
}

struct HookEnd {
  int wstatus = 0;
  bool timed_out = false;
};

// Forwards the hook's output line by line until it exits, or until
// `deadline` (then its group is killed), and reaps it.
absl::StatusOr<HookEnd> ForwardOutputUntilExit(
    absl::string_view name, const HookProcess& process, int out_fd,
    std::optional<absl::Time> deadline, const HookOutputSink& sink) {
  const std::string prefix = absl::StrCat(name, ": ");
  fcntl(out_fd, F_SETFL, O_NONBLOCK);
  std::string buffer;
  HookEnd end;
  bool output_open = true;
  for (;;) {
    struct pollfd fds[2] = {{process.pidfd.get(), POLLIN, 0},
                            {out_fd, POLLIN, 0}};
    int timeout_ms = -1;
    if (deadline.has_value()) {
      timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(
          std::max(absl::ZeroDuration(), *deadline - absl::Now())));
    }
    int n = poll(fds, output_open ? 2 : 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error = SysError(name, "poll");
      KillHookGroup(process.pid);
      waitpid(process.pid, nullptr, 0);
      return error;
    }
    if (output_open && fds[1].revents != 0) {
      output_open = ReadAvailable(out_fd, &buffer);
      EmitLines(&buffer, sink, prefix);
    }
    if (fds[0].revents != 0) break;
    if (n == 0) {
      KillHookGroup(process.pid);
      end.timed_out = true;
      break;
    }
  }
  while (waitpid(process.pid, &end.wstatus, 0) < 0) {
    if (errno != EINTR) return SysError(name, "waitpid");
  }
  // Whatever the hook printed just before exiting; a background child that
  // still holds the pipe must not make us wait.
  ReadAvailable(out_fd, &buffer);
  if (!buffer.empty()) buffer.push_back('\n');
  EmitLines(&buffer, sink, prefix);
  return end;
}

absl::Status HookResult(absl::string_view name, const libcontainer::Hook& hook,
                        const HookEnd& end) {
  if (end.timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat(name, ": timed out after ", *hook.timeout_seconds, "s"));
  }
  if (WIFSIGNALED(end.wstatus)) {
    return absl::AbortedError(
        absl::StrCat(name, ": killed by signal ", WTERMSIG(end.wstatus)));
  }
  if (WEXITSTATUS(end.wstatus) != 0) {
    return absl::AbortedError(
        absl::StrCat(name, ": exited with status ", WEXITSTATUS(end.wstatus)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view HookStageStatus(HookStage stage) {
  switch (stage) {
    case HookStage::kStartContainer:
      return "created";
    case HookStage::kPoststart:
      return "running";
    case HookStage::kPoststop:
      return "stopped";
    default:
      return "creating";
  }
}

bool RunsInContainerNamespaces(HookStage stage) {
  return stage == HookStage::kCreateContainer || stage == HookStage::kPrechroot;
}

absl::Status HookRunner::Run(HookStage stage,
                             const std::vector<libcontainer::Hook>& hooks,
                             const std::string& state_json,
                             pid_t container_pid) const {
  if (stage == HookStage::kStartContainer) {
    // Its path names a file in the container's image: run as the runtime,
    // it would be the image's code with the host's privileges.
    return absl::InternalError(
        "startContainer hooks run in the container, not in the runtime");
  }
  for (size_t i = 0; i < hooks.size(); ++i) {
    absl::Status status = RunOne(stage, i, hooks[i], state_json, container_pid);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status HookRunner::RunOne(HookStage stage, size_t index,
                                const libcontainer::Hook& hook,
                                const std::string& state_json,
                                pid_t container_pid) const {
  const std::string name = absl::StrCat(
      "hook ", libcontainer::HookStageName(stage), "[", index, "] ", hook.path);
  ASSIGN_OR_RETURN(base::ScopedFd in_read, StatePipe(name, state_json));
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return SysError(name, "pipe2");
  base::ScopedFd out_read(out[0]), out_write(out[1]);

  HookCommand command;
  command.path = hook.path;
  command.argv =
      hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  command.env = hook.env;
  if (RunsInContainerNamespaces(stage))
    command.join_namespaces_of = container_pid;
  command.stdin_fd = in_read.get();
  command.stdout_fd = out_write.get();
  command.stderr_fd = out_write.get();
  command.new_process_group = true;
  absl::StatusOr<HookProcess> process = spawner_(command);
  if (!process.ok()) {
    return absl::Status(process.status().code(),
                        absl::StrCat(name, ": ", process.status().message()));
  }
  in_read.reset();
  out_write.reset();
  std::optional<absl::Time> deadline;
  if (hook.timeout_seconds.has_value()) {
    deadline = absl::Now() + absl::Seconds(*hook.timeout_seconds);
  }
  ASSIGN_OR_RETURN(
      HookEnd end,
      ForwardOutputUntilExit(name, *process, out_read.get(), deadline, sink_));
  return HookResult(name, hook, end);
}

}  // namespace run_oci
