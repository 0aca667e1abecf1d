// CVE-2021-30465 shape: a bind mount whose target lies in a shared volume,
// where another writer keeps exchanging the target directory with a
// symlink (to a host canary directory, to "/", or climbing out with "..").
// A runtime that resolves the target to a path string and then mounts by
// that path follows the symlink and mounts outside the rootfs. run_oci
// resolves inside the root (openat2 RESOLVE_IN_ROOT) and mounts onto the
// resolved fd. In every round each mount of the bind's source, as the
// container's mount namespace has it just before pivot_root (read by a
// prestart hook, which runs on the host in that window), is inside the
// rootfs, or the start was refused; the canary is never mounted on.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

class MountTargetSwapTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    volume_ = temp_->Sub("volume");
    source_ = temp_->Sub("source");
    canary_ = temp_->Sub("canary");
    for (const std::string& dir : {volume_, volume_ + "/d", source_, canary_}) {
      ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    }
    ASSERT_TRUE(ocitest::WriteFile(source_ + "/marker", "marker").ok());
    ASSERT_TRUE(ocitest::WriteFile(canary_ + "/canary", "canary").ok());
    ASSERT_EQ(symlink("/", (volume_ + "/link").c_str()), 0);
  }

  // Whichever of d and link is the symlink now points at `target`.
  void RetargetLink(const std::string& target) {
    for (const char* name : {"d", "link"}) {
      const std::string path = absl::StrCat(volume_, "/", name);
      struct stat st;
      if (lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        ASSERT_EQ(unlink(path.c_str()), 0);
        ASSERT_EQ(symlink(target.c_str(), path.c_str()), 0);
      }
    }
  }

  std::string volume_;
  std::string source_;
  std::string canary_;
};

TEST_F(MountTargetSwapTest, RacedTargetsNeverLeaveTheRootfs) {
  const std::string dump = temp_->Sub("mountinfo");
  const std::string hook = absl::StrCat(
      R"({"prestart":[{"path":"/bin/sh","args":["sh","-c",)",
      JsonString("read -r s; p=${s#*\\\"pid\\\":}; p=${p%%[!0-9]*}; "
                 "cat /proc/$p/mountinfo > \"$1\""),
      R"(,"sh",)", JsonString(dump), "]}]}");
  extra_mounts_ =
      absl::StrCat(R"({"destination":"/vol","type":"bind","source":)",
                   JsonString(volume_), R"(,"options":["rbind"]},)",
                   R"({"destination":"/vol/d","type":"bind","source":)",
                   JsonString(source_), R"(,"options":["rbind"]})");
  // The container must not see the host's files, the canary among them.
  WriteConfig({"sh", "-c",
               absl::StrCat("[ -e ", canary_, "/canary ] && echo HOST; true")},
              hook);
  // The source's mountinfo root field ends like this, whatever file system
  // /tmp is on.
  const std::string source_root =
      source_.substr(source_.rfind('/', source_.rfind('/') - 1));
  const std::vector<std::string> targets = {
      canary_, "/", absl::StrCat("../../../../../../../../..", canary_)};
  const int volume_fd = open(volume_.c_str(), O_PATH | O_DIRECTORY);
  ASSERT_GE(volume_fd, 0);
  constexpr int kRounds = 120;
  int started = 0;
  for (int round = 0; round < kRounds; ++round) {
    RetargetLink(targets[round % targets.size()]);
    unlink(dump.c_str());
    ocitest::CommandResult r =
        RunOciWhileExchanging({"run", "c1"}, volume_fd, "d", "link");
    ASSERT_TRUE(StateRootEntries().empty()) << "round " << round;
    if (r.exit_code != 0) {
      // Refused: the target was a link that dangles inside the root.
      ASSERT_TRUE(absl::StartsWith(r.err, "run_oci: jail: mounts[2] (/vol/d)"))
          << "round " << round << ": " << r.err;
      continue;
    }
    ++started;
    EXPECT_EQ(r.out, "") << "round " << round;
    const std::string info = ocitest::ReadFile(dump).value_or("");
    int source_mounts = 0;
    for (absl::string_view line : absl::StrSplit(info, '\n')) {
      std::vector<std::string> f = absl::StrSplit(line, ' ');
      if (f.size() < 5) continue;
      EXPECT_FALSE(absl::StartsWith(f[4], canary_))
          << "round " << round << ": " << line;
      if (!absl::EndsWith(f[3], source_root)) continue;
      ++source_mounts;
      // On the rootfs' root itself (the link said "/", resolved as the
      // container's root) or below it.
      EXPECT_TRUE(f[4] == Rootfs() || absl::StartsWith(f[4], Rootfs() + "/"))
          << "round " << round << ": " << line;
    }
    EXPECT_EQ(source_mounts, 1) << "round " << round << ":\n" << info;
  }
  close(volume_fd);
  EXPECT_GT(started, 0);
  EXPECT_EQ(ocitest::ReadFile(canary_ + "/canary").value_or(""), "canary");
  printf("%d rounds, %d started, %d refused\n", kRounds, started,
         kRounds - started);
}

}  // namespace
}  // namespace run_oci_test
