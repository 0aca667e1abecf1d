// The image's /etc/passwd as a trap (issue 9, item 7). With no HOME in the
// env, run_oci looks the user's home up in the image's /etc/passwd on the
// host, before clone, as full root and outside the container's devices
// cgroup. A FIFO there used to hang `run` in open(2) (and SIGTERM was not
// honoured), a device node had its driver opened on the host, and a huge
// file was read whole. Each must give HOME=/ at once, and a real passwd
// file the real home.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

class PasswdTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    // The fixture's env has PATH only, so run_oci must find HOME itself.
    WriteConfig({"sh", "-c", "echo \"HOME=$HOME\""});
    passwd_ = Rootfs() + "/etc/passwd";
    ASSERT_EQ(unlink(passwd_.c_str()), 0);
  }

  // `run` ends by itself, succeeds, and the program saw `home`.
  void ExpectHome(const std::string& home) {
    ocitest::CommandResult r = RunOci({"run", "c1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "HOME=" + home + "\n");
    EXPECT_EQ(StateRootEntries(), std::vector<std::string>{});
  }

  std::string passwd_;
};

TEST_F(PasswdTest, RegularFileGivesTheHome) {
  ASSERT_TRUE(
      ocitest::WriteFile(passwd_, "root:x:0:0:root:/srv/home:/bin/sh\n").ok());
  ExpectHome("/srv/home");
}

TEST_F(PasswdTest, FifoDoesNotHangRun) {
  ASSERT_EQ(mkfifo(passwd_.c_str(), 0644), 0);
  ExpectHome("/");
  // Nothing opened it for writing or reading; it is still a FIFO.
  struct stat st;
  ASSERT_EQ(lstat(passwd_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(PasswdTest, SymlinkToDevZeroIsNotRead) {
  // /dev/zero of the image (the link resolves inside the rootfs), a node
  // the test made: 1:5.
  ASSERT_EQ(
      mknod((Rootfs() + "/dev/zero").c_str(), S_IFCHR | 0666, makedev(1, 5)),
      0);
  ASSERT_EQ(symlink("/dev/zero", passwd_.c_str()), 0);
  ExpectHome("/");
  ASSERT_EQ(unlink((Rootfs() + "/dev/zero").c_str()), 0);
}

TEST_F(PasswdTest, CharDeviceNodeIsNotOpened) {
  ASSERT_EQ(mknod(passwd_.c_str(), S_IFCHR | 0644, makedev(1, 5)), 0);
  ExpectHome("/");
}

TEST_F(PasswdTest, BlockingCharDeviceNodeIsNotOpened) {
  // ptmx (5:2): open makes a pty pair whose master blocks a read forever.
  ASSERT_EQ(mknod(passwd_.c_str(), S_IFCHR | 0644, makedev(5, 2)), 0);
  ExpectHome("/");
}

TEST_F(PasswdTest, HugeFileIsNotRead) {
  ASSERT_TRUE(
      ocitest::WriteFile(passwd_, "root:x:0:0:root:/srv/home:/bin/sh\n").ok());
  // 1 TiB, sparse: the entry is there, but the file is past any sane size.
  ASSERT_EQ(truncate(passwd_.c_str(), 1LL << 40), 0);
  ExpectHome("/");
}

}  // namespace
}  // namespace run_oci_test
