#include "libcontainer/exec_stub_choice.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/exec_stub.h"

namespace libcontainer {
namespace {

bool HasNewPidNamespace(const Config& config) {
  for (const Namespace& ns : config.namespaces) {
    if (ns.type == NamespaceType::kPid) return ns.path.empty();
  }
  return false;
}

bool HasStartContainerHooks(const Config& config) {
  auto it = config.hooks.find(HookStage::kStartContainer);
  return it != config.hooks.end() && !it->second.empty();
}

// What both kinds of start refuse for the process itself.
std::string ProcessRefusal(const Config& config, bool forks) {
  if (!config.selinux_label.empty()) return "an SELinux label";
  if (!config.apparmor_profile.empty()) return "an AppArmor profile";
  if (!config.alt_syscall_table.empty()) return "an alt-syscall table";
  if (config.seccomp.has_value() &&
      !shim::SeccompAllowsExecStub(*config.seccomp, forks,
                                   forks && config.terminal)) {
    return "the seccomp profile does not allow the stub's system calls";
  }
  return "";
}

// Unknown (the init gone, a pid that names nothing) counts as ours: the
// exec fails later anyway.
bool PidNamespaceApartFromOurs(pid_t pid) {
  struct stat theirs, ours;
  return stat(absl::StrCat("/proc/", pid, "/ns/pid").c_str(), &theirs) == 0 &&
         stat("/proc/self/ns/pid", &ours) == 0 &&
         (theirs.st_dev != ours.st_dev || theirs.st_ino != ours.st_ino);
}

}  // namespace

std::string ExecStubRefusalForExec(const Config& process, pid_t init_pid) {
  if (process.argv.empty()) return "no process";
  if (!PidNamespaceApartFromOurs(init_pid)) {
    return "the container shares our pid namespace";
  }
  return ProcessRefusal(process, /*forks=*/true);
}

std::string ExecStubRefusal(const Config& config, bool waits_for_start) {
  if (config.argv.empty()) return "no process";
  if (waits_for_start) return "it waits for start";
  if (!HasNewPidNamespace(config)) return "no pid namespace of its own";
  if (!config.run_as_init) return "a reaping init";
  if (HasStartContainerHooks(config)) return "startContainer hooks";
  return ProcessRefusal(config, /*forks=*/false);
}

}  // namespace libcontainer
