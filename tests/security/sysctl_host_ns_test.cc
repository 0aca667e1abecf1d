// Sysctls through a joined namespace that is the runtime's own (issue 9,
// item 6). A config may join a namespace by path; when that namespace is
// run_oci's own (/proc/self/ns/net, or the same nsfs file bound under a
// harmless name, as `ip netns` lays them out), linux.sysctl writes the
// host's values. Each must be refused at create, before the container
// exists, and a namespace the test made must still take its sysctls.
//
// The host's sysctls are never changed: a refused config asks for the value
// the host already has, and the refusal comes before anything runs (the
// createRuntime hook that would mark the canary never starts).
#include <sys/mount.h>
#include <unistd.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

std::string HostValue(const std::string& proc_sys_path) {
  absl::StatusOr<std::string> value = ocitest::ReadFile(proc_sys_path);
  EXPECT_TRUE(value.ok()) << value.status();
  return std::string(absl::StripAsciiWhitespace(value.value_or("")));
}

class SysctlHostNamespaceTest : public RunOciE2eTest {
 protected:
  // A config that joins `type` at `path` (the rest new) and sets `sysctl`
  // to `value`; its createRuntime hook would create the canary.
  void WriteJoiningConfig(const std::string& type, const std::string& path,
                          const std::string& sysctl, const std::string& value,
                          const std::vector<std::string>& args = {"true"}) {
    std::string namespaces;
    for (const char* t : {"pid", "mount", "network", "ipc", "uts"}) {
      absl::StrAppend(
          &namespaces, namespaces.empty() ? "" : ",", R"({"type":")", t, "\"",
          t == type ? absl::StrCat(R"(,"path":)", JsonString(path)) : "", "}");
    }
    std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":)", JsonArray(args),
        R"(,"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("hooks":{"createRuntime":[{"path":"/bin/sh","args":)",
        JsonArray({"sh", "-c", absl::StrCat("touch ", canary())}), "}]},",
        R"("linux":{"namespaces":[)", namespaces, R"(],"sysctl":{)",
        JsonString(sysctl), ":", JsonString(value), "}}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  // Refused for every command that creates, naming the sysctl and the
  // namespace, with nothing started and the host's value as it was.
  void ExpectRefused(const std::string& sysctl, const std::string& proc_file,
                     int index, const std::string& path,
                     const std::string& kind) {
    const std::string before = HostValue(proc_file);
    for (const char* command : {"run", "create", "start"}) {
      ExpectError({command, "c1"},
                  absl::StrCat("config.json: linux.sysctl.", sysctl,
                               ": would change the host: linux.namespaces[",
                               index, "].path ", path, " is run_oci's own ",
                               kind, " namespace"));
      EXPECT_NE(access(canary().c_str(), F_OK), 0) << command;
    }
    EXPECT_EQ(HostValue(proc_file), before);
  }

  std::string canary() const { return temp_->Sub("hook-ran"); }
};

TEST_F(SysctlHostNamespaceTest, RuntimesNetworkNamespaceByProcPath) {
  const std::string file = "/proc/sys/net/ipv4/ip_forward";
  WriteJoiningConfig("network", "/proc/self/ns/net", "net.ipv4.ip_forward",
                     HostValue(file));
  ExpectRefused("net.ipv4.ip_forward", file, 2, "/proc/self/ns/net", "network");
}

TEST_F(SysctlHostNamespaceTest, RuntimesNetworkNamespaceBoundElsewhere) {
  // The runtime's namespace under a name that looks like `ip netns`'s.
  const std::string file = "/proc/sys/net/core/somaxconn";
  std::string bound = temp_->Sub("netns-looks-new");
  ASSERT_TRUE(ocitest::WriteFile(bound, "").ok());
  ASSERT_EQ(
      mount("/proc/self/ns/net", bound.c_str(), nullptr, MS_BIND, nullptr), 0);
  WriteJoiningConfig("network", bound, "net.core.somaxconn", HostValue(file));
  ExpectRefused("net.core.somaxconn", file, 2, bound, "network");
  EXPECT_EQ(umount2(bound.c_str(), MNT_DETACH), 0);
}

TEST_F(SysctlHostNamespaceTest, RuntimesIpcNamespace) {
  const std::string file = "/proc/sys/kernel/shmmni";
  WriteJoiningConfig("ipc", "/proc/self/ns/ipc", "kernel.shmmni",
                     HostValue(file));
  ExpectRefused("kernel.shmmni", file, 3, "/proc/self/ns/ipc", "ipc");
}

TEST_F(SysctlHostNamespaceTest, RuntimesUtsNamespace) {
  const std::string file = "/proc/sys/kernel/domainname";
  WriteJoiningConfig("uts", "/proc/self/ns/uts", "kernel.domainname",
                     HostValue(file));
  ExpectRefused("kernel.domainname", file, 4, "/proc/self/ns/uts", "uts");
}

TEST_F(SysctlHostNamespaceTest, NamespaceTheTestMadeTakesTheSysctl) {
  const std::string file = "/proc/sys/net/ipv4/ip_forward";
  const std::string host_before = HostValue(file);
  const std::string name = ocitest::UniqueName("h6-sysctl");
  ocitest::CommandResult add =
      ocitest::RunCommand({"ip", "netns", "add", name}).value();
  ASSERT_EQ(add.exit_code, 0) << add.err;
  // A new namespace starts with forwarding off; the container turns it on.
  const std::string path = "/run/netns/" + name;
  WriteJoiningConfig("network", path, "net.ipv4.ip_forward", "1",
                     {"cat", file});
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
  ocitest::CommandResult inside =
      ocitest::RunCommand({"ip", "netns", "exec", name, "cat", file}).value();
  EXPECT_EQ(inside.out, "1\n");
  EXPECT_EQ(HostValue(file), host_before);
  ocitest::CommandResult del =
      ocitest::RunCommand({"ip", "netns", "del", name}).value();
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_NE(access(path.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace run_oci_test
