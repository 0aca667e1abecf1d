// process.terminal with --console-socket, the way container engines ask
// for a terminal: the master of the container's pseudo-terminal arrives on
// a unix socket, and the program runs with the slave as its terminal.
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/console_socket.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;

constexpr int kTimeoutMs = 10000;

class TerminalTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    socket_path_ = temp_->Sub("console.sock");
    auto listener = ocitest::ListenConsoleSocket(socket_path_);
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
  }

  base::ScopedFd ReceiveMaster(std::string* name) {
    return ocitest::ReceiveConsoleMaster(listener_.get(), kTimeoutMs, name);
  }
  static std::string ReadUntilHangup(int master) {
    return ocitest::ReadUntilHangup(master, kTimeoutMs);
  }

  std::string socket_path_;
  base::ScopedFd listener_;
};

TEST_F(TerminalTest, CreateSendsTheMasterAndStartRunsOnTheTerminal) {
  process_extra_ =
      R"(,"terminal":true,"consoleSize":{"height":33,"width":101})";
  WriteConfig(
      {"sh", "-c", "tty; stty size; [ -t 0 ] && [ -t 2 ] && echo all-ttys"});
  Background bg =
      StartRunOci({"create", "--console-socket", socket_path_, "c1"});
  std::string name;
  base::ScopedFd master = ReceiveMaster(&name);
  ASSERT_TRUE(master) << "no terminal arrived";
  EXPECT_EQ(name, "/dev/pts/0");
  ASSERT_EQ(WaitRunOci(bg), 0) << ocitest::ReadFile(bg.out_path).value_or("");
  ocitest::CommandResult started = RunOci({"start", "c1"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  const std::string out = ReadUntilHangup(master.get());
  EXPECT_THAT(out, HasSubstr("/dev/pts/0\r\n"));
  EXPECT_THAT(out, HasSubstr("33 101\r\n"));
  EXPECT_THAT(out, HasSubstr("all-ttys\r\n"));
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_EQ(RunOci({"destroy", "c1"}).exit_code, 0);
}

TEST_F(TerminalTest, RunWithAConsoleSocket) {
  process_extra_ = R"(,"terminal":true)";
  WriteConfig({"sh", "-c", "echo hello from a tty; exit 7"});
  Background bg = StartRunOci({"run", "--console-socket", socket_path_, "c1"});
  std::string name;
  base::ScopedFd master = ReceiveMaster(&name);
  ASSERT_TRUE(master) << "no terminal arrived";
  EXPECT_THAT(ReadUntilHangup(master.get()), HasSubstr("hello from a tty\r\n"));
  EXPECT_EQ(WaitRunOci(bg), 7);
  EXPECT_TRUE(StateRootEntries().empty());
}

TEST_F(TerminalTest, ConsoleSocketWithoutTerminalIsAnError) {
  WriteConfig({"true"});
  ExpectError({"create", "--console-socket", socket_path_, "c1"},
              absl::StrCat("--console-socket ", socket_path_,
                           ": config.json: process.terminal is not true, so "
                           "there is no terminal to send"));
}

TEST_F(TerminalTest, ConsoleSocketNobodyListensOnIsAnError) {
  process_extra_ = R"(,"terminal":true)";
  WriteConfig({"true"});
  const std::string missing = temp_->Sub("nobody.sock");
  ExpectError({"create", "--console-socket", missing, "c1"},
              absl::StrCat("--console-socket ", missing,
                           ": connect: No such file or directory"));
}

}  // namespace
}  // namespace run_oci_test
