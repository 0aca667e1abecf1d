// Seccomp: the policy is compiled to classic BPF in the parent with
// libseccomp (before clone, so the child only makes one system call), and
// loaded in the child with seccomp(SECCOMP_SET_MODE_FILTER).
#ifndef MINIJAIL_SHIM_SECCOMP_H_
#define MINIJAIL_SHIM_SECCOMP_H_

#include <linux/filter.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/child.h"
#include "minijail-shim/seccomp_policy.h"

namespace shim {

struct CompiledSeccomp {
  std::vector<sock_filter> program;
  unsigned int flags = 0;  // SECCOMP_FILTER_FLAG_*
};

// Unknown action, architecture, comparison operator or flag names are
// InvalidArgument naming them. Syscall names this architecture does not
// know are skipped, as runc does, so one profile serves several kernels.
// SCMP_ACT_NOTIFY adds SECCOMP_FILTER_FLAG_NEW_LISTENER; the listener fd
// comes back from Jail::TakeSeccompListener() (listenerPath is the caller's).
// SCMP_ACT_KILL means KILL_THREAD, the kernel's SECCOMP_RET_KILL.
absl::StatusOr<CompiledSeccomp> CompileSeccomp(const SeccompPolicy& policy);

// The names CompileSeccomp accepts, for callers that check a policy before
// compiling it (run_oci's parser): what parses then also compiles. An
// architecture must also be known to this libseccomp.
bool IsSeccompActionName(absl::string_view name);
bool IsSeccompOperatorName(absl::string_view name);
bool IsSeccompFlagName(absl::string_view name);
bool IsSeccompArchitectureName(absl::string_view name);
// A syscall name this libseccomp resolves for the native architecture;
// CompileSeccomp leaves the others out of the filter.
bool IsSeccompSyscallName(absl::string_view name);

// Child side: loads spec.seccomp_bpf, if any.
void LoadSeccomp(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_SECCOMP_H_
