// A hostile state record (issue 9 item 12): state.json used to be read with
// a recursive, unbounded reader, so a deeply nested file crashed `state`,
// `kill` and `destroy`, and one pointing at /dev/zero ate memory without
// bound. Each shape must now fail with one line naming the file, without a
// crash or a hang, and leave the container itself alone.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::IsEmpty;

class StateRecordTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    WriteConfig({"sleep", "1000"});
    ocitest::CommandResult r = RunOci({"create", "c1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    record_ = StateDir("c1") + "/state.json";
    absl::StatusOr<std::string> good = ocitest::ReadFile(record_);
    ASSERT_TRUE(good.ok());
    good_ = *good;
  }

  // Replaces state.json with what `plant` makes, runs every command that
  // reads the record, and puts the real record back.
  void ExpectEveryCommandRefuses(const std::function<void()>& plant,
                                 const std::string& message) {
    ASSERT_EQ(unlink(record_.c_str()), 0);
    plant();
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"state", "c1"},
                                               {"kill", "c1", "KILL"},
                                               {"destroy", "c1"},
                                               {"destroy", "--force", "c1"},
                                               {"start", "c1"}}) {
      SCOPED_TRACE(args[0]);
      Background bg = StartRunOci(args);
      // Not a crash (128+N), not a hang.
      EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(30)), 1);
      EXPECT_EQ(OutputOf(bg), absl::StrCat("run_oci: ", message, "\n"));
    }
    ASSERT_EQ(unlink(record_.c_str()), 0);
    ASSERT_TRUE(ocitest::WriteFile(record_, good_).ok());
    // The container was left alone.
    EXPECT_TRUE(WaitForStatus("c1", "created"));
  }

  void TearDown() override {
    if (!record_.empty()) {
      ocitest::CommandResult r = RunOci({"delete", "c1"});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_THAT(StateRootEntries(), IsEmpty());
    }
    RunOciE2eTest::TearDown();
  }

  std::string record_;
  std::string good_;
};

TEST_F(StateRecordTest, DeeplyNested) {
  ExpectEveryCommandRefuses(
      [&] {
        ASSERT_TRUE(
            ocitest::WriteFile(record_, std::string(1 << 20, '[')).ok());
      },
      record_ + ":1:65: Nesting deeper than 64 levels.");
  ExpectEveryCommandRefuses(
      [&] {
        ASSERT_TRUE(ocitest::WriteFile(
                        record_, absl::StrCat(R"({"id":"c1","annotations":)",
                                              std::string(100, '[')))
                        .ok());
      },
      record_ + ":1:89: Nesting deeper than 64 levels.");
}

TEST_F(StateRecordTest, SymlinkToDevZero) {
  ExpectEveryCommandRefuses(
      [&] { ASSERT_EQ(symlink("/dev/zero", record_.c_str()), 0); },
      record_ + ": a symbolic link, not a regular file");
}

TEST_F(StateRecordTest, Fifo) {
  ExpectEveryCommandRefuses(
      [&] { ASSERT_EQ(mkfifo(record_.c_str(), 0600), 0); },
      record_ + ": not a regular file (a FIFO)");
}

TEST_F(StateRecordTest, Huge) {
  // Sparse: 1 GiB that costs no disk.
  ExpectEveryCommandRefuses(
      [&] {
        int fd = open(record_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(ftruncate(fd, off_t{1} << 30), 0);
        close(fd);
      },
      record_ + ": larger than 16777216 bytes (1073741824)");
}

TEST_F(StateRecordTest, WrongTypes) {
  ExpectEveryCommandRefuses(
      [&] {
        ASSERT_TRUE(
            ocitest::WriteFile(record_, R"({"id":"c1","pid":"1"})").ok());
      },
      record_ + ": pid: expected a 32-bit signed integer, got \"1\"");
}

}  // namespace
}  // namespace run_oci_test
