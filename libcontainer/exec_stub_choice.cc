#include "libcontainer/exec_stub_choice.h"

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

}  // namespace

std::string ExecStubRefusal(const Config& config, bool waits_for_start) {
  if (config.argv.empty()) return "no process";
  if (waits_for_start) return "it waits for start";
  if (!HasNewPidNamespace(config)) return "no pid namespace of its own";
  if (!config.run_as_init) return "a reaping init";
  if (HasStartContainerHooks(config)) return "startContainer hooks";
  if (!config.selinux_label.empty()) return "an SELinux label";
  if (!config.apparmor_profile.empty()) return "an AppArmor profile";
  if (!config.alt_syscall_table.empty()) return "an alt-syscall table";
  if (config.seccomp.has_value() &&
      !shim::SeccompAllowsExecStub(*config.seccomp)) {
    return "the seccomp profile does not allow the stub's system calls";
  }
  return "";
}

}  // namespace libcontainer
