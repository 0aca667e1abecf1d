// buildah from scratch with the busybox rootfs copied in, and `buildah
// run` through run_oci, on the default (bridge) network and without one.
#include <stdio.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engines/buildah_fixture.h"

namespace engines_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class BuildahFromScratchTest : public BuildahTest {
 protected:
  void SetUp() override {
    BuildahTest::SetUp();
    if (HasFatalFailure()) return;
    ocitest::CommandResult from =
        Buildah({"from", "--name", "work", "--cgroup-parent",
                 "/" + cgroup_parent_, "scratch"});
    ASSERT_EQ(from.exit_code, 0) << from.err;
    ASSERT_EQ(from.out, "work\n");
    ocitest::CommandResult copy = Buildah({"copy", "work", rootfs_, "/"});
    ASSERT_EQ(copy.exit_code, 0) << copy.err;
  }
};

TEST_F(BuildahFromScratchTest, RunOnTheDefaultNetwork) {
  ocitest::CommandResult run =
      BuildahRun("work", {},
                 {"sh", "-c", "echo built; ip -4 -o addr show eth0; ip route"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("built\n"));
  EXPECT_THAT(run.out, HasSubstr("inet " + bridge_.prefix));
  EXPECT_THAT(run.out, HasSubstr("default via " + bridge_.prefix + "1"));
}

TEST_F(BuildahFromScratchTest, RunWithoutNetworkWritesTheImageAndExits) {
  ocitest::CommandResult run = BuildahRun(
      "work", {"--network", "none"},
      {"sh", "-c", "ip -o link | cut -d: -f2; echo layer > /made-by-run"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, " lo\n");
  // What the run wrote is in the working container's next run.
  ocitest::CommandResult cat =
      BuildahRun("work", {"--network", "none"}, {"cat", "/made-by-run"});
  EXPECT_EQ(cat.out, "layer\n") << cat.err;
  EXPECT_EQ(BuildahRun("work", {"--network", "none"}, {"sh", "-c", "exit 3"})
                .exit_code,
            3);
  ocitest::CommandResult user = BuildahRun(
      "work", {"--network", "none", "--user", "65534:65534"}, {"id", "-u"});
  EXPECT_EQ(user.out, "65534\n") << user.err;
  EXPECT_THAT(user.err, Not(HasSubstr("level=")));
}

TEST_F(BuildahFromScratchTest, RunWithTerminal) {
  std::vector<std::string> argv = {"buildah",
                                   "--root",
                                   Sub("storage"),
                                   "--runroot",
                                   Sub("runroot"),
                                   "run",
                                   "-t",
                                   "--runtime",
                                   RUN_OCI_BINARY,
                                   "--runtime-flag",
                                   "root=" + runtime_root_,
                                   "--network",
                                   "none",
                                   "work",
                                   "--",
                                   "tty"};
  // script(1) runs it; buildah's unshare comes inside, as for Buildah().
  ocitest::CommandResult run = RunInTerminal(WithPrivateVarLib(argv));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("/dev/pts/0"));
}

// buildah build: a Containerfile's RUN steps go through run_oci too.
TEST_F(BuildahTest, BuildFromAContainerfile) {
  ASSERT_EQ(mkdir(Sub("context").c_str(), 0755), 0);
  ASSERT_EQ(rename(rootfs_.c_str(), Sub("context/rootfs").c_str()), 0);
  ASSERT_TRUE(ocitest::WriteFile(Sub("context/Containerfile"),
                                 "FROM scratch\n"
                                 "COPY rootfs /\n"
                                 "RUN echo built > /built && cat /built\n")
                  .ok());
  ocitest::CommandResult build = Buildah(
      {"build", "--runtime", RUN_OCI_BINARY, "--runtime-flag",
       "root=" + runtime_root_, "--network", "none", "--cgroup-parent",
       "/" + cgroup_parent_, "-t", "localhost/built:1", Sub("context")});
  EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
  EXPECT_THAT(build.out, HasSubstr("built\n"));
  ocitest::CommandResult images =
      Buildah({"images", "-q", "localhost/built:1"});
  EXPECT_NE(images.out, "") << images.err;
}

}  // namespace
}  // namespace engines_test
