// linux.sysctl with runc's read-only /proc/sys (issue 10): podman and
// buildah add net.ipv4.ping_group_range to every container. The value is
// written before the read-only paths, as runc and crun do, and the
// container reads it back from a /proc/sys it cannot write.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

class SysctlTest : public RunOciE2eTest {
 protected:
  void WriteSysctlConfig(const std::string& script,
                         const std::string& sysctl_json) {
    const std::string json = absl::StrCat(
        ShellConfigUpToNamespaces(script), R"("sysctl":)", sysctl_json, ",",
        R"("maskedPaths":["/proc/keys","/proc/timer_list"],)",
        R"("readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys",)",
        R"("/proc/sysrq-trigger"]}})");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }
};

TEST_F(SysctlTest, PingGroupRangeWithReadonlyProcSys) {
  WriteSysctlConfig(
      "cat /proc/sys/net/ipv4/ping_group_range; "
      "(echo '0 1' > /proc/sys/net/ipv4/ping_group_range) 2>/dev/null "
      "|| echo read-only; "
      "grep ' /proc/sys ' /proc/self/mountinfo | cut -d' ' -f6",
      R"({"net.ipv4.ping_group_range":"0 1000"})");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\t1000\nread-only\nro,nosuid,nodev,noexec,relatime\n");
  EXPECT_EQ(r.err, "");
}

// Several namespaced sysctls (net, ipc, uts), each read back.
TEST_F(SysctlTest, SeveralSysctlsAreAllWritten) {
  WriteSysctlConfig(
      "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced; "
      "hostname",
      R"({"net.ipv4.ip_forward":"1","kernel.shm_rmid_forced":"1",)"
      R"("kernel.hostname":"fromsysctl"})");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n1\nfromsysctl\n");
}

TEST_F(SysctlTest, UnknownSysctlNamesTheKey) {
  WriteSysctlConfig("true", R"({"net.ipv4.no_such_knob":"1"})");
  ExpectError({"run", "c1"},
              "jail: sysctls[0] (net.ipv4.no_such_knob): open: No such file "
              "or directory");
}

}  // namespace
}  // namespace run_oci_test
