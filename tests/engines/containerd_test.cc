// containerd 1.6's runc shim v2 with run_oci as its runc binary, driven by
// ctr against a private daemon.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engines/containerd_fixture.h"

namespace engines_test {
namespace {

using ::testing::HasSubstr;

constexpr char kTicker[] =
    "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done";

TEST_F(ContainerdTest, RunRmPrintsOutputAndExitCode) {
  ocitest::CommandResult run =
      Ctr(CtrRunArgs({"--rm"}, "once", {"sh", "-c", "echo hello; exit 4"}));
  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_EQ(run.out, "hello\n");
  EXPECT_EQ(Ctr({"containers", "ls", "-q"}).out, "");
}

// The shim reads a failed call's reason from the last "level":"error"
// line of run_oci's --log file (json) and ctr shows it.
TEST_F(ContainerdTest, FailuresShowRunOcisReason) {
  ocitest::CommandResult missing =
      Ctr(CtrRunArgs({"--rm"}, "bad", {"/no/such/program"}));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("OCI runtime create failed: "));
  EXPECT_THAT(missing.err, HasSubstr("/no/such/program"));
  EXPECT_THAT(missing.err, HasSubstr("No such file or directory"));

  ocitest::CommandResult systemd =
      Ctr(CtrRunArgs({"--rm", "--runc-systemd-cgroup"}, "sd", {"true"}));
  EXPECT_NE(systemd.exit_code, 0);
  EXPECT_THAT(systemd.err, HasSubstr("--systemd-cgroup: "));
  EXPECT_EQ(Ctr({"containers", "ls", "-q"}).out, "");
}

TEST_F(ContainerdTest, KillAndForcedDeleteOfAPausedTask) {
  ASSERT_TRUE(RunDetached("frozen", kTicker));
  ASSERT_TRUE(WaitForLog("frozen", "tick 0"));
  ASSERT_EQ(Ctr({"tasks", "pause", "frozen"}).exit_code, 0);
  EXPECT_EQ(TaskStatus("frozen"), "PAUSED");
  ocitest::CommandResult kill =
      Ctr({"tasks", "kill", "-s", "SIGKILL", "frozen"});
  EXPECT_EQ(kill.exit_code, 0) << kill.err;
  for (int i = 0; i < 50 && TaskStatus("frozen") != "STOPPED"; ++i) {
    usleep(100 * 1000);
  }
  EXPECT_EQ(TaskStatus("frozen"), "STOPPED");
  ocitest::CommandResult del = Ctr({"tasks", "delete", "--force", "frozen"});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(TaskStatus("frozen"), "");
  EXPECT_EQ(Ctr({"containers", "rm", "frozen"}).exit_code, 0);
}

// ctr run -t: the shim's create gets --console-socket.
TEST_F(ContainerdTest, RunWithTerminal) {
  ocitest::CommandResult run = CtrInTerminal(
      CtrRunArgs({"--rm", "-t"}, "tty", {"sh", "-c", "tty; exit 2"}));
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("/dev/pts/0"));
}

// ctr run --rootfs: a bundle over a directory no snapshotter manages.
TEST_F(ContainerdTest, RunOnAPlainRootfsDirectory) {
  std::vector<std::string> args = {"run", "--rm", "--rootfs"};
  for (const std::string& flag : RunFlags("plain")) {
    if (flag != "--snapshotter" && flag != "native") args.push_back(flag);
  }
  for (const std::string& arg :
       {rootfs_, std::string("plain"), std::string("cat"),
        std::string("/etc/passwd")}) {
    args.push_back(arg);
  }
  ocitest::CommandResult run = Ctr(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("nobody"));
}

TEST_F(ContainerdTest, DetachedTaskLsPsPauseResumeMetricsKillDelete) {
  ASSERT_TRUE(RunDetached("ticker", kTicker));
  EXPECT_EQ(TaskStatus("ticker"), "RUNNING");
  EXPECT_TRUE(WaitForLog("ticker", "tick 1"));

  // `ctr task ps` is the shim's `run_oci ps --format json`.
  ocitest::CommandResult ps = Ctr({"tasks", "ps", "ticker"});
  EXPECT_EQ(ps.exit_code, 0) << ps.err;
  std::vector<std::string> pids;
  for (absl::string_view line :
       absl::StrSplit(ps.out, '\n', absl::SkipWhitespace())) {
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    int pid = 0;
    if (!fields.empty() && absl::SimpleAtoi(fields[0], &pid)) {
      pids.emplace_back(fields[0]);
    }
  }
  EXPECT_FALSE(pids.empty()) << ps.out;

  ocitest::CommandResult pause = Ctr({"tasks", "pause", "ticker"});
  EXPECT_EQ(pause.exit_code, 0) << pause.err;
  EXPECT_EQ(TaskStatus("ticker"), "PAUSED");
  const std::string frozen = LogOf("ticker");
  usleep(700 * 1000);
  EXPECT_EQ(LogOf("ticker"), frozen) << "ticked while paused";
  ocitest::CommandResult resume = Ctr({"tasks", "resume", "ticker"});
  EXPECT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_EQ(TaskStatus("ticker"), "RUNNING");
  usleep(700 * 1000);
  EXPECT_NE(LogOf("ticker"), frozen) << "did not tick after resume";

  ocitest::CommandResult metrics = Ctr({"tasks", "metrics", "ticker"});
  EXPECT_EQ(metrics.exit_code, 0) << metrics.err;
  EXPECT_THAT(metrics.out, HasSubstr("memory.usage_in_bytes"));
  EXPECT_THAT(metrics.out, HasSubstr("pids.current"));

  ocitest::CommandResult kill =
      Ctr({"tasks", "kill", "-s", "SIGKILL", "ticker"});
  EXPECT_EQ(kill.exit_code, 0) << kill.err;
  for (int i = 0; i < 50 && TaskStatus("ticker") == "RUNNING"; ++i) {
    usleep(100 * 1000);
  }
  EXPECT_EQ(TaskStatus("ticker"), "STOPPED");
  ocitest::CommandResult del = Ctr({"tasks", "delete", "ticker"});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_THAT(del.out + del.err, HasSubstr("137"));
  EXPECT_EQ(TaskStatus("ticker"), "");
  EXPECT_EQ(Ctr({"containers", "rm", "ticker"}).exit_code, 0);
}

TEST_F(ContainerdTest, ExecWithAndWithoutTerminal) {
  ASSERT_TRUE(
      RunDetached("box", "echo box > /tmp/mark; echo ready; exec sleep 1000"));
  ASSERT_TRUE(WaitForLog("box", "ready"));
  ocitest::CommandResult exec =
      Ctr({"tasks", "exec", "--fifo-dir", Sub("fifo"), "--exec-id", "e1", "box",
           "cat", "/tmp/mark"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "box\n");
  ocitest::CommandResult status =
      Ctr({"tasks", "exec", "--fifo-dir", Sub("fifo"), "--exec-id", "e2", "box",
           "sh", "-c", "exit 6"});
  EXPECT_EQ(status.exit_code, 6) << status.err;
  ocitest::CommandResult tty =
      CtrInTerminal({"tasks", "exec", "-t", "--fifo-dir", Sub("fifo"),
                     "--exec-id", "e3", "box", "sh", "-c", "tty"});
  EXPECT_EQ(tty.exit_code, 0) << tty.out << tty.err;
  EXPECT_THAT(tty.out, HasSubstr("/dev/pts/"));
}

TEST_F(ContainerdTest, ExecUserAndCwdAndPsListsIt) {
  ASSERT_TRUE(RunDetached("box", "exec sleep 1000"));
  ocitest::CommandResult user = Ctr(
      {"tasks", "exec", "--fifo-dir", Sub("fifo"), "--exec-id", "u", "--user",
       "65534", "--cwd", "/tmp", "box", "sh", "-c", "id -u; pwd"});
  EXPECT_EQ(user.exit_code, 0) << user.err;
  EXPECT_EQ(user.out, "65534\n/tmp\n");
  // A detached exec shows up in `ctr task ps` (run_oci ps --format json).
  ocitest::CommandResult detached =
      Ctr({"tasks", "exec", "-d", "--fifo-dir", Sub("fifo"), "--exec-id", "bg",
           "box", "sleep", "999"});
  EXPECT_EQ(detached.exit_code, 0) << detached.err;
  ocitest::CommandResult ps;
  for (int i = 0; i < 50; ++i) {
    ps = Ctr({"tasks", "ps", "box"});
    if (LinesWith(ps.out, "bg").size() == 1) break;
    usleep(100 * 1000);
  }
  EXPECT_EQ(LinesWith(ps.out, "bg").size(), 1u) << ps.out;
}

TEST_F(ContainerdTest, TermStopsTheTaskAndDeleteForgetsIt) {
  ASSERT_TRUE(RunDetached(
      "term",
      "trap 'exit 9' TERM; echo ready; while true; do sleep 0.1; done"));
  ASSERT_TRUE(WaitForLog("term", "ready"));
  EXPECT_EQ(Ctr({"tasks", "kill", "term"}).exit_code, 0);
  for (int i = 0; i < 50 && TaskStatus("term") == "RUNNING"; ++i) {
    usleep(100 * 1000);
  }
  ocitest::CommandResult del = Ctr({"tasks", "delete", "term"});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_THAT(del.out + del.err, HasSubstr("exit code 9"));
  EXPECT_EQ(Ctr({"containers", "rm", "term"}).exit_code, 0);
}

// The runc shim v2's default: the `runc` found in PATH, here run_oci.
class ContainerdRuncInPathTest : public ContainerdTest {
 protected:
  bool RuncFromPath() const override { return true; }
};

TEST_F(ContainerdRuncInPathTest, RunPauseResumeKill) {
  ocitest::CommandResult run =
      Ctr(CtrRunArgs({"--rm"}, "once", {"echo", "as runc"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "as runc\n");

  ASSERT_TRUE(RunDetached("ticker", kTicker));
  // run_oci's state directory, not runc's (state.json only).
  EXPECT_EQ(access((runtime_state_dir_ + "/ticker/.run_oci").c_str(), F_OK), 0);
  EXPECT_EQ(Ctr({"tasks", "pause", "ticker"}).exit_code, 0);
  EXPECT_EQ(TaskStatus("ticker"), "PAUSED");
  EXPECT_EQ(Ctr({"tasks", "resume", "ticker"}).exit_code, 0);
  EXPECT_EQ(TaskStatus("ticker"), "RUNNING");
  EXPECT_EQ(Ctr({"tasks", "kill", "-s", "SIGKILL", "ticker"}).exit_code, 0);
  for (int i = 0; i < 50 && TaskStatus("ticker") == "RUNNING"; ++i) {
    usleep(100 * 1000);
  }
  EXPECT_EQ(Ctr({"tasks", "delete", "ticker"}).exit_code, 0);
  EXPECT_EQ(Ctr({"containers", "rm", "ticker"}).exit_code, 0);
}

}  // namespace
}  // namespace engines_test
