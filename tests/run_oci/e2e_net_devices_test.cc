// linux.netDevices (runtime-spec 1.3): a device of the runtime's network
// namespace moves into the container's, renamed, with its permanent global
// addresses and up. The runtime runs in a network namespace the test makes
// (the host's own devices are never touched); a veth pair stands in for a
// physical device (this host's kernel has no dummy driver).
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class NetDevicesTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    netns_ = ocitest::UniqueName("ocitest-net");
    ASSERT_EQ(Ip({"netns", "add", netns_}).exit_code, 0);
    ASSERT_EQ(Ip({"-n", netns_, "link", "add", "vtest0", "type", "veth", "peer",
                  "name", "vtest1"})
                  .exit_code,
              0);
    ASSERT_EQ(Ip({"-n", netns_, "addr", "add", "10.1.2.3/24", "dev", "vtest0"})
                  .exit_code,
              0);
    // Not permanent-and-global: the spec keeps only those.
    ASSERT_EQ(Ip({"-n", netns_, "addr", "add", "10.9.9.9/32", "dev", "vtest0",
                  "scope", "link"})
                  .exit_code,
              0);
    ASSERT_EQ(Ip({"-n", netns_, "-6", "addr", "add", "fd00::5/64", "dev",
                  "vtest0", "nodad"})
                  .exit_code,
              0);
  }
  void TearDown() override {
    EXPECT_EQ(Ip({"netns", "del", netns_}).exit_code, 0);
    RunOciE2eTest::TearDown();
  }

  ocitest::CommandResult Ip(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"ip"};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<ocitest::CommandResult> r = ocitest::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }

  // run_oci inside the test's network namespace (nsenter leaves the mount
  // namespace, and so the cgroup mounts, alone; `ip netns exec` does not).
  ocitest::CommandResult RunOciInNetns(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        "nsenter",      absl::StrCat("--net=/run/netns/", netns_),
        RUN_OCI_BINARY, "--root",
        root_,          "-p",
        cgroup_parent_, "-c",
        bundle_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<ocitest::CommandResult> r = ocitest::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }

  void WriteNetConfig(const std::string& net_devices) {
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.3.0","root":{"path":"rootfs"},)",
        R"("process":{"args":["sh","-c","ip -o addr show; ip -o link show"],)",
        R"("cwd":"/","env":["PATH=/bin"]},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
        R"({"type":"network"}],"netDevices":)", net_devices, "}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  std::string netns_;
};

TEST_F(NetDevicesTest, MovedRenamedWithAddressesAndUp) {
  WriteNetConfig(R"({"vtest0":{"name":"ctr0"}})");
  ocitest::CommandResult r = RunOciInNetns({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ctr0    inet 10.1.2.3/24 scope global ctr0"));
  EXPECT_THAT(r.out, HasSubstr("inet6 fd00::5/64 scope global"));
  EXPECT_THAT(r.out, Not(HasSubstr("10.9.9.9")));
  EXPECT_THAT(r.out, Not(HasSubstr("vtest0")));
  EXPECT_THAT(r.out, testing::ContainsRegex("ctr0@[^:]*: <[^>]*\\bUP\\b"));
  // It went with the container's namespace, and so did its peer.
  EXPECT_NE(Ip({"-n", netns_, "link", "show", "vtest0"}).exit_code, 0);
}

TEST_F(NetDevicesTest, KeepsTheHostNameWithoutName) {
  WriteNetConfig(R"({"vtest0":{}})");
  ocitest::CommandResult r = RunOciInNetns({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("vtest0    inet 10.1.2.3/24"));
}

TEST_F(NetDevicesTest, NameTemplate) {
  WriteNetConfig(R"({"vtest0":{"name":"net%d"}})");
  ocitest::CommandResult r = RunOciInNetns({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("net0    inet 10.1.2.3/24"));
}

TEST_F(NetDevicesTest, Errors) {
  WriteNetConfig(R"({"nosuch0":{}})");
  ocitest::CommandResult r = RunOciInNetns({"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: config.json: linux.netDevices.nosuch0: no network "
            "device nosuch0 in the runtime's network namespace\n");
  // A name the container's namespace already has: the spec wants an error.
  WriteNetConfig(R"({"vtest0":{"name":"lo"}})");
  r = RunOciInNetns({"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: config.json: linux.netDevices.vtest0: the container "
            "already has a network device named lo\n");
  // Neither moved it.
  EXPECT_EQ(Ip({"-n", netns_, "link", "show", "vtest0"}).exit_code, 0);
  EXPECT_TRUE(StateRootEntries().empty());
}

}  // namespace
}  // namespace run_oci_test
