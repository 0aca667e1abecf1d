#include "run_oci/background_task.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace run_oci {
namespace {

TEST(BackgroundTaskTest, RunsOnAnotherThreadAndReturnsItsStatus) {
  std::atomic<bool> go{false};
  // Inline, the task would wait for `go` in vain and time out.
  BackgroundTask task([&go] {
    for (int i = 0; i < 10000 && !go.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return go.load() ? absl::DataLossError("from the task")
                     : absl::DeadlineExceededError("ran inline");
  });
  go.store(true);
  absl::Status status = task.Wait();
  EXPECT_EQ(status, absl::DataLossError("from the task"));
  // Waiting again returns the same status without joining twice.
  EXPECT_EQ(task.Wait(), status);
}

TEST(BackgroundTaskTest, DestructorWaitsForTheTask) {
  std::atomic<bool> done{false};
  {
    BackgroundTask task([&done] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      done.store(true);
      return absl::OkStatus();
    });
  }
  EXPECT_TRUE(done.load());
}

}  // namespace
}  // namespace run_oci
