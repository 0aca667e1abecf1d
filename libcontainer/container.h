// A running container made from a Config: cgroups, devices, loop and
// intermediate mounts on the host side, then a minijail-shim Jail for the
// process. Any failure during Create unwinds what was done, in reverse.
#ifndef LIBCONTAINER_CONTAINER_H_
#define LIBCONTAINER_CONTAINER_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libcontainer/config.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/phase_timer.h"

namespace libcontainer {

using ExitStatus = shim::ExitStatus;

struct CreateOptions {
  std::string id;             // the container's name; default cgroup leaf
  std::string cgroup_parent;  // used when Config::cgroups_path is empty
  // When >= 0 the process waits on this fd (OCI create) before execve, and
  // kStartContainer hooks are the caller's to run; otherwise it runs at once.
  int start_fd = -1;
  int stdin_fd = -1;  // -1: inherit
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::vector<int> keep_fds;
  // With Config::terminal: a connected unix socket that receives the
  // master of the container's pseudo-terminal (runc's --console-socket).
  int console_socket_fd = -1;
  // Runs the config's hooks of one stage; libcontainer calls it for
  // kPrestart, kCreateRuntime, kCreateContainer and kPrechroot (child at
  // kPreChroot) and, without start_fd, kStartContainer (child at kReady).
  // An error stops the start and unwinds.
  std::function<absl::Status(HookStage, pid_t)> run_hooks;
};

// CLOCK_MONOTONIC stamps (ns; 0: not reached) of Create, for run_oci's
// --timings. Each names the end of a phase.
struct CreateTimes {
  int64_t begin = 0;        // Create called
  int64_t cgroups = 0;      // hierarchies found, cgroups made, limits set
  int64_t prepared = 0;     // loop/intermediate mounts, devices, seccomp
                            // compiled, jail spec built
  int64_t id_maps = 0;      // parent at kCloned: id maps, rlimits written
  int64_t started = 0;      // the child is at kReady, or has exec'd
  shim::PhaseStamps child;  // the child's own stamps
};

class Container {
 public:
  static absl::StatusOr<std::unique_ptr<Container>> Create(
      const Config& config, const CreateOptions& options);

  pid_t pid() const;
  const CreateTimes& create_times() const;
  absl::Status Kill(int signal);
  absl::StatusOr<ExitStatus> Wait();

  // With SCMP_ACT_NOTIFY in the seccomp profile: the filter's notification
  // fd, for the caller to hand to the OCI listenerPath. Invalid otherwise,
  // or once taken.
  shim::ScopedFd TakeSeccompListener();

  // Kills whatever is left in the container's cgroups and removes them.
  absl::Status Destroy();

  // The cgroup directories above the container's own that Create made;
  // keep them for DestroyDetached.
  std::vector<std::string> created_cgroup_parents() const;

 private:
  Container() = default;
  struct State;
  std::shared_ptr<State> state_;
};

// For a container created by an earlier process (run_oci create/start then
// destroy): kills what is left in its cgroups and removes them, using the
// same Config and options that created it, and then those of
// `created_cgroup_parents` (from Container::created_cgroup_parents) that
// are empty ancestors of its cgroups.
absl::Status DestroyDetached(
    const Config& config, const CreateOptions& options,
    const std::vector<std::string>& created_cgroup_parents = {});

}  // namespace libcontainer

#endif  // LIBCONTAINER_CONTAINER_H_
