#include "minijail-shim/base/small_files.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/dir_entries.h"
#include "tests/testing/temp_dir.h"

namespace base {
namespace {

using ::testing::ElementsAre;

class SmallFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("small");
    ASSERT_TRUE(temp.ok());
    temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
  }

  std::vector<std::string> Entries() const {
    return ocitest::SortedDirEntries(temp_->path());
  }

  std::unique_ptr<ocitest::TempDir> temp_;
};

TEST_F(SmallFilesTest, ReadsARegularFile) {
  std::string path = temp_->Sub("f");
  ASSERT_TRUE(ocitest::WriteFile(path, "hello").ok());
  EXPECT_EQ(ReadRegularFile(path, {100, false}).value_or(""), "hello");
  ASSERT_TRUE(ocitest::WriteFile(path, "").ok());
  absl::StatusOr<std::string> empty = ReadRegularFile(path, {100, false});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, "");
}

// A sysctl file says st_size 0 and answers only a read at offset 0: the
// whole value must come back from the first read.
TEST_F(SmallFilesTest, ReadsASysctlWhole) {
  absl::StatusOr<std::string> text =
      ReadWholeFile("/proc/sys/kernel/cap_last_cap");
  ASSERT_TRUE(text.ok()) << text.status();
  int last = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*text, &last)) << *text;
  // CAP_AUDIT_READ (37) exists on every kernel this project supports.
  EXPECT_GE(last, 37);
  EXPECT_EQ(text->back(), '\n');
}

TEST_F(SmallFilesTest, ErrorsNameTheFile) {
  std::string path = temp_->Sub("f");
  absl::StatusOr<std::string> missing = ReadRegularFile(path, {100, false});
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(missing.status().message(), path + ": No such file or directory");

  ASSERT_TRUE(ocitest::WriteFile(path, std::string(101, 'x')).ok());
  EXPECT_EQ(ReadRegularFile(path, {100, false}).status().message(),
            path + ": larger than 100 bytes (101)");

  std::string fifo = temp_->Sub("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Opened O_NONBLOCK: no writer is waited for.
  EXPECT_EQ(ReadRegularFile(fifo, {100, true}).status().message(),
            fifo + ": not a regular file (a FIFO)");
  EXPECT_EQ(ReadRegularFile("/dev/zero", {100, true}).status().message(),
            "/dev/zero: not a regular file (a character device)");
  EXPECT_EQ(ReadRegularFile(temp_->path(), {100, true}).status().message(),
            temp_->path() + ": not a regular file (a directory)");
}

TEST_F(SmallFilesTest, SymlinksOnlyWhenAsked) {
  std::string target = temp_->Sub("target");
  ASSERT_TRUE(ocitest::WriteFile(target, "t").ok());
  std::string link = temp_->Sub("link");
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  EXPECT_EQ(ReadRegularFile(link, {100, true}).value_or(""), "t");
  EXPECT_EQ(ReadRegularFile(link, {100, false}).status().message(),
            link + ": a symbolic link, not a regular file");
  std::string to_zero = temp_->Sub("zero");
  ASSERT_EQ(symlink("/dev/zero", to_zero.c_str()), 0);
  EXPECT_EQ(ReadRegularFile(to_zero, {100, true}).status().message(),
            to_zero + ": not a regular file (a character device)");
}

TEST_F(SmallFilesTest, AtomicWriteReplacesASymlinkInsteadOfFollowingIt) {
  std::string canary = temp_->Sub("canary");
  ASSERT_TRUE(ocitest::WriteFile(canary, "precious").ok());
  std::string pid_file = temp_->Sub("pid");
  ASSERT_EQ(symlink(canary.c_str(), pid_file.c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(pid_file, "123").ok());
  EXPECT_EQ(ocitest::ReadFile(canary).value_or(""), "precious");
  struct stat st;
  ASSERT_EQ(lstat(pid_file.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(ocitest::ReadFile(pid_file).value_or(""), "123");
  // No temporary is left.
  EXPECT_THAT(Entries(), ElementsAre("canary", "pid"));
}

TEST_F(SmallFilesTest, AtomicWriteErrorsLeaveNoTemporary) {
  std::string dir = temp_->Sub("d");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  absl::Status status = WriteFileAtomically(dir, "x");  // a directory
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), ::testing::StartsWith("rename "));
  EXPECT_THAT(Entries(), ElementsAre("d"));
  status = WriteFileAtomically(temp_->Sub("missing/f"), "x");
  EXPECT_THAT(std::string(status.message()),
              ::testing::StartsWith("open " + temp_->Sub("missing/.f.")));
}

}  // namespace
}  // namespace base
