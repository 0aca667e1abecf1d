// OCI startContainer hooks, run by the container's own process between the
// start signal and execve (JailSpec::start_hooks). The parent prepares
// everything: the argv/envp arrays, the hook names for errors, and a sealed
// memfd holding the OCI state, which each hook gets on stdin. The child
// side only makes system calls.
//
// Why here and not from the runtime: a startContainer hook's path resolves
// in the container, i.e. the binary comes from the image. Started by the
// runtime it ran as host root with every capability, in the host's user
// and pid namespaces, where it could mount a procfs, setns into the
// runtime's namespaces and write host files. Run from the container's
// process after its uid/gid, capabilities, no_new_privs and seccomp are in
// place, it is just another process of the container.
#ifndef MINIJAIL_SHIM_START_HOOKS_H_
#define MINIJAIL_SHIM_START_HOOKS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"

namespace shim {

// The arrays of one hook, pointing into the JailSpec.
struct StartHookPlan {
  std::vector<char*> argv;  // null-terminated
  std::vector<char*> envp;
};

// Parent side, before clone.
// Absolute paths, an argv each, a state to give them.
absl::Status ValidateStartHooks(const JailSpec& spec);
std::vector<StartHookPlan> PlanStartHooks(const JailSpec& spec);
// An empty memfd for the state, at fd 3 or above (the child moves its
// stdio onto 0-2 and must not clobber it), close-on-exec, sealable.
absl::StatusOr<base::ScopedFd> MakeHookStateFile();
// Parent side, once the pid is known: writes `state` and seals the file
// against any change, so one hook cannot alter what the next one reads.
absl::Status FillHookStateFile(int fd, absl::string_view state);

// Child side; async-signal-safe. Runs every hook in order; on the first
// failure it sends a Step::kStartHooks record (followed by the hook's name,
// for a reader without the spec) on `report_fd` and exits.
void RunStartHooks(const JailSpec& spec,
                   const std::vector<StartHookPlan>& hooks, int state_fd,
                   int report_fd);

}  // namespace shim

#endif  // MINIJAIL_SHIM_START_HOOKS_H_
