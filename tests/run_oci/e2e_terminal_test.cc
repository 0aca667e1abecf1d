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

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;

constexpr int kTimeoutMs = 10000;

class TerminalTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    socket_path_ = temp_->Sub("console.sock");
    listener_.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(listener_);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(socket_path_.size(), sizeof(addr.sun_path));
    memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
    ASSERT_EQ(
        bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
        0);
    ASSERT_EQ(listen(listener_.get(), 1), 0);
  }

  // Accepts the runtime's connection and takes the fd it sends; `name`
  // gets the message that came with it.
  base::ScopedFd ReceiveMaster(std::string* name) {
    struct pollfd pfd = {listener_.get(), POLLIN, 0};
    if (poll(&pfd, 1, kTimeoutMs) != 1) return base::ScopedFd();
    base::ScopedFd conn(
        accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn) return base::ScopedFd();
    char buffer[64] = {};
    struct iovec iov = {buffer, sizeof(buffer) - 1};
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    struct msghdr msg = {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC);
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    if (n <= 0 || cmsg == nullptr || cmsg->cmsg_type != SCM_RIGHTS) {
      return base::ScopedFd();
    }
    *name = std::string(buffer, static_cast<size_t>(n));
    int fd = -1;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
    return base::ScopedFd(fd);
  }

  // Everything the program writes to its terminal, until it is closed.
  static std::string ReadUntilHangup(int master) {
    std::string out;
    char buffer[256];
    for (;;) {
      struct pollfd pfd = {master, POLLIN, 0};
      if (poll(&pfd, 1, kTimeoutMs) != 1) break;
      ssize_t n = read(master, buffer, sizeof(buffer));
      if (n <= 0) break;  // EIO once the last slave fd is closed
      out.append(buffer, static_cast<size_t>(n));
    }
    return out;
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
