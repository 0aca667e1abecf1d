// HomeFromPasswd reads the image's /etc/passwd on the host, as root, before
// clone. A FIFO or device node in its place must not be opened (a FIFO
// blocks open forever; a device's open runs its driver outside the
// container's devices cgroup), and a huge file must not be read whole.
#include "minijail-shim/passwd_home.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace {

class PasswdHomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ocitest::TempDir> dir = ocitest::TempDir::Create("passwd");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<ocitest::TempDir>(*std::move(dir));
    ASSERT_EQ(mkdir(Path("etc").c_str(), 0755), 0);
    ASSERT_EQ(mkdir(Path("dev").c_str(), 0755), 0);
  }

  std::string Root() const { return dir_->path(); }
  std::string Path(const std::string& rel) const { return dir_->Sub(rel); }
  std::string Passwd() const { return Path("etc/passwd"); }

  std::unique_ptr<ocitest::TempDir> dir_;
};

constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "nohome:x:7:7:no home::/bin/sh\n"
    "app:x:1000:1000:app:/home/app:/bin/sh\n"
    "dup:x:1000:1000:second entry:/home/other:/bin/sh\n";

TEST_F(PasswdHomeTest, RegularFile) {
  ASSERT_TRUE(ocitest::WriteFile(Passwd(), kPasswd).ok());
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/root");
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 1000), "/home/app");  // first wins
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 7), "/");   // empty home field
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 42), "/");  // no entry
}

TEST_F(PasswdHomeTest, MissingFile) {
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
}

TEST_F(PasswdHomeTest, SymlinkToARegularFileInsideTheRoot) {
  ASSERT_TRUE(ocitest::WriteFile(Path("etc/passwd.real"), kPasswd).ok());
  ASSERT_EQ(symlink("passwd.real", Passwd().c_str()), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 1000), "/home/app");
}

TEST_F(PasswdHomeTest, AbsoluteSymlinkResolvesInsideTheRoot) {
  // "/image-passwd" is the rootfs' file, never a host path.
  ASSERT_TRUE(ocitest::WriteFile(Path("image-passwd"),
                                 "root:x:0:0::/image-root:/bin/sh\n")
                  .ok());
  ASSERT_EQ(symlink("/image-passwd", Passwd().c_str()), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/image-root");
}

TEST_F(PasswdHomeTest, FifoIsNotOpened) {
  ASSERT_EQ(mkfifo(Passwd().c_str(), 0644), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
}

TEST_F(PasswdHomeTest, CharDeviceIsNotOpened) {
  // 1:5 is /dev/zero: read whole it would never end.
  ASSERT_EQ(mknod(Passwd().c_str(), S_IFCHR | 0644, makedev(1, 5)), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
}

TEST_F(PasswdHomeTest, BlockingCharDeviceIsNotOpened) {
  // 5:2 is ptmx: opening it makes a pty pair whose master blocks on read.
  ASSERT_EQ(mknod(Passwd().c_str(), S_IFCHR | 0644, makedev(5, 2)), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
}

TEST_F(PasswdHomeTest, SymlinkToADeviceIsNotOpened) {
  ASSERT_EQ(mknod(Path("dev/zero").c_str(), S_IFCHR | 0644, makedev(1, 5)), 0);
  ASSERT_EQ(symlink("/dev/zero", Passwd().c_str()), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
}

TEST_F(PasswdHomeTest, DirectoryIsIgnored) {
  ASSERT_EQ(mkdir(Passwd().c_str(), 0755), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
}

TEST_F(PasswdHomeTest, FileOverTheLimitIsIgnored) {
  ASSERT_TRUE(ocitest::WriteFile(Passwd(), kPasswd).ok());
  // Sparse: the entry is at the start, but the file is too big to trust.
  ASSERT_EQ(truncate(Passwd().c_str(), 1LL << 40), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
  ASSERT_EQ(truncate(Passwd().c_str(), shim::kMaxPasswdBytes + 1), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/");
  ASSERT_EQ(truncate(Passwd().c_str(), shim::kMaxPasswdBytes), 0);
  EXPECT_EQ(shim::HomeFromPasswd(Root(), 0), "/root");
}

}  // namespace
