#include "libcontainer/exec.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/host_checks.h"
#include "libcontainer/jail_spec.h"
#include "libcontainer/seccomp_cache.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/join.h"
#include "minijail-shim/passwd_home.h"
#include "minijail-shim/seccomp.h"

namespace libcontainer {
namespace {

bool HasHome(const std::vector<std::string>& env) {
  for (const std::string& e : env) {
    if (absl::StartsWith(e, "HOME=")) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<shim::JailSpec> BuildExecProcessSpec(
    const Config& process, const ExecOptions& options) {
  if (process.argv.empty() || process.argv[0].empty()) {
    return absl::InvalidArgumentError("exec: args: must not be empty");
  }
  shim::JailSpec spec;
  SetProcessSpec(process, &spec);
  if (process.seccomp) {
    ASSIGN_OR_RETURN(
        shim::CompiledSeccomp compiled,
        CompileSeccompCached(*process.seccomp, options.seccomp_cache_dir_fd));
    spec.seccomp_bpf = std::move(compiled.program);
    spec.seccomp_flags = compiled.flags;
  }
  SetProcessIo(process,
               {options.stdin_fd, options.stdout_fd, options.stderr_fd,
                &options.keep_fds, options.console_socket_fd},
               &spec);
  spec.exec_stub_fd = options.exec_stub_fd;
  return spec;
}

absl::StatusOr<shim::Jail> Exec(const Config& process, const ExecTarget& target,
                                const ExecOptions& options) {
  // The refusals a create makes for the same process attributes.
  Config checked;
  checked.apparmor_profile = process.apparmor_profile;
  RETURN_IF_ERROR(CheckHostSupport(checked));
  shim::JoinSpec join;
  join.pid = target.pid;
  join.pidfd = target.pidfd;
  ASSIGN_OR_RETURN(join.process, BuildExecProcessSpec(process, options));
  // Looked up here, in the container's file, not by the shim in ours.
  if (!HasHome(join.process.env)) {
    join.process.env.push_back(absl::StrCat(
        "HOME=", shim::HomeFromPasswd(target.rootfs, process.uid)));
  }
  Cgroups::SelfJoin self_join;
  if (target.cgroups != nullptr) {
    ASSIGN_OR_RETURN(self_join, target.cgroups->OpenForSelfJoin());
    for (size_t i = 0; i < self_join.tasks_fds.size(); ++i) {
      join.process.cgroup_joins.push_back(
          {self_join.tasks_fds[i].get(), self_join.tasks_paths[i]});
    }
    join.process.cgroup2_dir_fd = self_join.cgroup2_dir.get();
  }
  return shim::JoinContainer(join);
}

}  // namespace libcontainer
