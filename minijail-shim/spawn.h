// Starting a helper program (an OCI hook) from the runtime, optionally inside
// a container's namespaces. Returns once execve succeeded: the child holds a
// close-on-exec pipe whose EOF means success and whose data is a failure.
//
// Joining a container's namespaces, the program is still the runtime's: it
// is opened here, before the child enters the container's mount namespace,
// and the child runs that open file (execveat). OCI says createContainer
// (and Chromium's prechroot) hook paths resolve in the runtime namespace;
// looking the path up after setns would let the container's mounts (a bind
// over the hook's directory, a joined mount namespace that is another
// container's image) pick the binary that then runs as host root with every
// capability in the container's namespaces.
#ifndef MINIJAIL_SHIM_SPAWN_H_
#define MINIJAIL_SHIM_SPAWN_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace shim {

struct SpawnSpec {
  // The program, absolute. Empty: argv[0], which must then be absolute.
  // Kept apart from argv because an OCI hook's args[0] may be any name.
  std::string path;
  std::vector<std::string> argv;
  std::vector<std::string> env;
  // > 0: setns into that process's user (if different), mnt, uts, ipc, net,
  // pid (for children) and cgroup namespaces before execve ("container
  // namespace" hooks).
  pid_t join_namespaces_of = -1;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;  // -1: /dev/null
  // The child leads a process group of its own (pgid = its pid), so that
  // whatever it starts can be killed with it: kill(-pid, SIGKILL).
  bool new_process_group = false;
};

// The caller reaps the returned pid. Failure names the program and the step.
absl::StatusOr<pid_t> Spawn(const SpawnSpec& spec);

}  // namespace shim

#endif  // MINIJAIL_SHIM_SPAWN_H_
