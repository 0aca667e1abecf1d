// CVE-2025-52565 shape: process.terminal with --console-socket, and /dev
// bound from a directory of the image whose `console`, `ptmx` and `pts`
// are symlinks to canaries on the host. A runtime that opens /dev/ptmx or
// binds the terminal onto /dev/console by path follows them. run_oci takes
// the master from the devpts at /dev/pts only (reached without symlinks,
// checked to be devpts, its ptmx checked to be 5:2) and never touches
// /dev/console: either the start is refused or the terminal works, and the
// canaries are neither mounted on nor written.
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/console_socket.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

constexpr int kTimeoutMs = 10000;

class ConsoleSymlinkTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    canary_file_ = temp_->Sub("canary_file");
    canary_dir_ = temp_->Sub("canary_dir");
    ASSERT_TRUE(ocitest::WriteFile(canary_file_, "canary").ok());
    ASSERT_EQ(mkdir(canary_dir_.c_str(), 0755), 0);
    image_dev_ = Rootfs() + "/imgdev";
    ASSERT_EQ(mkdir(image_dev_.c_str(), 0755), 0);
    for (const char* name : {"console", "ptmx", "tty"}) {
      ASSERT_EQ(symlink(canary_file_.c_str(),
                        absl::StrCat(image_dev_, "/", name).c_str()),
                0);
    }
    socket_path_ = temp_->Sub("console.sock");
    auto listener = ocitest::ListenConsoleSocket(socket_path_);
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
  }

  void TearDown() override {
    // The canaries are as the test made them.
    EXPECT_EQ(ocitest::ReadFile(canary_file_).value_or(""), "canary");
    EXPECT_EQ(ocitest::ReadFile("/proc/self/mountinfo")
                  .value_or("")
                  .find(temp_->path()),
              std::string::npos);
    std::error_code error;
    EXPECT_TRUE(std::filesystem::is_empty(canary_dir_, error)) << error;
    RunOciE2eTest::TearDown();
  }

  // /dev is a bind of the image's directory; with `devpts`, a devpts
  // mount at /dev/pts follows (runc's default spec has one).
  void WriteTerminalConfig(const std::string& script, bool devpts) {
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"terminal":true,"args":["sh","-c",)", JsonString(script),
        R"(],"cwd":"/","env":["PATH=/bin:/sbin"],"user":{"uid":0,"gid":0}},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"},)",
        R"({"destination":"/dev","type":"bind","source":)",
        JsonString(image_dev_), R"(,"options":["rbind"]})",
        devpts ? R"(,{"destination":"/dev/pts","type":"devpts",)"
                 R"("source":"devpts","options":["newinstance",)"
                 R"("ptmxmode=0666","mode=0620"]})"
               : "",
        R"(],"linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
        R"({"type":"uts"},{"type":"ipc"}]}})");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  base::ScopedFd ReceiveMaster() {
    return ocitest::ReceiveConsoleMaster(listener_.get(), kTimeoutMs);
  }
  static std::string ReadUntilHangup(int master) {
    return ocitest::ReadUntilHangup(master, kTimeoutMs);
  }

  std::string canary_file_;
  std::string canary_dir_;
  std::string image_dev_;
  std::string socket_path_;
  base::ScopedFd listener_;
};

// pts is a real directory with the config's devpts on it: the terminal
// works, although console, ptmx and tty point at the canary.
TEST_F(ConsoleSymlinkTest, LinkedConsoleAndPtmxAreNeverUsed) {
  ASSERT_EQ(mkdir((image_dev_ + "/pts").c_str(), 0755), 0);
  WriteTerminalConfig(
      "tty; awk '$5 ~ /^\\/dev\\// {print $5}' /proc/self/mountinfo; "
      "echo done",
      /*devpts=*/true);
  Background bg = StartRunOci({"run", "--console-socket", socket_path_, "c1"});
  base::ScopedFd master = ReceiveMaster();
  ASSERT_TRUE(master) << ocitest::ReadFile(bg.out_path).value_or("");
  const std::string out = ReadUntilHangup(master.get());
  EXPECT_EQ(WaitRunOci(bg), 0) << ocitest::ReadFile(bg.out_path).value_or("");
  // Only /dev/pts is mounted below /dev; /dev/console is not.
  EXPECT_EQ(out, "/dev/pts/0\r\n/dev/pts\r\ndone\r\n");
}

// pts itself is a link to the canary directory. Resolved inside the root
// the link dangles, so the config's devpts mount fails on it; without that
// mount the console refuses the link.
TEST_F(ConsoleSymlinkTest, LinkedPtsIsRefused) {
  ASSERT_EQ(symlink(canary_dir_.c_str(), (image_dev_ + "/pts").c_str()), 0);
  WriteTerminalConfig("echo ran", /*devpts=*/true);
  ExpectError({"run", "--console-socket", socket_path_, "c1"},
              "jail: mounts[2] (/dev/pts): mkdir: File exists");
  WriteTerminalConfig("echo ran", /*devpts=*/false);
  ExpectError({"run", "--console-socket", socket_path_, "c1"},
              "jail: console: /dev/pts is or crosses a symlink");
}

// The same link, with the canary's path also inside the rootfs: the devpts
// mount lands there, inside the root, and the console still refuses the
// link.
TEST_F(ConsoleSymlinkTest, LinkedPtsResolvedInTheRootIsRefused) {
  ASSERT_EQ(symlink(canary_dir_.c_str(), (image_dev_ + "/pts").c_str()), 0);
  std::error_code error;
  ASSERT_TRUE(
      std::filesystem::create_directories(Rootfs() + canary_dir_, error))
      << error;
  WriteTerminalConfig("echo ran", /*devpts=*/true);
  ExpectError({"run", "--console-socket", socket_path_, "c1"},
              "jail: console: /dev/pts is or crosses a symlink");
}

TEST_F(ConsoleSymlinkTest, PtsThatIsNoDevptsIsRefused) {
  ASSERT_EQ(mkdir((image_dev_ + "/pts").c_str(), 0755), 0);
  ASSERT_EQ(symlink(canary_file_.c_str(), (image_dev_ + "/pts/ptmx").c_str()),
            0);
  WriteTerminalConfig("echo ran", /*devpts=*/false);
  ExpectError({"run", "--console-socket", socket_path_, "c1"},
              "jail: console: /dev/pts is not a devpts mount");
}

}  // namespace
}  // namespace run_oci_test
