// `run --respawn` through the binary: procd's crash counting, a long run
// resetting it, stop requests while running and during the delay, SIGHUP
// passed on, output kept in one log file across restarts.
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class SupervisorTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    host_ = temp_->Sub("host");
    ASSERT_EQ(mkdir(host_.c_str(), 0755), 0);
    // The container counts its runs in a host directory.
    extra_mounts_ =
        absl::StrCat(R"({"destination":"/host","type":"bind","source":)",
                     JsonString(host_), R"(,"options":["rbind"]})");
  }

  // A poststart hook on the host that appends a line per start.
  std::string StartCounterHooks() const {
    return absl::StrCat(
        R"({"poststart":[{"path":"/bin/sh","args":)",
        JsonArray({"sh", "-c", absl::StrCat("echo started >> ", Starts())}),
        R"(}]})");
  }
  std::string Starts() const { return host_ + "/starts"; }
  int StartCount() const {
    absl::StatusOr<std::string> text = ocitest::ReadFile(Starts());
    if (!text.ok()) return 0;
    return static_cast<int>(
        std::vector<std::string>(absl::StrSplit(*text, '\n', absl::SkipEmpty()))
            .size());
  }
  bool WaitForStarts(int n) const {
    for (int i = 0; i < 1000 && StartCount() < n; ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    return StartCount() >= n;
  }
  void ExpectNothingLeft() {
    EXPECT_THAT(StateRootEntries(), IsEmpty());
    EXPECT_THAT(leaks_->Processes(), IsEmpty());
    EXPECT_THAT(leaks_->Cgroups(), IsEmpty());
    EXPECT_THAT(leaks_->Mounts(), IsEmpty());
  }

  std::string host_;
};

TEST_F(SupervisorTest, ACrashingContainerIsRespawnedRetryTimesThenGivenUp) {
  WriteConfig({"sh", "-c", "exit 3"}, StartCounterHooks());
  ocitest::CommandResult r = RunOci({"run", "--respawn=10,0.05,2", "s1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: container s1: crashed 3 times in a row, each within 10s "
            "of its start; not respawning it again\n");
  EXPECT_EQ(StartCount(), 3);  // the first start and RETRY respawns
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, ARunLongerThanTheThresholdResetsTheCount) {
  // Run 2 outlives the 1 s threshold; 1, 3, 4 and 5 crash at once. Without
  // the reset the loop would end after run 3.
  WriteConfig({"sh", "-c",
               "n=$(cat /host/n 2>/dev/null || echo 0); n=$((n+1)); "
               "echo $n > /host/n; [ $n = 2 ] && sleep 1.3; exit 1"});
  ocitest::CommandResult r = RunOci({"run", "--respawn=1,0.05,2", "s1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("crashed 3 times in a row"));
  EXPECT_EQ(ocitest::ReadFile(host_ + "/n").value_or(""), "5\n");
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, SigtermDuringTheDelayStopsWithoutAnotherStart) {
  WriteConfig({"sh", "-c", "exit 1"}, StartCounterHooks());
  Background bg = StartRunOci({"run", "--respawn=10,60,5", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  // The container exits at once; the supervisor then waits 60 s.
  for (int i = 0; i < 1000 && access(StateDir("s1").c_str(), F_OK) == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  // Between two runs: stopped, with the supervisor's own fields.
  ocitest::CommandResult state = RunOci({"state", "s1"});
  EXPECT_EQ(state.exit_code, 0) << state.err;
  EXPECT_THAT(state.out, HasSubstr(R"("status":"stopped")"));
  EXPECT_THAT(state.out, HasSubstr(absl::StrCat(R"("supervisorPid":)", bg.pid,
                                                R"(,"restartCount":0)")));
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_EQ(OutputOf(bg), "");
  EXPECT_EQ(StartCount(), 1);
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, SigtermWhileRunningEndsAContainerThatHandlesIt) {
  WriteConfig({"sh", "-c",
               "trap 'echo term > /host/term; exit 0' TERM; "
               "while :; do sleep 0.05; done"},
              StartCounterHooks());
  Background bg = StartRunOci({"run", "--respawn", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_EQ(ocitest::ReadFile(host_ + "/term").value_or(""), "term\n");
  EXPECT_EQ(StartCount(), 1);
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, AContainerIgnoringSigtermIsKilledAfterTheStopTimeout) {
  // The init is pid 1 of its namespace: without a handler SIGTERM does
  // nothing to it.
  WriteConfig({"sleep", "1000"}, StartCounterHooks());
  Background bg =
      StartRunOci({"run", "--respawn=10,5,5", "--stop_timeout=0.3", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  const absl::Time stop = absl::Now();
  ASSERT_EQ(kill(bg.pid, SIGINT), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_GE(absl::Now() - stop, absl::Milliseconds(300));
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, SighupIsPassedOnAsAReload) {
  WriteConfig({"sh", "-c",
               "trap 'echo hup >> /host/hup' HUP; "
               "trap 'exit 0' TERM; while :; do sleep 0.05; done"},
              StartCounterHooks());
  Background bg = StartRunOci({"run", "--respawn", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  ASSERT_EQ(kill(bg.pid, SIGHUP), 0);
  EXPECT_TRUE(WaitForFile(host_ + "/hup"));
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_EQ(StartCount(), 1);  // a reload is no restart
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, OutputOfEveryRunGoesToTheOneLogFile) {
  const std::string logs = temp_->Sub("logs");
  WriteConfig({"sh", "-c",
               "n=$(cat /host/n 2>/dev/null || echo 0); n=$((n+1)); "
               "echo $n > /host/n; echo output of run $n; exit 1"});
  ocitest::CommandResult r =
      RunOci({"--log_dir", logs, "run", "--respawn=10,0,1", "s1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<std::string> files;
  if (DIR* dir = opendir(logs.c_str())) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') files.push_back(entry->d_name);
    }
    closedir(dir);
  }
  ASSERT_EQ(files.size(), 1u);
  std::string log = ocitest::ReadFile(logs + "/" + files[0]).value_or("");
  EXPECT_THAT(log, HasSubstr("output of run 1\n"));
  EXPECT_THAT(log, HasSubstr("output of run 2\n"));
  EXPECT_THAT(log, HasSubstr("crashed 2 times in a row"));
  ExpectNothingLeft();
}

// Output reaches syslog from every run: run_oci runs in a private mount
// namespace where a tmpfs over /dev holds /dev/null and, at /dev/log, the
// test's socket (the host's /dev/log is never touched).
TEST_F(SupervisorTest, OutputOfEveryRunGoesToSyslogWithTheTag) {
  WriteConfig({"sh", "-c",
               "n=$(cat /host/n 2>/dev/null || echo 0); n=$((n+1)); "
               "echo $n > /host/n; echo output of run $n; exit 1"});
  std::vector<std::string> messages;
  absl::StatusOr<ocitest::CommandResult> r = RunOciWithPrivateSyslog(
      {"run", "-t", "sv-tag", "--respawn=10,0,2", "s1"}, &messages);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 1) << r->err;
  for (int run = 1; run <= 3; ++run) {
    EXPECT_TRUE(
        AnyEndsWith(messages, absl::StrCat("sv-tag: output of run ", run)))
        << absl::StrJoin(messages, "\n");
  }
  EXPECT_FALSE(AnyEndsWith(messages, "sv-tag: output of run 4"));
  ExpectNothingLeft();
}

// A SIGHUP while the container is being set up (here during a slow
// createRuntime hook) is held and reaches the container once it runs; the
// poststart hook waits for the container's trap, so the reload cannot come
// before the container can take it.
TEST_F(SupervisorTest, SighupDuringTheSetupReachesTheContainerOnceItRuns) {
  const std::string in_hook = host_ + "/in_hook";
  WriteConfig(
      {"sh", "-c",
       "trap 'echo hup >> /host/hup' HUP; trap 'exit 0' TERM; "
       "touch /host/trapped; while :; do sleep 0.05; done"},
      absl::StrCat(
          R"({"createRuntime":[{"path":"/bin/sh","args":)",
          JsonArray(
              {"sh", "-c", absl::StrCat("touch ", in_hook, "; sleep 1.5")}),
          R"(}],"poststart":[{"path":"/bin/sh","args":)",
          JsonArray({"sh", "-c",
                     absl::StrCat("i=0; while [ ! -e ", host_,
                                  "/trapped ] && [ $i -lt 500 ]; do "
                                  "sleep 0.01; i=$((i+1)); done; echo started "
                                  ">> ",
                                  Starts())}),
          R"(}]})"));
  Background bg = StartRunOci({"run", "--respawn", "s1"});
  ASSERT_TRUE(WaitForFile(in_hook));
  ASSERT_EQ(kill(bg.pid, SIGHUP), 0);
  EXPECT_TRUE(WaitForFile(host_ + "/hup")) << OutputOf(bg);
  EXPECT_EQ(kill(bg.pid, 0), 0);  // run_oci lives on
  EXPECT_EQ(ocitest::ReadFile(host_ + "/hup").value_or(""), "hup\n");
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_EQ(StartCount(), 1);  // a reload is no restart
  ExpectNothingLeft();
}

// Runs 1 and 2 crash, run 3 stays up: two restarts.
constexpr char kThirdRunStays[] =
    "n=$(cat /host/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /host/n; "
    "[ $n -ge 3 ] && exec sleep 1000; exit 1";

TEST_F(SupervisorTest, StateHasTheSupervisorPidAndRestartsInFieldsOfTheirOwn) {
  WriteConfig({"sh", "-c", kThirdRunStays}, StartCounterHooks(),
              R"(,"annotations":{"a":"b"})");
  Background bg =
      StartRunOci({"run", "--respawn=10,0.05,5", "--stop_timeout=0.2", "s1"});
  ASSERT_TRUE(WaitForStarts(3));
  ASSERT_TRUE(WaitForStatus("s1", "running"));
  ocitest::CommandResult state = RunOci({"state", "s1"});
  EXPECT_EQ(state.exit_code, 0) << state.err;
  EXPECT_THAT(state.out, HasSubstr(absl::StrCat(
                             R"("annotations":{"a":"b"},"supervisorPid":)",
                             bg.pid, R"(,"restartCount":2})")));
  // `list` shows the container, not the supervisor's file.
  ocitest::CommandResult list = RunOci({"list", "-q"});
  EXPECT_EQ(list.out, "s1\n");
  ocitest::CommandResult kill = RunOci({"kill", "s1"});
  EXPECT_EQ(kill.exit_code, 0) << kill.err;
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_EQ(StartCount(), 3);
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, KillWithSigkillStopsTheSupervisorToo) {
  WriteConfig({"sleep", "1000"}, StartCounterHooks());
  Background bg = StartRunOci({"run", "--respawn=10,0,5", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  ocitest::CommandResult kill = RunOci({"--signal=KILL", "kill", "s1"});
  EXPECT_EQ(kill.exit_code, 0) << kill.err;
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  EXPECT_EQ(StartCount(), 1);  // not respawned
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, DestroyStopsTheSupervisorAndWaitsForIt) {
  WriteConfig({"sleep", "1000"}, StartCounterHooks());
  Background bg =
      StartRunOci({"run", "--respawn=10,0,5", "--stop_timeout=0.2", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  ocitest::CommandResult destroy = RunOci({"destroy", "s1"});
  EXPECT_EQ(destroy.exit_code, 0) << destroy.err;
  // Everything is gone when destroy returns.
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  ocitest::CommandResult again = RunOci({"destroy", "s1"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "run_oci: container does not exist: s1\n");
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, KillDashNineOfTheSupervisorLeavesWhatDestroyCleans) {
  WriteConfig({"sleep", "1000"}, StartCounterHooks());
  Background bg = StartRunOci({"run", "--respawn", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  ASSERT_EQ(kill(bg.pid, SIGKILL), 0);
  EXPECT_EQ(WaitRunOci(bg), 128 + SIGKILL);
  ocitest::CommandResult state = RunOci({"state", "s1"});
  EXPECT_THAT(state.out, HasSubstr(R"("status":"running")"));
  EXPECT_THAT(state.out, Not(HasSubstr("supervisorPid")));
  // No one owns the container now; destroy needs no --force.
  ocitest::CommandResult destroy = RunOci({"destroy", "s1"});
  EXPECT_EQ(destroy.exit_code, 0) << destroy.err;
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, ASecondSupervisorOfTheIdIsRefused) {
  WriteConfig({"sleep", "1000"}, StartCounterHooks());
  Background bg = StartRunOci({"run", "--respawn", "--stop_timeout=0.2", "s1"});
  ASSERT_TRUE(WaitForStarts(1));
  ocitest::CommandResult second = RunOci({"run", "--respawn", "s1"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_EQ(second.err,
            "run_oci: container with given ID already exists: s1\n");
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0) << OutputOf(bg);
  ExpectNothingLeft();
}

TEST_F(SupervisorTest, BadRespawnValuesAreOneLine) {
  ExpectError({"run", "--respawn=10,x", "s1"},
              "--respawn 10,x: DELAY: not a number of seconds");
  ExpectError({"state", "--respawn", "s1"},
              "flag --respawn is not a flag of state");
  ExpectError({"run", "--stop_timeout=-1", "s1"},
              "--stop_timeout -1: must be between 0 and 3600 seconds");
}

}  // namespace
}  // namespace run_oci_test
