// Runs the OCI hooks of one stage on the runtime's side: each hook gets the
// state JSON on stdin, its own environment, an optional timeout after which
// its process group is SIGKILLed, and has its stdout/stderr forwarded line
// by line to run_oci's log. Hooks of a stage run in config order; the first
// failure stops the stage. startContainer hooks are not run here: the
// container's own process runs them (minijail-shim/start_hooks.h).
#ifndef RUN_OCI_HOOK_RUNNER_H_
#define RUN_OCI_HOOK_RUNNER_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/config.h"
#include "minijail-shim/base/scoped_fd.h"

namespace run_oci {

// One hook process to start.
struct HookCommand {
  std::string path;
  std::vector<std::string> argv;  // argv[0] as the hook config says
  std::vector<std::string> env;
  pid_t join_namespaces_of = -1;  // > 0: run in that process's namespaces
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  // The hook leads a process group of its own, which the timeout kills
  // whole: a hook's children (a shell's background job, a helper it
  // forked) die with it. The runner always asks for it.
  bool new_process_group = true;
};

// A started hook: a child of this process and a pidfd that becomes
// readable when it exits.
struct HookProcess {
  pid_t pid = -1;
  base::ScopedFd pidfd;
};

using HookSpawner =
    std::function<absl::StatusOr<HookProcess>(const HookCommand&)>;
// Receives each line (without '\n') a hook printed.
using HookOutputSink = std::function<void(absl::string_view line)>;

// The OCI status hooks of `stage` see: creating, created, running, stopped.
absl::string_view HookStageStatus(libcontainer::HookStage stage);
// createContainer and prechroot run in the container's namespaces (with a
// binary from the runtime's). startContainer hooks run inside the
// container, from its own process; Run refuses them.
bool RunsInContainerNamespaces(libcontainer::HookStage stage);

class HookRunner {
 public:
  HookRunner(HookSpawner spawner, HookOutputSink sink)
      : spawner_(std::move(spawner)), sink_(std::move(sink)) {}

  // Runs `hooks` in order with `state_json` on stdin. Errors read
  // "hook <stage>[i] <path>: exited with status N" (or "killed by signal N",
  // "timed out after Ns", or the spawn error).
  absl::Status Run(libcontainer::HookStage stage,
                   const std::vector<libcontainer::Hook>& hooks,
                   const std::string& state_json, pid_t container_pid) const;
  // One hook; `index` is its place in the stage's list (for messages).
  absl::Status RunOne(libcontainer::HookStage stage, size_t index,
                      const libcontainer::Hook& hook,
                      const std::string& state_json, pid_t container_pid) const;

 private:
  HookSpawner spawner_;
  HookOutputSink sink_;
};

}  // namespace run_oci

#endif  // RUN_OCI_HOOK_RUNNER_H_
