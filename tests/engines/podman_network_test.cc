// podman on its default (bridge) network: the container joins the network
// namespace podman made and CNI configured, by path.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engines/cni_bridge.h"
#include "tests/engines/podman_fixture.h"

namespace engines_test {
namespace {

using ::testing::HasSubstr;

class PodmanBridgeTest : public PodmanTest {
 protected:
  void SetUp() override {
    PodmanTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(mkdir(Sub("cni-ipam").c_str(), 0700), 0);
    absl::StatusOr<CniBridge> bridge =
        WriteCniBridge(Sub("cni"), Sub("cni-ipam"));
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }
  void StopEngine() override {
    PodmanTest::StopEngine();
    EXPECT_EQ(absl::StrJoin(CniLeases(bridge_), " "), "")
        << "addresses still leased";
    EXPECT_EQ(RemoveCniBridge(bridge_), "");
  }
  CniBridge bridge_;
};

TEST_F(PodmanBridgeTest, ContainerGetsAnAddressAndReachesTheGateway) {
  std::vector<std::string> args = {"run", "--rm"};
  for (const std::string& flag : RunFlags(/*network=*/true)) {
    args.push_back(flag);
  }
  const std::string gateway = bridge_.prefix + "1";
  for (const std::string& arg :
       {std::string(kPodmanImage), std::string("sh"), std::string("-c"),
        "ip -4 -o addr show eth0; ping -c1 -W5 " + gateway +
            " >/dev/null && echo reached; grep -c host.containers.internal "
            "/etc/hosts"}) {
    args.push_back(arg);
  }
  ocitest::CommandResult run = PodmanWithPrivateVarLib(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("inet " + bridge_.prefix));
  EXPECT_THAT(run.out, HasSubstr("reached\n1\n"));
}

}  // namespace
}  // namespace engines_test
