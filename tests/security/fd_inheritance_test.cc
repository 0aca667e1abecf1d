// Issue 9 item 13 and CVE-2024-21626: what a container's processes hold,
// seen from outside through /proc/<pid>/fd. The waiting process between
// `create` and `start` (the runtime's own binary, still before execve) may
// hold stdio, the start socket it waits on and its sync socket to the runtime
// (whose other end is closed once create returns); the init of
// --dont_run_as_init and the program under it only stdio. Nothing of
// run_oci's (state directory, lock, cgroup directories, logs) may remain.
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/command.h"
#include "tests/testing/proc_fds.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ocitest::FdsOf;
using ocitest::WaitUntilBlockedIn;

std::string Describe(const std::map<int, std::string>& fds) {
  std::vector<std::string> parts;
  for (const auto& [fd, target] : fds) {
    parts.push_back(absl::StrCat(fd, " -> ", target));
  }
  return absl::StrJoin(parts, ", ");
}

pid_t ReadPid(const std::string& path) {
  int pid = -1;
  absl::StatusOr<std::string> text = ocitest::ReadFile(path);
  if (!text.ok() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &pid)) {
    return -1;
  }
  return pid;
}

pid_t OnlyChildOf(pid_t pid) {
  absl::StatusOr<std::string> text = ocitest::ReadFile(
      absl::StrCat("/proc/", pid, "/task/", pid, "/children"));
  int child = -1;
  if (!text.ok() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &child)) {
    return -1;
  }
  return child;
}

void ExpectOnlyStdio(pid_t pid, const std::string& who) {
  const std::map<int, std::string> fds = FdsOf(pid);
  EXPECT_EQ(fds.size(), 3u) << who << ": " << Describe(fds);
  for (int fd : {0, 1, 2}) {
    EXPECT_EQ(fds.count(fd), 1u) << who << ": " << Describe(fds);
  }
}

class FdInheritanceTest : public RunOciE2eTest {};

TEST_F(FdInheritanceTest, WaitingProcessHoldsStdioStartAndSyncSockets) {
  WriteConfig({"sleep", "1000"});
  const std::string pid_file = temp_->Sub("pid");
  ocitest::CommandResult r = RunOci({"create", "--pid-file", pid_file, "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const pid_t pid = ReadPid(pid_file);
  ASSERT_GT(pid, 0);
  // Waiting: blocked in accept4(2) on the start socket.
  ASSERT_TRUE(WaitUntilBlockedIn(pid, SYS_accept4));
  const std::map<int, std::string> fds = FdsOf(pid);
  const std::string all = Describe(fds);
  // Stdio, the listening start socket and the sync socket; nothing else.
  EXPECT_EQ(fds.size(), 5u) << all;
  for (int fd : {0, 1, 2}) EXPECT_EQ(fds.count(fd), 1u) << all;
  int sockets = 0;
  for (const auto& [fd, target] : fds) {
    if (fd <= 2) continue;
    if (absl::StartsWith(target, "socket:[")) {
      ++sockets;
    } else {
      ADD_FAILURE() << "unexpected fd " << fd << " -> " << target;
    }
  }
  EXPECT_EQ(sockets, 2) << all;
  EXPECT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
  EXPECT_TRUE(StateRootEntries().empty());
}

TEST_F(FdInheritanceTest, DontRunAsInitInitAndProgramHoldOnlyStdio) {
  WriteConfig({"sleep", "1000"});
  const std::string pid_file = temp_->Sub("pid");
  ocitest::CommandResult r =
      RunOci({"create", "--dont_run_as_init", "--pid-file", pid_file, "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const pid_t init = ReadPid(pid_file);
  ASSERT_GT(init, 0);
  r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The init sits in sigwaitinfo once everything before its loop is done;
  // the program (its only child) shows its own argv once it has exec'd.
  ASSERT_TRUE(WaitUntilBlockedIn(init, SYS_rt_sigtimedwait));
  const pid_t program = OnlyChildOf(init);
  ASSERT_GT(program, 0);
  bool execed = false;
  for (int i = 0; i < 1000 && !execed; ++i) {
    execed = absl::StartsWith(
        ocitest::ReadFile(absl::StrCat("/proc/", program, "/cmdline"))
            .value_or(""),
        std::string("sleep\0", 6));
    if (!execed) absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(execed);
  ExpectOnlyStdio(init, "the init");
  ExpectOnlyStdio(program, "the program");
  EXPECT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
  EXPECT_TRUE(StateRootEntries().empty());
}

TEST_F(FdInheritanceTest, ProgramOfRunHoldsOnlyStdio) {
  WriteConfig({"sh", "-c", "exec ls /proc/self/fd"});
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", "c1"},
        std::vector<std::string>{"run", "--dont_run_as_init", "c1"}}) {
    ocitest::CommandResult r = RunOci(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // ls's own directory fd is 3.
    EXPECT_EQ(r.out, "0\n1\n2\n3\n") << args[1];
  }
  EXPECT_TRUE(StateRootEntries().empty());
}

}  // namespace
}  // namespace run_oci_test
