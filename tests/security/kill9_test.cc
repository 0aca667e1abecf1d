// SIGKILL of run_oci at random points of create, run and start (issue 9
// item 10): a kill in the first milliseconds used to leave a state
// directory without its tag, which `destroy --force` refused, so the id
// stayed blocked, and the --cgroup_parent directory stayed behind. After
// every kill, `destroy --force` must leave nothing (no state directory or
// temporary, no cgroup including the parent, no mount, no process) and the
// id must be usable again.
//
// The delays are random and spread over the first 30 ms, denser in the
// first 3; the seed is
// printed, and KILL9_SEED=<n> replays a run.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::IsEmpty;

constexpr int kRoundsPerMode = 40;
// Half the delays over the first 30 ms, half over the first 3 ms, where
// the state directory is made (it takes well under a millisecond).
constexpr int kMaxDelayUs = 30000;
constexpr int kEarlyDelayUs = 3000;

enum class Mode { kCreate, kRun, kStartNew, kStartCreated };

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kCreate:
      return "create";
    case Mode::kRun:
      return "run";
    case Mode::kStartNew:
      return "start (new id)";
    case Mode::kStartCreated:
      return "start (created)";
  }
  return "?";
}

class Kill9Test : public RunOciE2eTest {
 protected:
  // Reaps what was reparented to us (the subreaper) and has exited.
  static void ReapOrphans() {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }

  // One round: run_oci <mode> c1, SIGKILL after `delay_us`, destroy
  // --force, and check that nothing is left.
  void Round(Mode mode, int delay_us) {
    SCOPED_TRACE(
        absl::StrCat(ModeName(mode), ", killed after ", delay_us, " us"));
    if (mode == Mode::kStartCreated) {
      ocitest::CommandResult created = RunOci({"create", "c1"});
      ASSERT_EQ(created.exit_code, 0) << created.err;
    }
    const char* command = mode == Mode::kCreate ? "create"
                          : mode == Mode::kRun  ? "run"
                                                : "start";
    Background bg = StartRunOci({command, "c1"});
    usleep(static_cast<useconds_t>(delay_us));
    kill(bg.pid, SIGKILL);
    int status = WaitRunOci(bg);
    // Where the kill landed, for the summary.
    for (const std::string& name : StateRootEntries()) {
      if (name.rfind(".creating.", 0) == 0) ++left_temporary_;
      if (name == "c1") ++left_directory_;
    }
    // A run_oci that finished before the kill is fine too (create, start).
    EXPECT_TRUE(status == 128 + SIGKILL || status == 0)
        << status << ": " << OutputOf(bg);
    ReapOrphans();

    ocitest::CommandResult destroyed = RunOci({"destroy", "--force", "c1"});
    // "does not exist": killed before anything was made.
    EXPECT_TRUE(destroyed.exit_code == 0 ||
                destroyed.err == "run_oci: container does not exist: c1\n")
        << destroyed.err;
    if (destroyed.exit_code != 0) ++left_nothing_;
    ReapOrphans();
    EXPECT_THAT(StateRootEntries(), IsEmpty());
    EXPECT_THAT(leaks_->Cgroups(), IsEmpty());
    EXPECT_THAT(leaks_->Mounts(), IsEmpty());
    EXPECT_THAT(leaks_->Processes(), IsEmpty());
  }

  int left_nothing_ = 0;
  int left_temporary_ = 0;
  int left_directory_ = 0;
};

TEST_F(Kill9Test, DestroyForceCleansUpAfterAKillAtAnyPoint) {
  uint64_t seed = std::random_device{}();
  if (const char* fixed = getenv("KILL9_SEED")) {
    ASSERT_TRUE(absl::SimpleAtoi(fixed, &seed)) << fixed;
  }
  std::cout << "KILL9_SEED=" << seed << std::endl;
  RecordProperty("kill9_seed", absl::StrCat(seed));
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> late(0, kMaxDelayUs);
  std::uniform_int_distribution<int> early(0, kEarlyDelayUs);
  std::bernoulli_distribution pick_early(0.5);

  WriteConfig({"sleep", "1000"});
  std::vector<Mode> modes;
  for (Mode mode :
       {Mode::kCreate, Mode::kRun, Mode::kStartNew, Mode::kStartCreated}) {
    modes.insert(modes.end(), kRoundsPerMode, mode);
  }
  std::shuffle(modes.begin(), modes.end(), random);
  for (Mode mode : modes) {
    Round(mode, pick_early(random) ? early(random) : late(random));
    if (HasFailure()) break;  // one failure says it; the rest would repeat
  }

  std::cout << "rounds: " << modes.size()
            << "; killed before anything: " << left_nothing_
            << ", left a temporary: " << left_temporary_
            << ", left the directory: " << left_directory_ << std::endl;

  // The id is usable again.
  WriteConfig({"sh", "-c", "echo still-usable"});
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "still-usable\n");
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

}  // namespace
}  // namespace run_oci_test
