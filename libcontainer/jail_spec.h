// Config → shim::JailSpec: the pure half of starting a container. Everything
// that touches the host (device numbers, loop devices, seccomp compilation,
// intermediate mounts) is done by the caller and passed in as
// JailSpecInputs, so this conversion is unit-tested without root.
#ifndef LIBCONTAINER_JAIL_SPEC_H_
#define LIBCONTAINER_JAIL_SPEC_H_

#include <linux/filter.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/config.h"
#include "libcontainer/container.h"
#include "minijail-shim/jail.h"

namespace libcontainer {

struct JailSpecInputs {
  std::vector<shim::DeviceSpec> devices;  // Config::devices, resolved
  // Mount index → source to use instead (a loop device for a loop mount).
  std::map<size_t, std::string> mount_sources;
  // Mount indices already mounted in the intermediate namespace.
  std::set<size_t> skip_mounts;
  std::vector<sock_filter> seccomp_bpf;
  unsigned int seccomp_flags = 0;
};

int CloneFlag(NamespaceType type);

// True when the config mounts nothing on /dev: the shim then mounts a tmpfs
// with the standard nodes there itself, before the config's mounts. (A
// config's /dev tmpfs stays in its place and gets the nodes there.)
bool WantsDefaultDev(const Config& config);

// Config::io_priority and scheduler -> JailSpec's, for a create and an exec
// alike (the shim sets them with the rlimits).
void SetSchedulingSpec(const Config& config, shim::JailSpec* spec);

// The process part of `config` (identity, capabilities, rlimits, securebits,
// no_new_privs, umask, oom_score_adj, scheduling, personality, label, argv,
// env, cwd) into `spec`, the same for a container's init and for exec.
void SetProcessSpec(const Config& config, shim::JailSpec* spec);

// The process's stdio (-1: inherited), the fds it keeps and, with
// Config::terminal, the socket that gets its terminal: for a container's
// init and for exec alike.
struct ProcessIo {
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  const std::vector<int>* keep_fds = nullptr;
  int console_socket_fd = -1;
};
void SetProcessIo(const Config& config, const ProcessIo& io,
                  shim::JailSpec* spec);

absl::StatusOr<shim::JailSpec> BuildJailSpec(const Config& config,
                                             const CreateOptions& options,
                                             const JailSpecInputs& inputs);

}  // namespace libcontainer

#endif  // LIBCONTAINER_JAIL_SPEC_H_
