// podman 4.3 (through conmon) with run_oci as its runtime: the commands a
// podman user runs, each checked by what the container shows.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engines/podman_fixture.h"

namespace engines_test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// A counter that says when it got SIGHUP; PID 1 ignores SIGTERM without a
// handler, so one is installed for `stop`.
constexpr char kTicker[] =
    "trap 'echo got HUP' HUP; trap 'echo got TERM; exit 0' TERM; "
    "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done";

TEST_F(PodmanTest, RunRmPrintsOutput) {
  ocitest::CommandResult run = PodmanRun({"--rm"}, {"echo", "hello", "world"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello world\n");
  EXPECT_EQ(Podman({"ps", "-aq"}).out, "");
}

TEST_F(PodmanTest, ExitCodesAreTheContainersOwn) {
  EXPECT_EQ(PodmanRun({"--rm"}, {"sh", "-c", "exit 7"}).exit_code, 7);
  // Killed by a signal: 128 + N, from `podman wait` as from `run`.
  ASSERT_TRUE(RunDetached("victim", "exec sleep 1000"));
  EXPECT_EQ(Podman({"kill", "-s", "KILL", "victim"}).exit_code, 0);
  ocitest::CommandResult wait = Podman({"wait", "victim"});
  EXPECT_EQ(wait.out, "137\n") << wait.err;
  // podman's own convention for a command it cannot run: 127 not found,
  // 126 not executable (it reads run_oci's error line to tell them apart).
  ocitest::CommandResult missing = PodmanRun({"--rm"}, {"/no/such/program"});
  EXPECT_EQ(missing.exit_code, 127) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("/no/such/program"));
  ocitest::CommandResult not_exec = PodmanRun({"--rm"}, {"/etc/passwd"});
  EXPECT_EQ(not_exec.exit_code, 126) << not_exec.err;
}

TEST_F(PodmanTest, DetachedPsLogsKillTopStopRestartRm) {
  ASSERT_TRUE(RunDetached("ticker", kTicker));
  EXPECT_EQ(Inspect("ticker", "{{.State.Status}}"), "running");
  ocitest::CommandResult ps =
      Podman({"ps", "--format", "{{.Names}} {{.Status}}"});
  EXPECT_THAT(ps.out, MatchesRegex("ticker Up .*\n"));
  EXPECT_TRUE(WaitForLog("ticker", "tick 2"));

  ocitest::CommandResult hup = Podman({"kill", "-s", "HUP", "ticker"});
  EXPECT_EQ(hup.exit_code, 0) << hup.err;
  EXPECT_TRUE(WaitForLog("ticker", "got HUP"));
  EXPECT_EQ(Inspect("ticker", "{{.State.Status}}"), "running");

  ocitest::CommandResult top = Podman({"top", "ticker", "pid", "args"});
  EXPECT_EQ(top.exit_code, 0) << top.err;
  EXPECT_THAT(top.out, HasSubstr("sh -c trap"));

  ocitest::CommandResult stop = Podman({"stop", "-t", "5", "ticker"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_TRUE(WaitForLog("ticker", "got TERM"));
  EXPECT_EQ(Inspect("ticker", "{{.State.Status}}"), "exited");
  EXPECT_EQ(Inspect("ticker", "{{.State.ExitCode}}"), "0");

  ocitest::CommandResult restart = Podman({"restart", "-t", "5", "ticker"});
  EXPECT_EQ(restart.exit_code, 0) << restart.err;
  EXPECT_EQ(Inspect("ticker", "{{.State.Status}}"), "running");

  ocitest::CommandResult rm = Podman({"rm", "-f", "-t", "0", "ticker"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(Podman({"ps", "-aq"}).out, "");
}

TEST_F(PodmanTest, PauseStopsTheContainerUnpauseGoesOn) {
  ASSERT_TRUE(RunDetached("ticker", kTicker));
  ASSERT_TRUE(WaitForLog("ticker", "tick 1"));
  ocitest::CommandResult pause = Podman({"pause", "ticker"});
  ASSERT_EQ(pause.exit_code, 0) << pause.err;
  EXPECT_EQ(Inspect("ticker", "{{.State.Status}}"), "paused");
  const std::string frozen = Podman({"logs", "ticker"}).out;
  usleep(700 * 1000);
  EXPECT_EQ(Podman({"logs", "ticker"}).out, frozen) << "ticked while paused";

  ocitest::CommandResult unpause = Podman({"unpause", "ticker"});
  ASSERT_EQ(unpause.exit_code, 0) << unpause.err;
  EXPECT_EQ(Inspect("ticker", "{{.State.Status}}"), "running");
  usleep(700 * 1000);
  EXPECT_NE(Podman({"logs", "ticker"}).out, frozen) << "did not tick again";

  // rm -f of a paused container: kill 9 (run_oci thaws it) and delete.
  ASSERT_EQ(Podman({"pause", "ticker"}).exit_code, 0);
  ocitest::CommandResult rm = Podman({"rm", "-f", "-t", "0", "ticker"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(Podman({"ps", "-aq"}).out, "");
}

TEST_F(PodmanTest, ExecRunsInTheContainer) {
  ASSERT_TRUE(
      RunDetached("box", "echo box > /tmp/mark; echo ready; exec sleep 1000"));
  ASSERT_TRUE(WaitForLog("box", "ready"));
  ocitest::CommandResult exec = Podman({"exec", "box", "cat", "/tmp/mark"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "box\n");
  EXPECT_EQ(Podman({"exec", "box", "sh", "-c", "exit 5"}).exit_code, 5);
  ocitest::CommandResult input =
      Podman({"exec", "-i", "box", "sh", "-c", "read l; echo got $l"}, "x\n");
  EXPECT_EQ(input.out, "got x\n") << input.err;
  // The exec'd process sees the container's pid namespace: sleep is PID 1.
  ocitest::CommandResult ps = Podman({"exec", "box", "cat", "/proc/1/cmdline"});
  EXPECT_EQ(ps.out, std::string("sleep\0"
                                "1000\0",
                                11))
      << ps.err;
}

TEST_F(PodmanTest, ExecUserWorkdirEnvDetachAndSignalStatus) {
  ASSERT_TRUE(RunDetached("box", "exec sleep 1000"));
  ocitest::CommandResult user =
      Podman({"exec", "-u", "65534:65534", "box", "id", "-u"});
  EXPECT_EQ(user.out, "65534\n") << user.err;
  ocitest::CommandResult cwd = Podman({"exec", "-w", "/tmp", "box", "pwd"});
  EXPECT_EQ(cwd.out, "/tmp\n") << cwd.err;
  ocitest::CommandResult env = Podman(
      {"exec", "-e", "GREETING=hi", "box", "sh", "-c", "echo $GREETING"});
  EXPECT_EQ(env.out, "hi\n") << env.err;
  // A process of the exec killed by a signal: 128 + N.
  EXPECT_EQ(Podman({"exec", "box", "sh", "-c", "kill -9 $$"}).exit_code, 137);
  // -d: podman returns at once; the process runs on in the container.
  ocitest::CommandResult detached = Podman(
      {"exec", "-d", "box", "sh", "-c", "sleep 0.3; echo late > /tmp/late"});
  EXPECT_EQ(detached.exit_code, 0) << detached.err;
  ocitest::CommandResult late;
  for (int i = 0; i < 50 && late.out != "late\n"; ++i) {
    usleep(100 * 1000);
    late = Podman({"exec", "box", "cat", "/tmp/late"});
  }
  EXPECT_EQ(late.out, "late\n");
  // The exec'd processes are in the container's cgroup: top lists them.
  ocitest::CommandResult top = Podman({"top", "box", "args"});
  EXPECT_THAT(top.out, HasSubstr("sleep 1000"));
}

TEST_F(PodmanTest, ExecWithTerminal) {
  ASSERT_TRUE(RunDetached("box", "exec sleep 1000"));
  ocitest::CommandResult tty =
      PodmanInTerminal({"exec", "-it", "box", "sh", "-c", "tty; exit 3"});
  EXPECT_EQ(tty.exit_code, 3) << tty.out << tty.err;
  EXPECT_THAT(tty.out, HasSubstr("/dev/pts/"));
}

TEST_F(PodmanTest, Healthcheck) {
  // No systemd timer here: the check runs only when asked to.
  ASSERT_TRUE(RunDetached(
      "box", "exec sleep 1000",
      {"--health-cmd", "test -e /tmp/ok", "--health-interval", "disable"}));
  ocitest::CommandResult sick = Podman({"healthcheck", "run", "box"});
  EXPECT_EQ(sick.exit_code, 1) << sick.out << sick.err;
  EXPECT_EQ(Podman({"exec", "box", "touch", "/tmp/ok"}).exit_code, 0);
  ocitest::CommandResult healthy = Podman({"healthcheck", "run", "box"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out << healthy.err;
  EXPECT_EQ(Inspect("box", "{{.State.Health.Status}}"), "healthy");
}

TEST_F(PodmanTest, RunInteractiveUnderPseudoTerminal) {
  std::vector<std::string> args = {"run", "--rm", "-it"};
  for (const std::string& flag : RunFlags()) args.push_back(flag);
  for (const char* arg :
       {kPodmanImage, "sh", "-c", "tty; read l; echo got $l; exit 4"}) {
    args.push_back(arg);
  }
  ocitest::CommandResult run = PodmanInTerminal(args, "typed\n");
  EXPECT_EQ(run.exit_code, 4) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("/dev/pts/0"));
  EXPECT_THAT(run.out, HasSubstr("got typed"));
}

TEST_F(PodmanTest, CreateThenStartAttached) {
  std::vector<std::string> args = {"create", "--name", "later"};
  for (const std::string& flag : RunFlags()) args.push_back(flag);
  for (const char* arg : {kPodmanImage, "sh", "-c", "echo started; exit 2"}) {
    args.push_back(arg);
  }
  ocitest::CommandResult create = Podman(args);
  ASSERT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(Inspect("later", "{{.State.Status}}"), "created");
  ocitest::CommandResult start = Podman({"start", "-a", "later"});
  EXPECT_EQ(start.exit_code, 2) << start.err;
  EXPECT_EQ(start.out, "started\n");
}

TEST_F(PodmanTest, DetachedWithTerminalLogsWhatTheConsoleGot) {
  ASSERT_TRUE(
      RunDetached("console", "tty; echo on console; exec sleep 1000", {"-t"}));
  EXPECT_TRUE(WaitForLog("console", "on console"));
  EXPECT_THAT(Podman({"logs", "console"}).out, HasSubstr("/dev/pts/0"));
}

// --pid/--ipc/--uts/--network=container:X: run_oci joins another
// container's namespaces by the paths podman puts in config.json.
TEST_F(PodmanTest, JoinsAnotherContainersNamespaces) {
  ASSERT_TRUE(RunDetached("first", "hostname > /dev/null; exec sleep 1000",
                          {"--hostname", "firsthost"}));
  std::vector<std::string> args = {"run",
                                   "--rm",
                                   "--ulimit",
                                   "nofile=1024:1024",
                                   "--ulimit",
                                   "nproc=1024:1024",
                                   "--cgroup-parent",
                                   "/" + cgroup_parent_};
  for (const char* flag :
       {"--pid=container:first", "--ipc=container:first",
        "--uts=container:first", "--network=container:first"}) {
    args.push_back(flag);
  }
  for (const char* arg :
       {kPodmanImage, "sh", "-c", "hostname; cat /proc/1/cmdline; echo"}) {
    args.push_back(arg);
  }
  ocitest::CommandResult run = Podman(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, std::string("firsthost\nsleep\0"
                                 "1000\0\n",
                                 22));
}

TEST_F(PodmanTest, RestartPolicyRestartsAFailingContainer) {
  // conmon's exit command (podman container cleanup) restarts it.
  ASSERT_TRUE(
      RunDetached("flaky", "echo try; exit 1", {"--restart", "on-failure:2"}));
  for (int i = 0; i < 100; ++i) {
    if (Inspect("flaky", "{{.RestartCount}} {{.State.Status}}") == "2 exited") {
      break;
    }
    usleep(100 * 1000);
  }
  EXPECT_EQ(Inspect("flaky", "{{.RestartCount}} {{.State.Status}}"),
            "2 exited");
  EXPECT_EQ(Podman({"logs", "flaky"}).out, "try\ntry\ntry\n");
}

TEST_F(PodmanTest, CommitPausesAndCopiesTheContainersChanges) {
  ASSERT_TRUE(
      RunDetached("src", "echo made > /made; echo ready; exec sleep 1000"));
  ASSERT_TRUE(WaitForLog("src", "ready"));
  // commit writes containers/image's blob cache (/var/lib/containers).
  ocitest::CommandResult commit = PodmanWithPrivateVarLib(
      {"commit", "-q", "--pause", "src", "localhost/committed:1"});
  EXPECT_EQ(commit.exit_code, 0) << commit.err;
  EXPECT_EQ(Inspect("src", "{{.State.Status}}"), "running");
  std::vector<std::string> args = {"run", "--rm"};
  for (const std::string& flag : RunFlags()) args.push_back(flag);
  for (const char* arg : {"localhost/committed:1", "cat", "/made"}) {
    args.push_back(arg);
  }
  ocitest::CommandResult run = Podman(args);
  EXPECT_EQ(run.out, "made\n") << run.err;
}

TEST_F(PodmanTest, ReadOnlyRootWithWritableTmp) {
  ocitest::CommandResult run = PodmanRun(
      {"--rm", "--read-only"}, {"sh", "-c",
                                "touch /x 2>/dev/null && echo root writable; "
                                "touch /tmp/y /run/z && echo tmp writable"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "tmp writable\n");
}

TEST_F(PodmanTest, User) {
  ocitest::CommandResult run =
      PodmanRun({"--rm", "--user", "65534:65534"}, {"id"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("uid=65534(nobody) gid=65534"));
}

TEST_F(PodmanTest, CapDropAndAdd) {
  ocitest::CommandResult only_net_raw =
      PodmanRun({"--rm", "--cap-drop", "all", "--cap-add", "NET_RAW"},
                {"grep", "-E", "^Cap(Eff|Prm|Bnd)", "/proc/self/status"});
  EXPECT_EQ(only_net_raw.exit_code, 0) << only_net_raw.err;
  // CAP_NET_RAW is bit 13.
  EXPECT_EQ(only_net_raw.out,
            "CapPrm:\t0000000000002000\nCapEff:\t0000000000002000\n"
            "CapBnd:\t0000000000002000\n");
  ocitest::CommandResult no_chown = PodmanRun(
      {"--rm", "--cap-drop", "CHOWN"},
      {"sh", "-c", "chown 65534 /tmp && echo chowned || echo refused"});
  EXPECT_EQ(no_chown.out, "refused\n") << no_chown.err;
  ocitest::CommandResult with_chown =
      PodmanRun({"--rm"}, {"sh", "-c", "chown 65534 /tmp && echo chowned"});
  EXPECT_EQ(with_chown.out, "chowned\n") << with_chown.err;
}

// podman's default seccomp profile (hundreds of rules) is in force;
// --privileged and seccomp=unconfined turn it off.
TEST_F(PodmanTest, SeccompProfileAndPrivileged) {
  const std::string seccomp = "grep Seccomp: /proc/self/status";
  EXPECT_EQ(PodmanRun({"--rm"}, {"sh", "-c", seccomp}).out, "Seccomp:\t2\n");
  EXPECT_EQ(PodmanRun({"--rm", "--security-opt", "seccomp=unconfined"},
                      {"sh", "-c", seccomp})
                .out,
            "Seccomp:\t0\n");
  // Privileged: every capability the host's bounding set has, no filter,
  // the host's devices.
  std::string host_bounding;
  for (const std::string& line : LinesWith(
           ocitest::ReadFile("/proc/self/status").value_or(""), "CapBnd:")) {
    host_bounding = line.substr(line.find('\t') + 1);
  }
  ocitest::CommandResult privileged =
      PodmanRun({"--rm", "--privileged"},
                {"sh", "-c",
                 "grep -E '^(CapEff|Seccomp):' /proc/self/status; "
                 "test -c /dev/kmsg && echo kmsg"});
  EXPECT_EQ(privileged.exit_code, 0) << privileged.err;
  EXPECT_EQ(privileged.out,
            "CapEff:\t" + host_bounding + "\nSeccomp:\t0\nkmsg\n");
}

TEST_F(PodmanTest, NamedVolumeRootfsDirAndPropagation) {
  ocitest::CommandResult volume = PodmanRun(
      {"--rm", "-v", "data:/data"}, {"sh", "-c", "echo kept > /data/f"});
  EXPECT_EQ(volume.exit_code, 0) << volume.err;
  ocitest::CommandResult again =
      PodmanRun({"--rm", "-v", "data:/data"}, {"cat", "/data/f"});
  EXPECT_EQ(again.out, "kept\n") << again.err;

  // --rootfs: a plain directory instead of an image.
  std::vector<std::string> args = {"run", "--rm"};
  for (const std::string& flag : RunFlags()) args.push_back(flag);
  for (const std::string& arg : {std::string("--rootfs"), rootfs_,
                                 std::string("echo"), std::string("plain")}) {
    args.push_back(arg);
  }
  ocitest::CommandResult plain = Podman(args);
  EXPECT_EQ(plain.out, "plain\n") << plain.err;

  ASSERT_EQ(mkdir(Sub("shared").c_str(), 0755), 0);
  ocitest::CommandResult shared =
      PodmanRun({"--rm", "--mount",
                 "type=bind,src=" + Sub("shared") +
                     ",dst=/shared,bind-propagation=rshared"},
                {"grep", " /shared ", "/proc/self/mountinfo"});
  EXPECT_EQ(shared.exit_code, 0) << shared.err;
  EXPECT_THAT(shared.out, HasSubstr(" shared:"));
}

TEST_F(PodmanTest, MemoryAndPidsLimitsReadBackInside) {
  // This host is cgroup v1 (hybrid): podman mounts the container's own
  // v1 hierarchies read-only at /sys/fs/cgroup.
  ocitest::CommandResult run =
      PodmanRun({"--rm", "--memory", "64m", "--pids-limit", "77"},
                {"cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                 "/sys/fs/cgroup/pids/pids.max"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, absl::StrCat(64 << 20, "\n77\n"));
}

TEST_F(PodmanTest, VolumeWorkdirEnvHostnameShmSize) {
  ASSERT_EQ(mkdir(Sub("shared").c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(Sub("shared/file"), "from host\n").ok());
  ocitest::CommandResult run = PodmanRun(
      {"--rm", "-v", Sub("shared") + ":/mnt:ro", "-w", "/mnt", "-e", "FOO=bar",
       "--hostname", "boxhost", "--shm-size", "8m"},
      {"sh", "-c",
       "pwd; cat file; echo $FOO; hostname; touch file 2>/dev/null || "
       "echo ro; df -k /dev/shm | tail -1 | tr -s ' ' | cut -d' ' -f2"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "/mnt\nfrom host\nbar\nboxhost\nro\n8192\n");
}

// podman gives every --tmpfs the tmpcopyup option (the image's files under
// the mount point are copied into the new tmpfs).
TEST_F(PodmanTest, TmpfsCopiesUpTheImagesFiles) {
  ocitest::CommandResult run = PodmanRun(
      {"--rm", "--tmpfs", "/etc:size=1m"},
      {"sh", "-c",
       "grep -c nobody /etc/passwd; df -k /etc | tail -1 | tr -s ' ' | "
       "cut -d' ' -f2"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "1\n1024\n");
}

TEST_F(PodmanTest, UserNamespaceFromUidmap) {
  ocitest::CommandResult run = PodmanRun(
      {"--rm", "--uidmap", "0:100000:65536", "--gidmap", "0:100000:65536"},
      {"sh", "-c", "cat /proc/self/uid_map; id -u; touch /tmp/x"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, MatchesRegex(" *0 +100000 +65536\n0\n"));
}

TEST_F(PodmanTest, NoNewPrivilegesAndSysctl) {
  ocitest::CommandResult run = PodmanRun(
      {"--rm", "--security-opt", "no-new-privileges", "--sysctl",
       "kernel.msgmax=4242"},
      {"sh", "-c",
       "grep NoNewPrivs /proc/self/status; cat /proc/sys/kernel/msgmax"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "NoNewPrivs:\t1\n4242\n");
}

TEST_F(PodmanTest, OutOfMemoryKillIsReported) {
  // tail keeps the whole "line" of /dev/zero in memory.
  ocitest::CommandResult run =
      PodmanRun({"--name", "hog", "--memory", "16m", "--memory-swap", "16m"},
                {"tail", "/dev/zero"});
  EXPECT_EQ(run.exit_code, 137) << run.err;
  // Not checked: .State.OOMKilled, which conmon 2.1.6 leaves false on this
  // host with runc as well (its cgroup v1 OOM watch sees nothing).
  EXPECT_EQ(Inspect("hog", "{{.State.ExitCode}}"), "137");
}

TEST_F(PodmanTest, UpdateChangesTheLimitInForce) {
  ASSERT_TRUE(RunDetached("box", "exec sleep 1000", {"--memory", "64m"}));
  const std::string id = Inspect("box", "{{.Id}}");
  const std::string limit =
      absl::StrCat("/sys/fs/cgroup/memory/", cgroup_parent_, "/libpod-", id,
                   "/memory.limit_in_bytes");
  EXPECT_EQ(ocitest::ReadFile(limit).value_or(""),
            absl::StrCat(64 << 20, "\n"));
  // podman update is run_oci update --resources <file>.
  ocitest::CommandResult update = Podman({"update", "--memory", "32m", "box"});
  EXPECT_EQ(update.exit_code, 0) << update.err;
  EXPECT_EQ(ocitest::ReadFile(limit).value_or(""),
            absl::StrCat(32 << 20, "\n"));
}

TEST_F(PodmanTest, CheckpointEitherWorksOrFailsWithCriusReason) {
  ASSERT_TRUE(RunDetached("box", "exec sleep 1000"));
  ocitest::CommandResult checkpoint =
      Podman({"container", "checkpoint", "box"});
  if (checkpoint.exit_code == 0) {
    // A host where criu works: the container comes back.
    ocitest::CommandResult restore = Podman({"container", "restore", "box"});
    EXPECT_EQ(restore.exit_code, 0) << restore.err;
  } else {
    // This host's kernel fails criu's own check: one line saying so, and
    // the container keeps running.
    EXPECT_THAT(checkpoint.err, HasSubstr("criu check failed"));
    EXPECT_THAT(checkpoint.err, HasSubstr("left running"));
  }
  EXPECT_EQ(Inspect("box", "{{.State.Status}}"), "running");
}

// podman passes `--log-format=json --log F` to a runtime whose file is
// named runc (or crun), and reads its errors from F.
class PodmanRuncNameTest : public PodmanTest {
 protected:
  std::string RuntimeName() const override { return "runc"; }
};

TEST_F(PodmanRuncNameTest, RunPauseAndErrors) {
  ocitest::CommandResult run = PodmanRun({"--rm"}, {"echo", "as runc"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "as runc\n");

  ASSERT_TRUE(RunDetached("box", "exec sleep 1000"));
  EXPECT_EQ(Podman({"pause", "box"}).exit_code, 0);
  EXPECT_EQ(Inspect("box", "{{.State.Status}}"), "paused");
  EXPECT_EQ(Podman({"unpause", "box"}).exit_code, 0);
  EXPECT_EQ(Inspect("box", "{{.State.Status}}"), "running");
  EXPECT_EQ(Podman({"rm", "-f", "-t", "0", "box"}).exit_code, 0);

  // The error podman shows is the msg of run_oci's JSON log line.
  ocitest::CommandResult missing = PodmanRun({"--rm"}, {"/no/such/program"});
  EXPECT_EQ(missing.exit_code, 127) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("/no/such/program"));
  EXPECT_THAT(missing.err, Not(HasSubstr("level")));
}

TEST_F(PodmanRuncNameTest, Exec) {
  ASSERT_TRUE(RunDetached("box", "exec sleep 1000"));
  ocitest::CommandResult exec = Podman({"exec", "box", "echo", "in box"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "in box\n");
}

}  // namespace
}  // namespace engines_test
