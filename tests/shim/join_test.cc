// JoinContainer: a second process in a running jail's namespaces, with its
// own attributes, exit status and fds. Each case runs twice: the child in
// the container's pid namespace from birth, and outside it with the exec
// stub forking the program in (exec_stub.h).
#include "minijail-shim/join.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/exec_stub.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"

namespace shimtest {
namespace {

std::string NsLink(pid_t pid, const std::string& ns) {
  char buf[128];
  const std::string path = absl::StrCat("/proc/", pid, "/ns/", ns);
  const ssize_t n = readlink(path.c_str(), buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, n) : "";
}

// Runs `script` joined into `target` (through the exec stub `stub_fd`
// unless -1), stdout and stderr captured.
absl::StatusOr<RunResult> RunJoined(const shim::Jail& target, int stub_fd,
                                    shim::JailSpec process) {
  process.exec_stub_fd = stub_fd;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError("pipe2");
  base::ScopedFd read_end(fds[0]);
  base::ScopedFd write_end(fds[1]);
  process.stdout_fd = write_end.get();
  process.stderr_fd = write_end.get();
  shim::JoinSpec spec;
  spec.pid = target.pid();
  spec.pidfd = target.pidfd();
  spec.process = std::move(process);
  absl::StatusOr<shim::Jail> joined = shim::JoinContainer(spec);
  if (!joined.ok()) return joined.status();
  write_end.reset();
  RunResult result;
  result.out = ReadToEof(read_end.get());
  absl::StatusOr<shim::ExitStatus> status = joined->Wait();
  if (!status.ok()) return status.status();
  result.status = *status;
  return result;
}

shim::JailSpec Shell(const std::string& script) {
  shim::JailSpec p;
  p.argv = {"sh", "-c", script};
  p.env = {"PATH=/bin:/sbin", "HOME=/root"};
  return p;
}

// The parameter: through the exec stub.
class JoinTest : public JailTest, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    JailTest::SetUp();
    if (HasFatalFailure() || !GetParam()) return;
    absl::StatusOr<base::ScopedFd> stub = shim::MakeExecStub();
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = *std::move(stub);
  }

  // A jail that sleeps until TearDown kills it.
  void StartTarget() {
    absl::StatusOr<shim::Jail> jail = shim::Jail::Start(
        ShellSpec("echo x > /tmp/marker; exec sleep 1000"), nullptr);
    ASSERT_TRUE(jail.ok()) << jail.status();
    target_.emplace(std::move(*jail));
    // The marker is the target's first act, asynchronous to us: tests that
    // look for it must not race it.
    const std::string marker =
        absl::StrCat("/proc/", target_->pid(), "/root/tmp/marker");
    for (int i = 0; i < 10000 && access(marker.c_str(), F_OK) != 0; ++i) {
      usleep(1000);
    }
    ASSERT_EQ(access(marker.c_str(), F_OK), 0) << marker;
  }
  void TearDown() override {
    if (target_) {
      EXPECT_TRUE(target_->Kill(SIGKILL).ok());
      EXPECT_TRUE(target_->Wait().ok());
    }
    stub_.reset();
    JailTest::TearDown();
  }
  std::optional<shim::Jail> target_;
  base::ScopedFd stub_;
};

TEST_P(JoinTest, JoinsEveryNamespaceOfTheTarget) {
  StartTarget();
  absl::StatusOr<RunResult> r = RunJoined(
      *target_, stub_.get(),
      Shell("for n in mnt pid uts ipc net; do readlink /proc/self/ns/$n; "
            "done; ls /bin/busybox"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  std::vector<std::string> lines =
      absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u) << r->out;
  const char* names[] = {"mnt", "pid", "uts", "ipc", "net"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(lines[i], NsLink(target_->pid(), names[i])) << names[i];
    EXPECT_NE(lines[i], NsLink(getpid(), names[i])) << names[i];
  }
  EXPECT_EQ(lines[5], "/bin/busybox");
}

TEST_P(JoinTest, ExitStatusAndSignal) {
  StartTarget();
  absl::StatusOr<RunResult> r =
      RunJoined(*target_, stub_.get(), Shell("exit 7"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.ToShellStatus(), 7);
  r = RunJoined(*target_, stub_.get(), Shell("kill -TERM $$"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.ToShellStatus(), 128 + SIGTERM);
}

TEST_P(JoinTest, AttributesCwdAndNoRuntimeFds) {
  StartTarget();
  shim::JailSpec p = Shell(
      "id -u; id -g; pwd; ls /proc/self/fd | tr '\\n' ' '; echo; "
      "grep NoNewPrivs /proc/self/status");
  p.uid = 1000;
  p.gid = 1001;
  p.cwd = "/tmp";
  p.no_new_privs = true;
  absl::StatusOr<RunResult> r = RunJoined(*target_, stub_.get(), p);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  std::vector<std::string> lines = absl::StrSplit(r->out, '\n');
  ASSERT_GE(lines.size(), 5u) << r->out;
  EXPECT_EQ(lines[0], "1000");
  EXPECT_EQ(lines[1], "1001");
  EXPECT_EQ(lines[2], "/tmp");
  // ls's own directory fd is the only one past stdio.
  EXPECT_EQ(lines[3], "0 1 2 3 ") << r->out;
  EXPECT_TRUE(absl::StrContains(lines[4], "1")) << lines[4];
}

TEST_P(JoinTest, CwdCannotLeaveTheContainerRoot) {
  StartTarget();
  shim::JailSpec p = Shell("pwd; ls /tmp/marker");
  p.cwd = "/../../../tmp";
  absl::StatusOr<RunResult> r = RunJoined(*target_, stub_.get(), p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "/tmp\n/tmp/marker\n");
}

TEST_P(JoinTest, MissingProgramFailsJoin) {
  StartTarget();
  shim::JailSpec p;
  p.argv = {"/no/such/program"};
  absl::StatusOr<RunResult> r = RunJoined(*target_, stub_.get(), p);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(), "/no/such/program"))
      << r.status();
}

TEST_P(JoinTest, RefusesWhatOnlyANewContainerHas) {
  StartTarget();
  shim::JailSpec p = Shell("true");
  p.hostname = "x";
  absl::StatusOr<RunResult> r = RunJoined(*target_, stub_.get(), p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "join: host name or sysctls: only a new container has them");
}

// The container's view of a host pid: the last NSpid of its status.
std::string NsPid(pid_t pid) {
  char buf[4096] = {};
  const int fd = open(absl::StrCat("/proc/", pid, "/status").c_str(),
                      O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  const ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(buf, n > 0 ? n : 0), '\n')) {
    if (!absl::ConsumePrefix(&line, "NSpid:")) continue;
    std::vector<absl::string_view> pids =
        absl::StrSplit(line, '\t', absl::SkipEmpty());
    return pids.empty() ? "" : std::string(pids.back());
  }
  return "";
}

// From clone to execve the process is not dumpable, so the container's
// root, with every capability in the container's user namespace, can
// neither ptrace it nor read its /proc/<pid>/exe (the runtime's binary)
// while it waits at kCloned in the container's namespaces; it can for the
// container's own processes.
TEST_P(JoinTest, NotDumpableBeforeExecve) {
  shim::JailSpec target = ShellSpec("exec sleep 1000");
  AddUserNamespace(&target, 100000, 100000);
  ASSERT_EQ(chown(rootfs().c_str(), 100000, 100000), 0);
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(target, nullptr);
  ASSERT_TRUE(jail.ok()) << jail.status();
  target_.emplace(std::move(*jail));

  std::string probe_out;
  std::string expected;
  shim::JoinSpec spec;
  spec.pid = target_->pid();
  spec.pidfd = target_->pidfd();
  spec.process = Shell("true");
  spec.process.exec_stub_fd = stub_.get();
  absl::StatusOr<shim::Jail> joined = shim::JoinContainer(
      spec, [&](shim::SyncPoint point, pid_t pid) -> absl::Status {
        if (point != shim::SyncPoint::kCloned) return absl::OkStatus();
        if (GetParam()) {
          // Outside the container's pid namespace: nothing there can name
          // it (the stub forks the program in at the end).
          expected = "outside";
          probe_out =
              NsLink(pid, "pid") == NsLink(getpid(), "pid") &&
                      NsLink(pid, "mnt") == NsLink(target_->pid(), "mnt")
                  ? "outside"
                  : "inside";
          return absl::OkStatus();
        }
        const std::string ns_pid = NsPid(pid);
        EXPECT_NE(ns_pid, "");
        expected = absl::StrCat("/bin/busybox\n/proc/", ns_pid, "\nrefused\n");
        absl::StatusOr<RunResult> probe = RunJoined(
            *target_, -1,
            Shell(absl::StrCat("readlink /proc/1/exe; cd /proc/", ns_pid,
                               " && pwd && (readlink exe || echo refused)")));
        EXPECT_TRUE(probe.ok()) << probe.status();
        if (probe.ok()) probe_out = probe->out;
        return absl::OkStatus();
      });
  ASSERT_TRUE(joined.ok()) << joined.status();
  ASSERT_TRUE(joined->Wait().ok());
  EXPECT_EQ(probe_out, expected);
}

// The process the caller gets is the program's, wherever it was forked.
TEST_P(JoinTest, PidIsTheProgramsAndItsParentIsUs) {
  StartTarget();
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  base::ScopedFd read_end(fds[0]), write_end(fds[1]);
  shim::JoinSpec spec;
  spec.pid = target_->pid();
  spec.pidfd = target_->pidfd();
  spec.process = Shell("echo $$; exec sleep 1000");
  spec.process.stdout_fd = write_end.get();
  spec.process.exec_stub_fd = stub_.get();
  absl::StatusOr<shim::Jail> joined = shim::JoinContainer(spec);
  ASSERT_TRUE(joined.ok()) << joined.status();
  write_end.reset();
  char buf[32] = {};
  ASSERT_GT(read(read_end.get(), buf, sizeof(buf) - 1), 0);
  EXPECT_EQ(absl::StrCat(NsPid(joined->pid()), "\n"), buf);
  EXPECT_EQ(NsLink(joined->pid(), "pid"), NsLink(target_->pid(), "pid"));
  std::string stat;
  {
    char sbuf[512] = {};
    const int fd = open(absl::StrCat("/proc/", joined->pid(), "/stat").c_str(),
                        O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_GT(read(fd, sbuf, sizeof(sbuf) - 1), 0);
    close(fd);
    stat = sbuf;
  }
  // Field 4, after the ")" of the name: the parent.
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(stat.rfind(')') + 2), ' ');
  ASSERT_GT(fields.size(), 2u);
  EXPECT_EQ(fields[1], absl::StrCat(getpid()));
  ASSERT_TRUE(joined->Kill(SIGKILL).ok());
  absl::StatusOr<shim::ExitStatus> status = joined->Wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->ToShellStatus(), 128 + SIGKILL);
}

// A failed execve after the stub's fork is the exec's error, and the fork
// is reaped with it (the fixture's leak check looks for its process).
TEST_P(JoinTest, ExecFailureAfterTheForkLeavesNothing) {
  ASSERT_EQ(
      system(absl::StrCat("cp /bin/true ", rootfs(), "/dyn_true").c_str()), 0);
  StartTarget();
  // Orphans of earlier tests (the fixture is a subreaper) are not ours.
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  shim::JailSpec p;
  p.argv = {"/dyn_true"};  // its ELF interpreter is not in the busybox root
  absl::StatusOr<RunResult> r = RunJoined(*target_, stub_.get(), p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "jail: exec (/dyn_true): execve: No such file or directory");
  // Children left: the target only, still running (no zombie to reap).
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), 0);
}

TEST_P(JoinTest, GoneTargetIsRefused) {
  StartTarget();
  ASSERT_TRUE(target_->Kill(SIGKILL).ok());
  ASSERT_TRUE(target_->Wait().ok());
  absl::StatusOr<RunResult> r = RunJoined(*target_, stub_.get(), Shell("true"));
  target_.reset();
  ASSERT_FALSE(r.ok());
}

INSTANTIATE_TEST_SUITE_P(Join, JoinTest, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "ThroughStub" : "Direct";
                         });

}  // namespace
}  // namespace shimtest
