// A planted symlink redirecting the pid file (issue 9 item 13): the pid
// file's temporary used to be <pid file>.tmp, opened without O_EXCL or
// O_NOFOLLOW, so whoever could write the pid file's directory could make
// run_oci (root) write through a symlink there into any file. Now the
// temporary has an unguessable name and is created O_EXCL|O_NOFOLLOW, and
// rename(2) replaces a symlink at the pid file instead of following it.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::IsEmpty;

class PidFileTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    WriteConfig({"sleep", "1000"});
    // A directory others may write, like /tmp.
    pids_ = temp_->Sub("pids");
    ASSERT_EQ(mkdir(pids_.c_str(), 0777), 0);
    ASSERT_EQ(chmod(pids_.c_str(), 01777), 0);
    canary_ = temp_->Sub("canary");
    ASSERT_TRUE(ocitest::WriteFile(canary_, "canary\n", 0600).ok());
  }

  // Creates c1 with --pid-file `pid_file`; checks that the canary is intact
  // and the pid file holds the pid, then deletes c1.
  void CreateAndCheck(const std::string& pid_file) {
    ocitest::CommandResult r = RunOci({"create", "--pid-file", pid_file, "c1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ocitest::ReadFile(canary_).value_or(""), "canary\n");
    struct stat st;
    ASSERT_EQ(lstat(pid_file.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    std::string pid =
        ocitest::ReadFile(StateDir("c1") + "/container.pid").value_or("?");
    EXPECT_EQ(ocitest::ReadFile(pid_file).value_or(""), pid);
    r = RunOci({"delete", "c1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(StateRootEntries(), IsEmpty());
  }

  std::string pids_;
  std::string canary_;
};

TEST_F(PidFileTest, SymlinkAtThePidFileIsReplacedNotFollowed) {
  std::string pid_file = pids_ + "/c1.pid";
  ASSERT_EQ(symlink(canary_.c_str(), pid_file.c_str()), 0);
  CreateAndCheck(pid_file);
}

TEST_F(PidFileTest, SymlinkAtTheOldTemporaryNameIsNotWritten) {
  std::string pid_file = pids_ + "/c1.pid";
  std::string planted = pid_file + ".tmp";
  ASSERT_EQ(symlink(canary_.c_str(), planted.c_str()), 0);
  CreateAndCheck(pid_file);
  // The planted link is untouched too: run_oci never opened it.
  char target[4096] = {};
  ASSERT_GT(readlink(planted.c_str(), target, sizeof(target) - 1), 0);
  EXPECT_EQ(std::string(target), canary_);
}

TEST_F(PidFileTest, SymlinksAtBothAndADanglingOne) {
  std::string pid_file = pids_ + "/c1.pid";
  ASSERT_EQ(symlink(canary_.c_str(), pid_file.c_str()), 0);
  ASSERT_EQ(symlink(canary_.c_str(), (pid_file + ".tmp").c_str()), 0);
  // A dangling link at a name run_oci might create would be created
  // through by O_CREAT without O_EXCL.
  std::string victim = temp_->Sub("created-through-link");
  ASSERT_EQ(symlink(victim.c_str(), (pids_ + "/.c1.pid.tmp").c_str()), 0);
  CreateAndCheck(pid_file);
  EXPECT_NE(access(victim.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace run_oci_test
