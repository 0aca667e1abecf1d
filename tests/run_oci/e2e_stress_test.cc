// Races and repetition: concurrent starts of one id, and many
// start/kill/destroy cycles that must leak nothing.
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StressTest : public RunOciE2eTest {};

TEST_F(StressTest, ConcurrentStartsOfOneIdHaveExactlyOneWinner) {
  WriteConfig({"sleep", "1000"});
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE(round);
    std::vector<Background> starts;
    for (int i = 0; i < 4; ++i) starts.push_back(StartRunOci({"start", "c1"}));
    int winners = 0;
    for (const Background& bg : starts) {
      int code = WaitRunOci(bg);
      std::string out = ocitest::ReadFile(bg.out_path).value_or("");
      if (code == 0) {
        ++winners;
        EXPECT_EQ(out, "");
      } else {
        EXPECT_EQ(code, 1);
        EXPECT_EQ(out, "run_oci: container with given ID already exists: c1\n");
      }
    }
    EXPECT_EQ(winners, 1);
    // The winner's container is intact.
    ocitest::CommandResult state = RunOci({"state", "c1"});
    EXPECT_EQ(state.exit_code, 0) << state.err;
    EXPECT_THAT(state.out, HasSubstr("\"status\":\"running\""));
    EXPECT_THAT(StateRootEntries(), ElementsAre("c1"));
    ocitest::CommandResult destroyed = RunOci({"destroy", "-f", "c1"});
    EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
  }
}

TEST_F(StressTest, ConcurrentStartsOfACreatedContainerStartItOnce) {
  WriteConfig({"sh", "-c", "echo run >> /runs; sleep 1000"});
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
    std::vector<Background> starts;
    for (int i = 0; i < 3; ++i) starts.push_back(StartRunOci({"start", "c1"}));
    int winners = 0;
    for (const Background& bg : starts) {
      if (WaitRunOci(bg) == 0) {
        ++winners;
      } else {
        EXPECT_EQ(ocitest::ReadFile(bg.out_path).value_or(""),
                  "run_oci: container with given ID already exists: c1\n");
      }
    }
    EXPECT_EQ(winners, 1);
    ASSERT_TRUE(WaitForFile(Rootfs() + "/runs"));
    EXPECT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
    EXPECT_EQ(ocitest::ReadFile(Rootfs() + "/runs").value_or(""), "run\n");
    unlink((Rootfs() + "/runs").c_str());
  }
}

TEST_F(StressTest, ManyStartKillDestroyCyclesLeakNothing) {
  WriteConfig({"sleep", "1000"});
  int fds_before = CountOpenFds();
  constexpr int kCycles = 200;
  for (int i = 0; i < kCycles; ++i) {
    std::string id = absl::StrCat("c", i % 3);
    ocitest::CommandResult r = RunOci({"start", id});
    ASSERT_EQ(r.exit_code, 0) << i << ": " << r.err;
    r = RunOci({"kill", id, "KILL"});
    ASSERT_EQ(r.exit_code, 0) << i << ": " << r.err;
    // Poll until stopped, as a container engine would.
    ASSERT_TRUE(WaitForStatus(id, "stopped")) << i;
    r = RunOci({"destroy", id});
    ASSERT_EQ(r.exit_code, 0) << i << ": " << r.err;
    // Reap what the subreaper (this test) inherited.
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  EXPECT_EQ(CountOpenFds(), fds_before);
  RemoveCgroupParent();
  EXPECT_EQ(leaks_->FindLeaks(), "");
}

}  // namespace
}  // namespace run_oci_test
