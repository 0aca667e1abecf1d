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
#include "absl/strings/str_replace.h"
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

  // A config joining `path` as its `kind` namespace (linux.namespaces[index])
  // that sets `sysctl` to the host's value is refused for every command that
  // creates, naming the sysctl and the namespace, with nothing started and
  // the host's value as it was.
  void ExpectJoiningRefused(const std::string& kind, const std::string& path,
                            const std::string& sysctl, int index) {
    const std::string proc_file =
        absl::StrCat("/proc/sys/", absl::StrReplaceAll(sysctl, {{".", "/"}}));
    const std::string before = HostValue(proc_file);
    WriteJoiningConfig(kind, path, sysctl, before);
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
  ExpectJoiningRefused("network", "/proc/self/ns/net", "net.ipv4.ip_forward",
                       2);
}

TEST_F(SysctlHostNamespaceTest, RuntimesNetworkNamespaceBoundElsewhere) {
  // The runtime's namespace under a name that looks like `ip netns`'s.
  std::string bound = temp_->Sub("netns-looks-new");
  ASSERT_TRUE(ocitest::WriteFile(bound, "").ok());
  ASSERT_EQ(
      mount("/proc/self/ns/net", bound.c_str(), nullptr, MS_BIND, nullptr), 0);
  ExpectJoiningRefused("network", bound, "net.core.somaxconn", 2);
  EXPECT_EQ(umount2(bound.c_str(), MNT_DETACH), 0);
}

TEST_F(SysctlHostNamespaceTest, RuntimesIpcNamespace) {
  ExpectJoiningRefused("ipc", "/proc/self/ns/ipc", "kernel.shmmni", 3);
}

TEST_F(SysctlHostNamespaceTest, RuntimesUtsNamespace) {
  ExpectJoiningRefused("uts", "/proc/self/ns/uts", "kernel.domainname", 4);
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
