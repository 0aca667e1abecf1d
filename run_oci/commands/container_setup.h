// What create, start (of a new id) and run share: load and convert the
// bundle, run precreate hooks, claim the state directory, create the
// container through libcontainer with the hooks wired in, and record it.
// Any failure undoes everything it did, and only what it did: a state
// directory that another run_oci claimed first is never touched.
#ifndef RUN_OCI_COMMANDS_CONTAINER_SETUP_H_
#define RUN_OCI_COMMANDS_CONTAINER_SETUP_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libcontainer/config.h"
#include "libcontainer/container.h"
#include "minijail-shim/base/scoped_fd.h"
#include "run_oci/cli.h"
#include "run_oci/container_cgroups.h"
#include "run_oci/hook_runner.h"
#include "run_oci/notify_socket.h"
#include "run_oci/state_dir.h"
#include "run_oci/state_json.h"

namespace run_oci {

// A created container and everything needed to drive and tear it down.
struct SetUpContainer {
  std::optional<StateDir> dir;
  StateRecord record;
  libcontainer::Config config;
  libcontainer::CreateOptions options;  // without run_hooks
  std::unique_ptr<libcontainer::Container> container;
  pid_t syslog_forwarder = -1;  // --log_tag: our child, exits at EOF
  base::ScopedFd lock;          // StateDir::Lock(), held while setting up
  // When the container notifies itself (notify_socket.h).
  std::optional<ContainerNotifySocket> notify;
};

// What start and destroy use of a container's config, from its record:
// the hooks of the later stages and what finds its cgroups. config.json is
// read once, at create: editing it afterwards changes nothing (runtime-spec).
libcontainer::Config RecordedConfig(const StateRecord& record);

// realpath(3) of the bundle directory; "bundle <dir>: <strerror>".
absl::StatusOr<std::string> AbsoluteBundle(const std::string& bundle);

// Loads <bundle>/config.json and converts it as the command line says,
// logging the warnings (or, with `warnings`, leaving them there for the
// caller to log). Only what makes a container reads config.json (create,
// run, start of a new id, restore): what later commands need goes into
// the record.
absl::StatusOr<libcontainer::Config> LoadContainerConfig(
    const CommandLine& cl, const std::string& bundle,
    std::map<std::string, std::string>* annotations,
    std::vector<std::string>* warnings = nullptr);

// What later commands need of the config, into the record (with the
// creation time): config.json is read once, at create or restore.
void RecordConfig(const libcontainer::Config& config, StateRecord& record);

// The container's process `pid` into the record, which is then written,
// with the state dir's pid file and the caller's --pid-file (bare digits,
// as containerd reads it).
absl::Status RecordProcess(const StateDir& dir, StateRecord& record, pid_t pid,
                           const std::string& pid_file);

// The hook runner every command uses: real spawns, output to the log.
HookRunner MakeHookRunner();

// Runs the hooks of `stage` from `config` with the state of `record`.
// Poststop hooks all run; each failure is a logged warning, not an error.
absl::Status RunStageHooks(const HookRunner& hooks,
                           const libcontainer::Config& config,
                           const StateRecord& record,
                           libcontainer::HookStage stage, pid_t pid);

// `wait_for_start`: the OCI create split (start socket); otherwise the
// program runs at once. Either way startContainer hooks run in the
// container's process, just before its execve. A SIGTERM, SIGINT, SIGHUP
// or SIGQUIT before the program runs aborts the setup: "container <id>:
// setup interrupted by SIGTERM", everything undone. Without
// `wait_for_start`, later ones go to the container's init; the caller ends
// that with RestoreTerminationHandling (termination_signals.h).
absl::StatusOr<SetUpContainer> SetUpNewContainer(const CommandLine& cl,
                                                 bool wait_for_start);

// runc's --console-socket: a connected socket that receives the terminal's
// master; refused when `config` (or exec's process) has no terminal.
// The seccomp filter cache under the state root (libcontainer/
// seccomp_cache.h) when the process has a filter; empty (compile only) when
// it has none or the cache cannot be used.
base::ScopedFd SeccompCacheFor(const std::string& root, bool has_seccomp);

absl::StatusOr<base::ScopedFd> ConnectConsoleSocket(
    const std::string& path, const libcontainer::Config& config);

// A container an earlier run_oci created.
struct ExistingContainer {
  StateDir dir;
  StateRecord record;
  base::ScopedFd lock;  // StateDir::Lock(), when asked for
};

// Opens <root>/<id>, reads its record, and continues its log file if it
// has one. "container does not exist: <id>" when there is none. Commands
// that change the container (start, destroy) `lock` it; state and kill do
// not, so that hooks may call them while a start holds the lock.
absl::StatusOr<ExistingContainer> OpenExistingContainer(const CommandLine& cl,
                                                        bool lock);

// OpenExistingContainer for a command that needs the container's processes
// (events, update): "container not running: <id>" while it is being
// created or once it has stopped.
absl::StatusOr<ExistingContainer> OpenLiveContainer(const CommandLine& cl,
                                                    bool lock);

// Kills what is left, removes cgroups, unmounts and removes the state dir.
// Every step runs; the first error is returned.
absl::Status TearDown(SetUpContainer& setup);

// The same for a container created by an earlier run_oci process, from
// its record alone.
absl::Status TearDownDetached(const StateDir& dir, const StateRecord& record);

}  // namespace run_oci

#endif  // RUN_OCI_COMMANDS_CONTAINER_SETUP_H_
