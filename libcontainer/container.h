// A running container made from a Config: cgroups, devices, loop and
// intermediate mounts on the host side, then a minijail-shim Jail for the
// process. Any failure during Create unwinds what was done, in reverse.
#ifndef LIBCONTAINER_CONTAINER_H_
#define LIBCONTAINER_CONTAINER_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
  // Unique to this create and known to its later destroy (run_oci: the id
  // and creation time from the first record): marks the cgroup directories
  // Create makes, so that a destroy whose record lacks
  // created_cgroup_leaves() still tells them from anyone else's.
  std::string cgroup_tag;
  // When >= 0, a listening socket (shim::ListenForStart): the process
  // waits there (OCI create) until `start` releases it
  // (shim::ReleaseWaitingChild); otherwise it runs at once.
  int start_fd = -1;
  // When >= 0, a shim::MakeExecStub memfd: the program is executed through
  // it (for a config ExecStubRefusal accepts; the shim refuses others).
  int exec_stub_fd = -1;
  int stdin_fd = -1;  // -1: inherit
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::vector<int> keep_fds;
  // When >= 0, a directory from OpenSeccompCacheDir: the config's seccomp
  // filter comes from there when it was compiled before (seccomp_cache.h).
  int seccomp_cache_dir_fd = -1;
  // With Config::terminal: a connected unix socket that receives the
  // master of the container's pseudo-terminal (runc's --console-socket).
  int console_socket_fd = -1;
  // Runs the config's hooks of one stage on the runtime's side;
  // libcontainer calls it for kPrestart, kCreateRuntime, kCreateContainer
  // and kPrechroot, in that order, while the child waits: at kPreChroot
  // when the config has hooks of those stages, else at kReady (each call
  // is then the last moment before the program). An error stops the start and
  // unwinds. kStartContainer hooks are never passed here: the container's
  // process runs them itself (shim::JailSpec::start_hooks).
  std::function<absl::Status(HookStage, pid_t)> run_hooks;
  // The OCI state JSON the kStartContainer hooks read on stdin, for the
  // container's pid; required when the config has such hooks.
  std::function<std::string(pid_t)> start_hooks_state;
};

// CLOCK_MONOTONIC stamps (ns; 0: not reached) of Create, for run_oci's
// --timings. Each names the end of a phase.
struct CreateTimes {
  int64_t begin = 0;        // Create called
  int64_t cgroups = 0;      // hierarchies found, cgroups made, limits set
  int64_t prepared = 0;     // loop/intermediate mounts, devices, seccomp
                            // compiled, jail spec built
  int64_t id_maps = 0;      // parent at kCloned: id maps written
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
  base::ScopedFd TakeSeccompListener();

  // Kills the container: everything left in the cgroups Create made, and
  // its init (with a new pid namespace, all of it) where it reused one;
  // then removes the cgroup directories Create made, and only those.
  absl::Status Destroy();

  // The cgroup directories above the container's own that Create made;
  // keep them for DestroyDetached.
  std::vector<std::string> created_cgroup_parents() const;
  // The container's own cgroup directories that Create made (one that
  // existed before is not among them); keep them for DestroyDetached.
  std::vector<std::string> created_cgroup_leaves() const;

 private:
  Container() = default;
  // Destroy's slow path: KillAll, the init's kill and reaping, Remove.
  absl::Status KillAndRemove();
  struct State;
  std::shared_ptr<State> state_;
};

// For a container created by an earlier process (run_oci create/start then
// destroy), from the Config's cgroups_path and the options that created it
// (all the cgroups' location needs): kills what
// is left in the cgroups of `created_cgroup_leaves` (from
// Container::created_cgroup_leaves) and removes them, then those of
// `created_cgroup_parents` (Container::created_cgroup_parents) that are
// empty ancestors of its cgroups. The caller kills the container's init
// first: in a cgroup the container did not create, that is all that kills
// it. Without `created_cgroup_leaves` (a create that died before it was
// known) only directories with `options.cgroup_tag` count as its own
// (see Cgroups::Existing).
absl::Status DestroyDetached(
    const std::string& cgroups_path, const CreateOptions& options,
    const std::vector<std::string>& created_cgroup_parents = {},
    const std::optional<std::vector<std::string>>& created_cgroup_leaves =
        std::nullopt);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CONTAINER_H_
