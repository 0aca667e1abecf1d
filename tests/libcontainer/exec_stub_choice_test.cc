// When a run may execute its program through the exec stub instead of
// re-executing run_oci from a sealed view (libcontainer/exec_stub_choice.h):
// only where no other process can be in the child's pid namespace while it
// still runs the runtime's binary.
#include "libcontainer/exec_stub_choice.h"

#include "gtest/gtest.h"
#include "libcontainer/config.h"

namespace libcontainer {
namespace {

// runc's default spec, in Config terms: a new pid namespace, /bin/true.
Config Plain() {
  Config config;
  config.argv = {"/bin/true"};
  for (NamespaceType type :
       {NamespaceType::kPid, NamespaceType::kNetwork, NamespaceType::kIpc,
        NamespaceType::kUts, NamespaceType::kMount}) {
    config.namespaces.push_back({type, ""});
  }
  return config;
}

shim::SeccompPolicy AllowAllBut(const char* name, const char* action) {
  shim::SeccompPolicy policy;
  policy.default_action = "SCMP_ACT_ALLOW";
  shim::SeccompRule rule;
  rule.names = {name};
  rule.action = action;
  rule.errno_ret = 1;
  policy.syscalls.push_back(rule);
  return policy;
}

TEST(ExecStubChoiceTest, PlainRunUsesTheStub) {
  EXPECT_EQ(ExecStubRefusal(Plain(), false), "");
  Config seccomp = Plain();
  seccomp.seccomp = AllowAllBut("kexec_load", "SCMP_ACT_ERRNO");
  EXPECT_EQ(ExecStubRefusal(seccomp, false), "");
  // Hooks the runtime runs itself (createContainer, prechroot: host
  // programs the config names) do not matter.
  Config hooks = Plain();
  hooks.hooks[HookStage::kCreateContainer].push_back({"/bin/true", {}, {}, {}});
  hooks.hooks[HookStage::kPrestart].push_back({"/bin/true", {}, {}, {}});
  EXPECT_EQ(ExecStubRefusal(hooks, false), "");
}

TEST(ExecStubChoiceTest, RefusedWhereTheChildCanBeReached) {
  EXPECT_EQ(ExecStubRefusal(Plain(), true), "it waits for start");

  Config no_pid = Plain();
  no_pid.namespaces.erase(no_pid.namespaces.begin());
  EXPECT_EQ(ExecStubRefusal(no_pid, false), "no pid namespace of its own");
  Config joined = Plain();
  joined.namespaces[0].path = "/proc/1/ns/pid";
  EXPECT_EQ(ExecStubRefusal(joined, false), "no pid namespace of its own");

  Config init = Plain();
  init.run_as_init = false;
  EXPECT_EQ(ExecStubRefusal(init, false), "a reaping init");

  Config start_hook = Plain();
  start_hook.hooks[HookStage::kStartContainer].push_back(
      {"/bin/true", {}, {}, {}});
  EXPECT_EQ(ExecStubRefusal(start_hook, false), "startContainer hooks");

  Config selinux = Plain();
  selinux.selinux_label = "system_u:system_r:container_t:s0";
  EXPECT_EQ(ExecStubRefusal(selinux, false), "an SELinux label");
  Config apparmor = Plain();
  apparmor.apparmor_profile = "docker-default";
  EXPECT_EQ(ExecStubRefusal(apparmor, false), "an AppArmor profile");
  Config alt = Plain();
  alt.alt_syscall_table = "android";
  EXPECT_EQ(ExecStubRefusal(alt, false), "an alt-syscall table");

  Config seccomp = Plain();
  seccomp.seccomp = AllowAllBut("execveat", "SCMP_ACT_ERRNO");
  EXPECT_EQ(ExecStubRefusal(seccomp, false),
            "the seccomp profile does not allow the stub's system calls");

  Config nothing = Plain();
  nothing.argv.clear();
  EXPECT_EQ(ExecStubRefusal(nothing, false), "no process");
}

}  // namespace
}  // namespace libcontainer
