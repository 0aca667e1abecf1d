// The sealed views of the running binary (CVE-2019-5736), taken of this
// test binary: same bytes, no way to write them, nothing mounted anywhere.
#include "minijail-shim/sealed_exe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace {

std::string FdPath(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

std::string Contents(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  off_t offset = 0;
  while ((n = pread(fd, buf, sizeof(buf), offset)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    offset += n;
  }
  return out;
}

// Every way to write through the view fails, by open or by write.
void ExpectUnwritable(const shim::SealedExe& exe) {
  for (int flags : {O_WRONLY, O_RDWR, O_WRONLY | O_APPEND}) {
    int fd = open(FdPath(exe.fd.get()).c_str(), flags | O_CLOEXEC);
    if (fd >= 0) {
      EXPECT_EQ(pwrite(fd, "x", 1, 0), -1) << flags;
      close(fd);
    }
  }
  EXPECT_NE(truncate(FdPath(exe.fd.get()).c_str(), 0), 0);
}

void ExpectSameBytesAsSelf(const shim::SealedExe& exe) {
  int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(self, 0);
  const std::string expected = Contents(self);
  close(self);
  ASSERT_GT(expected.size(), 4u);
  EXPECT_TRUE(Contents(exe.fd.get()) == expected);
}

int CountMountsOf(const std::string& fs_type) {
  absl::StatusOr<std::string> info = ocitest::ReadFile("/proc/self/mountinfo");
  if (!info.ok()) return -1;
  int count = 0;
  size_t at = 0;
  const std::string needle = absl::StrCat(" - ", fs_type, " ");
  while ((at = info->find(needle, at)) != std::string::npos) {
    ++count;
    at += needle.size();
  }
  return count;
}

TEST(SealedExeTest, OverlayViewIsTheBinaryReadOnlyAndMountedNowhere) {
  const int overlays_before = CountMountsOf("overlay");
  absl::StatusOr<shim::SealedExe> exe =
      shim::SealSelfExe(shim::SealMethod::kOverlay);
  ASSERT_TRUE(exe.ok()) << exe.status();
  EXPECT_EQ(exe->kind, shim::SealedExeKind::kOverlay);
  ExpectSameBytesAsSelf(*exe);
  int fd = open(FdPath(exe->fd.get()).c_str(), O_WRONLY | O_CLOEXEC);
  EXPECT_EQ(fd, -1);
  EXPECT_EQ(errno, EROFS);
  ExpectUnwritable(*exe);
  // Not even its metadata (a memfd's mode is not sealed, but its bytes are).
  EXPECT_NE(fchmod(exe->fd.get(), 0777), 0);
  EXPECT_EQ(CountMountsOf("overlay"), overlays_before);
}

TEST(SealedExeTest, MemfdViewIsASealedCopy) {
  absl::StatusOr<shim::SealedExe> exe =
      shim::SealSelfExe(shim::SealMethod::kMemfd);
  ASSERT_TRUE(exe.ok()) << exe.status();
  EXPECT_EQ(exe->kind, shim::SealedExeKind::kMemfd);
  ExpectSameBytesAsSelf(*exe);
  const int seals = fcntl(exe->fd.get(), F_GET_SEALS);
  EXPECT_EQ(seals & (F_SEAL_SEAL | F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK),
            F_SEAL_SEAL | F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK);
  // The fd handed to execveat is a read-only one.
  EXPECT_EQ(fcntl(exe->fd.get(), F_GETFL) & O_ACCMODE, O_RDONLY);
  ExpectUnwritable(*exe);
}

TEST(SealedExeTest, AutoPrefersTheOverlay) {
  absl::StatusOr<shim::SealedExe> exe =
      shim::SealSelfExe(shim::SealMethod::kAuto);
  ASSERT_TRUE(exe.ok()) << exe.status();
  EXPECT_EQ(exe->kind, shim::SealedExeKind::kOverlay);
}

TEST(SealedExeTest, TheTestBinaryItselfIsNotSealed) {
  absl::StatusOr<bool> sealed = shim::SelfExeIsSealed();
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_FALSE(*sealed);
}

}  // namespace
