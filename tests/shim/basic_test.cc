// The first milestone: a busybox command in new mount, pid, uts, ipc and net
// namespaces behind pivot_root, its output and exit status back.
#include <sched.h>
#include <signal.h>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"

namespace shimtest {
namespace {

TEST_F(JailTest, EchoInNewNamespaces) {
  shim::JailSpec spec = ShellSpec("echo hi");
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "hi\n");
  EXPECT_FALSE(r->status.signaled);
  EXPECT_EQ(r->status.code, 0);
}

TEST_F(JailTest, ExitStatusComesBack) {
  absl::StatusOr<RunResult> r = RunJailed(ShellSpec("exit 42"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.code, 42);
  EXPECT_EQ(r->status.ToShellStatus(), 42);
}

TEST_F(JailTest, KillAndWait) {
  absl::StatusOr<shim::Jail> jail =
      shim::Jail::Start(ShellSpec("sleep 100"), {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  EXPECT_GT(jail->pid(), 1);
  EXPECT_GE(jail->pidfd(), 0);
  ASSERT_TRUE(jail->Kill(SIGKILL).ok());
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->signaled);
  EXPECT_EQ(status->signal, SIGKILL);
  EXPECT_EQ(status->ToShellStatus(), 128 + SIGKILL);
}

TEST_F(JailTest, RootIsTheRootfs) {
  // The busybox rootfs has /etc/passwd but nothing like the host's /usr.
  const std::string out =
      RunShell("ls /; test -e /usr/share && echo HOST; true");
  EXPECT_TRUE(absl::StrContains(out, "bin")) << out;
  EXPECT_FALSE(absl::StrContains(out, "HOST")) << out;
}

TEST_F(JailTest, ProgramIsPid1) { EXPECT_EQ(RunShell("echo $$"), "1\n"); }

TEST_F(JailTest, SyncPointsInOrder) {
  std::vector<shim::SyncPoint> seen;
  pid_t seen_pid = -1;
  absl::StatusOr<RunResult> r =
      RunJailed(ShellSpec("true"), [&](shim::SyncPoint p, pid_t pid) {
        seen.push_back(p);
        seen_pid = pid;
        return absl::OkStatus();
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(seen, (std::vector<shim::SyncPoint>{shim::SyncPoint::kCloned,
                                                shim::SyncPoint::kPreChroot,
                                                shim::SyncPoint::kReady}));
  EXPECT_GT(seen_pid, 1);
}

TEST_F(JailTest, CallbackErrorFailsStartAndKillsChild) {
  absl::StatusOr<RunResult> r =
      RunJailed(ShellSpec("true"), [](shim::SyncPoint p, pid_t) {
        return p == shim::SyncPoint::kPreChroot
                   ? absl::AbortedError("hook said no")
                   : absl::OkStatus();
      });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "hook said no");
  // TearDown's leak check asserts the child is gone.
}

TEST_F(JailTest, MissingProgramFailsStart) {
  shim::JailSpec spec = ShellSpec("");
  spec.argv = {"no-such-program"};
  EXPECT_EQ(StartFailure(spec),
            "jail: exec (no-such-program): execve: No such file or directory");
}

}  // namespace
}  // namespace shimtest
