// supervisor.h's loop against a fake container and clock: every rule of
// `run --respawn` without a real process.
#include "run_oci/supervisor.h"

#include <signal.h>

#include <deque>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace run_oci {
namespace {

// Each start's run lasts runs[i] (InfiniteDuration: until signalled);
// requests come at fixed times. The clock moves only in Wait.
class FakeContainer : public SupervisedContainer {
 public:
  struct Request {
    absl::Duration at;  // since the fake's epoch
    SupervisorEvent event;
  };
  std::vector<absl::Duration> runs;
  std::deque<Request> requests;
  std::vector<absl::Status> start_results;  // per start; default OK
  // When signalled with SIGTERM, exit this much later (Infinite: never).
  absl::Duration term_exit_after = absl::ZeroDuration();

  std::vector<std::string> log;  // what happened, in order, with times

  absl::Time Now() override { return now_; }

  absl::Status Start() override {
    const size_t n = starts_++;
    absl::Status result =
        n < start_results.size() ? start_results[n] : absl::OkStatus();
    Note(absl::StrCat("start ", n, result.ok() ? "" : " failed"));
    if (!result.ok()) return result;
    running_ = true;
    const absl::Duration run =
        n < runs.size() ? runs[n] : absl::InfiniteDuration();
    exit_at_ =
        run == absl::InfiniteDuration() ? absl::InfiniteFuture() : now_ + run;
    return absl::OkStatus();
  }

  SupervisorEvent Wait(absl::Time deadline) override {
    absl::Time next_request = requests.empty()
                                  ? absl::InfiniteFuture()
                                  : absl::UnixEpoch() + requests.front().at;
    absl::Time exit = running_ ? exit_at_ : absl::InfiniteFuture();
    absl::Time when = std::min({next_request, exit, deadline});
    if (when == absl::InfiniteFuture()) {
      // Nothing could ever happen: the loop would hang. End it.
      ADD_FAILURE() << "Wait with nothing to wait for";
      return running_ ? SupervisorEvent::kExited : SupervisorEvent::kStop;
    }
    if (when > now_) now_ = when;
    if (when == next_request) {
      SupervisorEvent event = requests.front().event;
      requests.pop_front();
      return event;
    }
    if (when == exit) return SupervisorEvent::kExited;
    return SupervisorEvent::kTimeout;
  }

  void Signal(int signal) override {
    Note(absl::StrCat("signal ", signal));
    if (!running_) return;
    if (signal == SIGKILL) {
      exit_at_ = now_;
    } else if (signal == SIGTERM &&
               term_exit_after != absl::InfiniteDuration()) {
      exit_at_ = std::min(exit_at_, now_ + term_exit_after);
    }
  }

  int Finish() override {
    EXPECT_TRUE(running_);
    running_ = false;
    Note("finish");
    return 0;
  }

  void Restarting(int restarts) override {
    Note(absl::StrCat("restarting ", restarts));
  }

  int starts() const { return static_cast<int>(starts_); }

 private:
  void Note(const std::string& what) {
    log.push_back(absl::StrCat(absl::FormatDuration(now_ - absl::UnixEpoch()),
                               " ", what));
  }
  absl::Time now_ = absl::UnixEpoch();
  size_t starts_ = 0;
  bool running_ = false;
  absl::Time exit_at_ = absl::InfiniteFuture();
};

const RespawnParams kParams = {absl::Seconds(10), absl::Seconds(2), 2};
const absl::Duration kStopTimeout = absl::Seconds(5);

TEST(SuperviseTest, CrashLoopGivesUpAfterRetryRespawns) {
  FakeContainer c;
  c.runs = {absl::Seconds(1), absl::Seconds(1), absl::Seconds(1)};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  EXPECT_TRUE(absl::IsFailedPrecondition(result.status())) << result.status();
  EXPECT_EQ(result.status().message(),
            "container svc: crashed 3 times in a row, each within 10s of its "
            "start; not respawning it again");
  // Each respawn DELAY after the exit.
  EXPECT_EQ(c.log,
            (std::vector<std::string>{
                "0 start 0", "1s finish", "3s restarting 1", "3s start 1",
                "4s finish", "6s restarting 2", "6s start 2", "7s finish"}));
}

TEST(SuperviseTest, LongRunsResetTheCount) {
  FakeContainer c;
  // Crash, crash, a long run, then crashes until it gives up: 2 + 1 + 3.
  c.runs = {absl::Seconds(1), absl::Seconds(1), absl::Seconds(30),
            absl::Seconds(1), absl::Seconds(1), absl::Seconds(1)};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  EXPECT_TRUE(absl::IsFailedPrecondition(result.status()));
  EXPECT_EQ(c.starts(), 6);
}

TEST(SuperviseTest, StopWhileRunningSendsTermThenFinishes) {
  FakeContainer c;
  c.requests = {{absl::Seconds(4), SupervisorEvent::kStop}};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, 0);
  EXPECT_EQ(c.log, (std::vector<std::string>{"0 start 0", "4s signal 15",
                                             "4s finish"}));
}

TEST(SuperviseTest, StopOfAContainerIgnoringTermKillsAfterTheTimeout) {
  FakeContainer c;
  c.term_exit_after = absl::InfiniteDuration();
  c.requests = {{absl::Seconds(4), SupervisorEvent::kStop},
                {absl::Seconds(5), SupervisorEvent::kStop}};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(c.log, (std::vector<std::string>{"0 start 0", "4s signal 15",
                                             "9s signal 9", "9s finish"}));
}

TEST(SuperviseTest, StopDuringTheDelayStartsNothingMore) {
  FakeContainer c;
  c.runs = {absl::Seconds(1)};
  c.requests = {{absl::Seconds(2), SupervisorEvent::kStop}};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(c.log, (std::vector<std::string>{"0 start 0", "1s finish"}));
}

TEST(SuperviseTest, ReloadIsPassedOnAndDoesNotCountAsExit) {
  FakeContainer c;
  c.requests = {{absl::Seconds(1), SupervisorEvent::kReload},
                {absl::Seconds(2), SupervisorEvent::kStop}};
  ASSERT_TRUE(Supervise(c, "svc", kParams, kStopTimeout).ok());
  EXPECT_EQ(c.log, (std::vector<std::string>{"0 start 0", "1s signal 1",
                                             "2s signal 15", "2s finish"}));
}

TEST(SuperviseTest, AFirstStartThatFailsIsTheError) {
  FakeContainer c;
  c.start_results = {absl::InvalidArgumentError("config.json: bad")};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  EXPECT_EQ(result.status().message(), "config.json: bad");
  EXPECT_EQ(c.starts(), 1);
}

TEST(SuperviseTest, ALaterStartThatFailsCountsAsACrash) {
  FakeContainer c;
  c.runs = {absl::Seconds(30)};
  c.start_results = {absl::OkStatus(), absl::InternalError("mount: busy"),
                     absl::InternalError("mount: busy"),
                     absl::InternalError("mount: busy")};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  EXPECT_TRUE(absl::IsFailedPrecondition(result.status()));
  EXPECT_EQ(c.starts(), 4);  // the long run, then three failed starts
}

TEST(SuperviseTest, StopDuringASetupEndsCleanly) {
  FakeContainer c;
  c.start_results = {absl::CancelledError("container svc: setup interrupted")};
  absl::StatusOr<int> result = Supervise(c, "svc", kParams, kStopTimeout);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, 0);
}

TEST(SuperviseTest, RetryZeroRespawnsForever) {
  FakeContainer c;
  c.runs.assign(50, absl::ZeroDuration());
  c.requests = {{absl::Seconds(2 * 49 + 1), SupervisorEvent::kStop}};
  RespawnParams forever = kParams;
  forever.retry = 0;
  ASSERT_TRUE(Supervise(c, "svc", forever, kStopTimeout).ok());
  EXPECT_EQ(c.starts(), 50);
}

}  // namespace
}  // namespace run_oci
