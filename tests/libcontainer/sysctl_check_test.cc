// Sysctls against the container's namespaces: which namespace holds which
// sysctl, and the create-time refusal of one whose namespace is run_oci's
// own (joined by path), so that the write would change the host.
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libcontainer/config.h"
#include "libcontainer/host_checks.h"
#include "libcontainer/sysctl_scope.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

TEST(SysctlScopeTest, Classify) {
  EXPECT_EQ(ClassifySysctl("net.ipv4.ip_forward"), SysctlScope::kNetwork);
  EXPECT_EQ(ClassifySysctl("net/ipv4/conf/eth0.100/forwarding"),
            SysctlScope::kNetwork);
  EXPECT_EQ(ClassifySysctl("kernel.shmmax"), SysctlScope::kIpc);
  EXPECT_EQ(ClassifySysctl("kernel.sem"), SysctlScope::kIpc);
  EXPECT_EQ(ClassifySysctl("kernel.msg_next_id"), SysctlScope::kIpc);
  EXPECT_EQ(ClassifySysctl("fs.mqueue.msg_max"), SysctlScope::kIpc);
  EXPECT_EQ(ClassifySysctl("kernel.hostname"), SysctlScope::kUts);
  EXPECT_EQ(ClassifySysctl("kernel/domainname"), SysctlScope::kUts);
  for (const char* name :
       {"kernel.core_pattern", "vm.swappiness", "fs.mqueue", "kernel.semx",
        "kernel.shm", "user.max_user_namespaces", "net", "kernel"}) {
    EXPECT_EQ(ClassifySysctl(name), SysctlScope::kNotNamespaced) << name;
  }
  for (const char* name : {"", "net..ipv4", "net/../kernel/core_pattern",
                           "net/./x", ".net", "net.ipv4."}) {
    EXPECT_EQ(ClassifySysctl(name), SysctlScope::kInvalid) << name;
  }
}

Config WithSysctl(const std::string& name, NamespaceType type,
                  const std::string& path) {
  Config c;
  c.namespaces = {{NamespaceType::kMount, ""}, {type, path}};
  c.sysctls = {{name, "1"}};
  return c;
}

TEST(SysctlCheckTest, NewNamespacesAreTheContainers) {
  EXPECT_TRUE(CheckSysctlNamespaces(WithSysctl("net.ipv4.ip_forward",
                                               NamespaceType::kNetwork, ""))
                  .ok());
  EXPECT_TRUE(CheckSysctlNamespaces(
                  WithSysctl("kernel.shmmni", NamespaceType::kIpc, ""))
                  .ok());
  EXPECT_TRUE(CheckSysctlNamespaces(
                  WithSysctl("kernel.domainname", NamespaceType::kUts, ""))
                  .ok());
}

TEST(SysctlCheckTest, RuntimesOwnNamespaceByPathIsRefused) {
  struct Case {
    const char* sysctl;
    NamespaceType type;
    const char* path;
    const char* kind;
  };
  for (const Case& c : {
           Case{"net.ipv4.ip_forward", NamespaceType::kNetwork,
                "/proc/self/ns/net", "network"},
           Case{"kernel.shmmni", NamespaceType::kIpc, "/proc/self/ns/ipc",
                "ipc"},
           Case{"fs.mqueue.msg_max", NamespaceType::kIpc,
                "/proc/thread-self/ns/ipc", "ipc"},
           Case{"kernel.domainname", NamespaceType::kUts, "/proc/self/ns/uts",
                "uts"},
       }) {
    absl::Status s =
        CheckSysctlNamespaces(WithSysctl(c.sysctl, c.type, c.path));
    EXPECT_EQ(s.message(),
              absl::StrCat("config.json: linux.sysctl.", c.sysctl,
                           ": would change the host: linux.namespaces[1].path ",
                           c.path, " is run_oci's own ", c.kind, " namespace"));
  }
}

TEST(SysctlCheckTest, BindMountOfTheRuntimesNamespaceIsRefused) {
  // What `ip netns` does for a name: the nsfs file bound elsewhere. Here
  // it is the runtime's own network namespace under a harmless name.
  absl::StatusOr<ocitest::TempDir> dir = ocitest::TempDir::Create("netns");
  ASSERT_TRUE(dir.ok()) << dir.status();
  std::string path = dir->Sub("looks-new");
  ASSERT_TRUE(ocitest::WriteFile(path, "").ok());
  ASSERT_EQ(mount("/proc/self/ns/net", path.c_str(), nullptr, MS_BIND, nullptr),
            0)
      << strerror(errno);
  absl::Status s = CheckSysctlNamespaces(
      WithSysctl("net.ipv4.ip_forward", NamespaceType::kNetwork, path));
  EXPECT_EQ(umount2(path.c_str(), MNT_DETACH), 0);
  EXPECT_EQ(s.message(),
            absl::StrCat("config.json: linux.sysctl.net.ipv4.ip_forward: would "
                         "change the host: linux.namespaces[1].path ",
                         path, " is run_oci's own network namespace"));
}

TEST(SysctlCheckTest, AnotherJoinedNamespaceIsTheContainers) {
  // A network namespace of a child the test made, joined by path.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char ok = unshare(CLONE_NEWNET) == 0 ? 1 : 0;
    (void)!write(ready[1], &ok, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  close(ready[0]);
  EXPECT_EQ(ok, 1);
  absl::Status s = CheckSysctlNamespaces(
      WithSysctl("net.ipv4.ip_forward", NamespaceType::kNetwork,
                 absl::StrCat("/proc/", child, "/ns/net")));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_TRUE(s.ok()) << s;
}

TEST(SysctlCheckTest, MissingNamespaceOrPathIsRefused) {
  Config c;
  c.namespaces = {{NamespaceType::kMount, ""}};
  c.sysctls = {{"net.core.somaxconn", "256"}};
  EXPECT_EQ(CheckSysctlNamespaces(c).message(),
            "config.json: linux.sysctl.net.core.somaxconn: requires a "
            "\"network\" namespace in linux.namespaces");
  absl::Status s = CheckSysctlNamespaces(WithSysctl(
      "net.core.somaxconn", NamespaceType::kNetwork, "/no/such/netns"));
  EXPECT_EQ(s.message(),
            "config.json: linux.namespaces[1].path /no/such/netns: stat: No "
            "such file or directory");
}

TEST(SysctlCheckTest, HostOnlySysctlsAreRefused) {
  Config c = WithSysctl("kernel.core_pattern", NamespaceType::kNetwork, "");
  EXPECT_EQ(CheckSysctlNamespaces(c).message(),
            "config.json: linux.sysctl.kernel.core_pattern: not namespaced; a "
            "container must not set it");
  c.sysctls = {{"net/../kernel/core_pattern", "x"}};
  EXPECT_EQ(CheckSysctlNamespaces(c).message(),
            "config.json: linux.sysctl.net/../kernel/core_pattern: invalid "
            "sysctl name");
  c.sysctls = {{"vm.a\nb", "x"}};
  EXPECT_EQ(CheckSysctlNamespaces(c).message(),
            "config.json: linux.sysctl.\"vm.a\\nb\": not namespaced; a "
            "container must not set it");
}

}  // namespace
}  // namespace libcontainer
