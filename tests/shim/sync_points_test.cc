// Where the child waits for the parent (jail.h, SyncPoint): at kPreChroot
// only with JailSpec::stop_at_prechroot, at kReady always, so that what
// the callback does for an earlier point is done before the program runs.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/phase_timer.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

constexpr absl::Duration kCallbackTime = absl::Milliseconds(150);

// How long the child spent between its mounts and going on past
// kPreChroot, while the kPreChroot callback took kCallbackTime.
absl::StatusOr<absl::Duration> WaitAtPreChroot(shim::JailSpec spec) {
  auto slow_prechroot = [](shim::SyncPoint p, pid_t) {
    if (p == shim::SyncPoint::kPreChroot) absl::SleepFor(kCallbackTime);
    return absl::OkStatus();
  };
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, slow_prechroot);
  if (!jail.ok()) return jail.status();
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  if (!status.ok()) return status.status();
  if (status->code != 0) return absl::InternalError("the program failed");
  const shim::PhaseStamps& phases = jail->child_phases();
  return absl::Nanoseconds(phases.at(shim::ChildPhase::kPreChrootAcked) -
                           phases.at(shim::ChildPhase::kMounts));
}

TEST_F(JailTest, ChildWaitsAtPreChrootOnlyWhenAsked) {
  shim::JailSpec spec = ShellSpec("true");
  spec.stop_at_prechroot = true;
  absl::StatusOr<absl::Duration> waited = WaitAtPreChroot(spec);
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_GE(*waited, kCallbackTime);

  spec.stop_at_prechroot = false;
  waited = WaitAtPreChroot(spec);
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_LT(*waited, kCallbackTime);
}

// Without the stop, the callback's work still comes before the program:
// the child waits at kReady, which the parent reads only after it.
TEST_F(JailTest, CallbackWithoutStopFinishesBeforeTheProgram) {
  ASSERT_EQ(mkdir(dir().Sub("share").c_str(), 0755), 0);
  const std::string marker = dir().Sub("share/from-callback");
  shim::JailSpec spec = ShellSpec("cat /mnt/share/from-callback");
  spec.mounts.push_back(Bind(dir().Sub("share"), "/mnt/share"));
  spec.stop_at_prechroot = false;
  absl::StatusOr<RunResult> r =
      RunJailed(spec, [&](shim::SyncPoint p, pid_t) -> absl::Status {
        if (p != shim::SyncPoint::kPreChroot) return absl::OkStatus();
        absl::SleepFor(kCallbackTime);
        return ocitest::WriteFile(marker, "written\n");
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.code, 0) << r->out;
  EXPECT_EQ(r->out, "written\n");
}

// A callback that fails for a point the child did not wait at still fails
// the start before the program runs.
TEST_F(JailTest, CallbackErrorWithoutStopKeepsTheProgramFromRunning) {
  ASSERT_EQ(mkdir(dir().Sub("share").c_str(), 0755), 0);
  shim::JailSpec spec = ShellSpec("touch /mnt/share/ran");
  spec.mounts.push_back(Bind(dir().Sub("share"), "/mnt/share"));
  spec.stop_at_prechroot = false;
  absl::StatusOr<RunResult> r =
      RunJailed(spec, [](shim::SyncPoint p, pid_t) -> absl::Status {
        if (p != shim::SyncPoint::kPreChroot) return absl::OkStatus();
        absl::SleepFor(kCallbackTime);
        return absl::AbortedError("hook said no");
      });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "hook said no");
  EXPECT_NE(access(dir().Sub("share/ran").c_str(), F_OK), 0);
}

}  // namespace
}  // namespace shimtest
