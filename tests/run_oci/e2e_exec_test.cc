// exec through the built binary, as users and engines call it: output and
// exit status, the flags, process.json, --detach with --pid-file, a
// terminal through --console-socket, the init's namespaces and cgroups, a
// user-namespaced container, pause, and runc's errors; nothing left behind.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/console_socket.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;

constexpr int kTimeoutMs = 10000;

// runc's default capability set.
constexpr char kCaps[] =
    R"(,"capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL",)"
    R"("CAP_NET_BIND_SERVICE"],"effective":["CAP_AUDIT_WRITE","CAP_KILL",)"
    R"("CAP_NET_BIND_SERVICE"],"permitted":["CAP_AUDIT_WRITE","CAP_KILL",)"
    R"("CAP_NET_BIND_SERVICE"]},"rlimits":[{"type":"RLIMIT_NOFILE",)"
    R"("hard":1024,"soft":777}],"noNewPrivileges":true)";

std::string Trim(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

std::string ProcFile(pid_t pid, const std::string& name) {
  return Trim(
      ocitest::ReadFile(absl::StrCat("/proc/", pid, "/", name)).value_or(""));
}

std::string StatusLine(const std::string& status, const std::string& key) {
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (absl::StartsWith(line, key + ":")) {
      return Trim(std::string(line.substr(key.size() + 1)));
    }
  }
  return "";
}

std::string NsLink(pid_t pid, const std::string& ns) {
  char buf[128];
  const std::string path = absl::StrCat("/proc/", pid, "/ns/", ns);
  const ssize_t n = readlink(path.c_str(), buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, n) : "";
}

class ExecTest : public RunOciE2eTest {
 protected:
  // create + start of a container that sleeps; returns its init's pid.
  pid_t StartSleeper(const std::string& id = "c1") {
    ocitest::CommandResult create = RunOci({"create", id});
    EXPECT_EQ(create.exit_code, 0) << create.err;
    ocitest::CommandResult start = RunOci({"start", id});
    EXPECT_EQ(start.exit_code, 0) << start.err;
    EXPECT_TRUE(WaitForStatus(id, "running"));
    const std::string pid_text =
        Trim(ocitest::ReadFile(StateDir(id) + "/container.pid").value_or(""));
    pid_t pid = -1;
    EXPECT_TRUE(absl::SimpleAtoi(pid_text, &pid)) << pid_text;
    return pid;
  }

  void KillAndDelete(const std::string& id = "c1") {
    EXPECT_EQ(RunOci({"kill", id, "KILL"}).exit_code, 0);
    EXPECT_TRUE(WaitForStatus(id, "stopped"));
    ocitest::CommandResult del = RunOci({"delete", id});
    EXPECT_EQ(del.exit_code, 0) << del.err;
    EXPECT_THAT(StateRootEntries(), ::testing::IsEmpty());
  }

  // config.json with `env` (JSON strings) as process.env.
  void SetEnv(const std::string& env) {
    WriteConfig({"sleep", "1000"});
    std::string config = ocitest::ReadFile(bundle_ + "/config.json").value();
    config =
        absl::StrReplaceAll(config, {{R"("env":["PATH=/bin:/sbin:/usr/bin"])",
                                      absl::StrCat(R"("env":[)", env, "]")}});
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", config).ok());
  }

  // Expects exit 1 and exactly "run_oci: <message>\n" on stderr.
  void ExpectExecError(const std::vector<std::string>& args,
                       const std::string& message) {
    ocitest::CommandResult r = RunOci(args);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(r.err, absl::StrCat("run_oci: ", message, "\n"));
  }
};

TEST_F(ExecTest, OutputAndExitStatus) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  ocitest::CommandResult r = RunOci({"exec", "c1", "sh", "-c", "echo hi"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_EQ(r.err, "");
  // "--" before the program is allowed too.
  r = RunOci({"exec", "c1", "--", "sh", "-c", "exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  r = RunOci({"exec", "c1", "sh", "-c", "kill -9 $$"});
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.err;
  r = RunOci({"exec", "c1", "sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r.err;
  KillAndDelete();
}

TEST_F(ExecTest, EnvCwdUserAndTheInitsDefaults) {
  SetEnv(R"("PATH=/bin:/sbin","E2E=orig","KEEP=1")");
  StartSleeper();
  // Edits after create change nothing (the record keeps the init's).
  SetEnv(R"("PATH=/bin:/sbin","E2E=edited")");
  ocitest::CommandResult r =
      RunOci({"exec", "--env", "E2E=exec", "-e", "NEW=2", "--cwd", "/tmp",
              "--user", "1000:1001", "-g", "5", "-g", "6", "c1", "sh", "-c",
              "echo $E2E $KEEP $NEW; pwd; id -u; id -g; id -G"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "exec 1 2\n/tmp\n1000\n1001\n1001 5 6\n");
  r = RunOci({"exec", "c1", "sh", "-c", "echo $E2E; pwd; id -u"});
  EXPECT_EQ(r.out, "orig\n/\n0\n") << r.err;
  KillAndDelete();
}

TEST_F(ExecTest, CapabilitiesRlimitsNoNewPrivsOfTheInit) {
  process_extra_ = kCaps;
  WriteConfig({"sleep", "1000"});
  const pid_t init = StartSleeper();
  const std::string init_status = ProcFile(init, "status");
  ocitest::CommandResult r = RunOci(
      {"exec", "c1", "sh", "-c",
       "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; "
       "ulimit -n"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"CapEff", "CapBnd", "NoNewPrivs", "Seccomp"}) {
    EXPECT_EQ(StatusLine(r.out, key), StatusLine(init_status, key)) << key;
  }
  EXPECT_EQ(StatusLine(r.out, "NoNewPrivs"), "1");
  EXPECT_THAT(r.out, HasSubstr("\n777\n"));
  // --cap adds one (CAP_SYS_ADMIN is 21).
  r = RunOci({"exec", "--cap", "CAP_SYS_ADMIN", "c1", "sh", "-c",
              "grep ^CapEff: /proc/self/status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  uint64_t eff = 0, init_eff = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(StatusLine(r.out, "CapEff"), &eff));
  ASSERT_TRUE(
      absl::SimpleHexAtoi(StatusLine(init_status, "CapEff"), &init_eff));
  EXPECT_EQ(eff, init_eff | (uint64_t{1} << 21));
  ExpectExecError({"exec", "--cap", "CAP_NOPE", "c1", "true"},
                  "--cap CAP_NOPE: unknown capability");
  KillAndDelete();
}

// The same mount, pid, net, uts, ipc (and cgroup) namespaces and the same
// cgroups, v1 hierarchies and the unified one, as the init.
TEST_F(ExecTest, JoinsTheInitsNamespacesAndCgroups) {
  WriteConfig({"sleep", "1000"});
  const pid_t init = StartSleeper();
  ocitest::CommandResult r =
      RunOci({"exec", "c1", "sh", "-c",
              "for n in mnt pid net uts ipc cgroup user; do readlink "
              "/proc/self/ns/$n; done; cat /proc/self/cgroup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_GT(lines.size(), 7u) << r.out;
  const char* names[] = {"mnt", "pid", "net", "uts", "ipc", "cgroup", "user"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(lines[i], NsLink(init, names[i])) << names[i];
  }
  // pid, mount, uts, ipc are the container's own.
  for (int i : {0, 1, 3, 4}) {
    EXPECT_NE(lines[i], NsLink(getpid(), names[i])) << names[i];
  }
  std::vector<std::string> cgroups(lines.begin() + 7, lines.end());
  std::vector<std::string> init_cgroups =
      absl::StrSplit(ProcFile(init, "cgroup"), '\n', absl::SkipEmpty());
  EXPECT_EQ(cgroups, init_cgroups);
  bool saw_unified = false;
  for (const std::string& line : cgroups) {
    EXPECT_THAT(line, HasSubstr(cgroup_parent_)) << line;
    saw_unified |= absl::StartsWith(line, "0::");
  }
  EXPECT_TRUE(saw_unified) << r.out;
  KillAndDelete();
}

TEST_F(ExecTest, UserNamespacedContainer) {
  WriteConfig({"sleep", "1000"});
  // The fixture's linux member has no user namespace: write one here.
  std::string config = ocitest::ReadFile(bundle_ + "/config.json").value();
  config = absl::StrReplaceAll(
      config,
      {{R"({"type":"ipc"}])",
        R"({"type":"ipc"},{"type":"user"}],)"
        R"("uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],)"
        R"("gidMappings":[{"containerID":0,"hostID":100000,"size":65536}])"}});
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", config).ok());
  ASSERT_EQ(chown(Rootfs().c_str(), 100000, 100000), 0);
  const pid_t init = StartSleeper();
  ocitest::CommandResult r =
      RunOci({"exec", "c1", "sh", "-c",
              "id -u; cat /proc/self/uid_map; readlink /proc/self/ns/user"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], "0");
  EXPECT_EQ(
      absl::StrJoin(absl::StrSplit(lines[1], ' ', absl::SkipEmpty()), " "),
      "0 100000 65536");
  EXPECT_EQ(lines[2], NsLink(init, "user"));
  EXPECT_NE(lines[2], NsLink(getpid(), "user"));
  KillAndDelete();
}

// containerd's and conmon's call: --process, --detach, --pid-file. The
// process outlives run_oci and is re-parented to the caller's subreaper.
TEST_F(ExecTest, ProcessJsonDetachAndPidFile) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  const std::string process = temp_->Sub("process.json");
  ASSERT_TRUE(ocitest::WriteFile(
                  process,
                  R"({"args":["sh","-c","echo $X > /detached; sleep 0.3"],)"
                  R"("env":["PATH=/bin","X=from-json"],"cwd":"/",)"
                  R"("user":{"uid":0,"gid":0}})")
                  .ok());
  const std::string pid_file = temp_->Sub("exec.pid");
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  ocitest::CommandResult r = RunOci(
      {"exec", "--pid-file", pid_file, "--process", process, "--detach", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const std::string pid_text = ocitest::ReadFile(pid_file).value_or("");
  pid_t pid = -1;
  // Bare digits, no newline.
  ASSERT_TRUE(absl::SimpleAtoi(pid_text, &pid)) << pid_text;
  EXPECT_EQ(pid_text, absl::StrCat(pid));
  // Ours now (the subreaper's): reap it.
  int status = -1;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Trim(ocitest::ReadFile(Rootfs() + "/detached").value_or("")),
            "from-json");
  // A bad process.json is one line naming the field.
  ASSERT_TRUE(ocitest::WriteFile(process, R"({"args":[],"cwd":"/"})").ok());
  ExpectExecError({"exec", "--process", process, "c1"},
                  "process.json: args: must not be empty");
  ExpectExecError({"exec", "--process", process, "c1", "true"},
                  "exec: give the program either as --process FILE or as "
                  "args after the id, not both");
  ExpectExecError({"exec", "c1"},
                  "exec: no program: give its args after the id, or "
                  "--process FILE");
  KillAndDelete();
}

TEST_F(ExecTest, TerminalThroughTheConsoleSocket) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  const std::string socket_path = temp_->Sub("console.sock");
  absl::StatusOr<base::ScopedFd> listener =
      ocitest::ListenConsoleSocket(socket_path);
  ASSERT_TRUE(listener.ok()) << listener.status();
  Background bg =
      StartRunOci({"exec", "--tty", "--console-socket", socket_path, "c1", "sh",
                   "-c", "[ -t 0 ] && [ -t 1 ] && echo on-a-tty; tty"});
  base::ScopedFd master =
      ocitest::ReceiveConsoleMaster(listener->get(), kTimeoutMs);
  ASSERT_TRUE(master) << OutputOf(bg);
  const std::string out = ocitest::ReadUntilHangup(master.get(), kTimeoutMs);
  EXPECT_EQ(WaitRunOci(bg), 0) << OutputOf(bg);
  EXPECT_THAT(out, HasSubstr("on-a-tty\r\n"));
  EXPECT_THAT(out, HasSubstr("/dev/pts/"));
  // A terminal needs somewhere to go.
  ExpectExecError({"exec", "-t", "c1", "true"},
                  "exec: a terminal (--tty or process.terminal) needs "
                  "--console-socket to send it to");
  KillAndDelete();
}

TEST_F(ExecTest, PausedContainerIsRefusedUnlessIgnorePaused) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  ASSERT_EQ(RunOci({"pause", "c1"}).exit_code, 0);
  ExpectExecError({"exec", "c1", "true"},
                  "container c1: cannot exec in a paused container (use "
                  "--ignore-paused to override)");
  // With --ignore-paused the process joins the frozen cgroups and so
  // waits, frozen, until the container is resumed.
  Background bg =
      StartRunOci({"exec", "--ignore-paused", "c1", "sh", "-c", "echo thawed"});
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(waitpid(bg.pid, nullptr, WNOHANG), 0) << OutputOf(bg);
  ASSERT_EQ(RunOci({"resume", "c1"}).exit_code, 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0);
  EXPECT_EQ(OutputOf(bg), "thawed\n");
  KillAndDelete();
}

// A foreground exec passes termination signals on to its process, as a
// shell does to its job, and exits with the process's status.
TEST_F(ExecTest, ForegroundExecPassesSigtermOn) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  Background bg = StartRunOci(
      {"exec", "c1", "sh", "-c",
       "trap 'echo got-term; exit 5' TERM; echo ready > /exec-ready; "
       "while true; do sleep 0.05; done"});
  ASSERT_TRUE(WaitForFile(Rootfs() + "/exec-ready")) << OutputOf(bg);
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 5);
  EXPECT_EQ(OutputOf(bg), "got-term\n");
  KillAndDelete();
}

TEST_F(ExecTest, MissingAndStoppedContainers) {
  ExpectExecError({"exec", "nope", "true"}, "container does not exist: nope");
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  ASSERT_EQ(RunOci({"kill", "c1", "KILL"}).exit_code, 0);
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  ExpectExecError({"exec", "c1", "true"}, "container not running: c1");
  ExpectExecError({"exec", "--detach", "c1", "true"},
                  "container not running: c1");
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
}

// An AppArmor profile or SELinux label is refused as create refuses it:
// this host has neither, and dropping a security request is no option.
TEST_F(ExecTest, LsmRequestsAreRefusedAsCreateRefusesThem) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  ExpectExecError({"exec", "--apparmor", "strict", "c1", "true"},
                  "container c1: exec: process.apparmorProfile \"strict\": "
                  "AppArmor is not enabled on this host");
  ExpectExecError({"exec", "--process-label", "system_u:r:x", "c1", "true"},
                  "container c1: exec: jail: selinux label set but SELinux "
                  "is not enabled (label system_u:r:x)");
  KillAndDelete();
}

TEST_F(ExecTest, ProgramThatCannotRunFailsTheExec) {
  WriteConfig({"sleep", "1000"});
  StartSleeper();
  ocitest::CommandResult r = RunOci({"exec", "c1", "/no/such"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("container c1: exec: "));
  EXPECT_THAT(r.err, HasSubstr("/no/such"));
  KillAndDelete();
}

}  // namespace
}  // namespace run_oci_test
