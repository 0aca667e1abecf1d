// A container's cgroup that exists before its Create (a shared cgroupsPath,
// an id equal to an existing cgroup), against fake hierarchy roots: a
// non-empty one is refused unless sharing is asked for, and whatever Create
// did not make is never killed nor removed. The fake cgroup.procs files
// list a real process the test started, so a wrong KillAll would kill it.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroups.h"
#include "tests/libcontainer/fake_cgroup_root.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ocitest::TempDir;
using ocitest::WriteFile;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class CgroupReuseTest : public FakeCgroupRootTest {
 protected:
  CgroupReuseTest() : FakeCgroupRootTest("lc-cgreuse") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FakeCgroupRootTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(MakeHierarchies({"memory", "pids"}));
    sleeper_ = fork();
    ASSERT_GE(sleeper_, 0);
    if (sleeper_ == 0) {
      pause();
      _exit(0);
    }
  }

  void TearDown() override {
    kill(sleeper_, SIGKILL);
    waitpid(sleeper_, nullptr, 0);
  }

  // <hierarchy>/<rel> made by "someone else", with the sleeper in it.
  void MakeForeign(const std::string& hierarchy, const std::string& rel) {
    std::string dir = dir_->Sub(absl::StrCat(hierarchy, "/", rel));
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    ASSERT_TRUE(
        WriteFile(dir + "/cgroup.procs", absl::StrCat(sleeper_, "\n")).ok());
  }

  bool SleeperAlive() const {
    return waitpid(sleeper_, nullptr, WNOHANG) == 0 && kill(sleeper_, 0) == 0;
  }

  pid_t sleeper_ = -1;
};

TEST_F(CgroupReuseTest, NonEmptyExistingCgroupIsRefused) {
  MakeForeign("pids", "shared");
  auto cg =
      Cgroups::Create(h_, "shared", Resources{}, std::nullopt,
                      {false, "config.json: linux.cgroupsPath \"/x\"", ""});
  ASSERT_FALSE(cg.ok());
  EXPECT_EQ(cg.status().message(),
            absl::StrCat("config.json: linux.cgroupsPath \"/x\": ",
                         dir_->Sub("pids/shared"),
                         " existed before this container and is not empty "
                         "(1 process(es), first pid ",
                         sleeper_,
                         "); to share it set annotation "
                         "org.chromium.run_oci.shared_cgroup to \"true\""));
  // What this Create made is gone again; the foreign cgroup is untouched.
  EXPECT_FALSE(Exists(dir_->Sub("memory/shared")));
  EXPECT_FALSE(Exists(dir_->Sub("unified/shared")));
  EXPECT_TRUE(Exists(dir_->Sub("pids/shared/cgroup.procs")));
  EXPECT_TRUE(SleeperAlive());
}

TEST_F(CgroupReuseTest, ProcessesBelowTheExistingCgroupCount) {
  ASSERT_EQ(mkdir(dir_->Sub("memory/parent").c_str(), 0755), 0);
  MakeForeign("memory", "parent/child");
  auto cg = Cgroups::Create(h_, "parent", Resources{}, std::nullopt);
  ASSERT_FALSE(cg.ok());
  EXPECT_THAT(std::string(cg.status().message()),
              ::testing::HasSubstr("memory/parent existed before"));
  EXPECT_TRUE(SleeperAlive());
}

TEST_F(CgroupReuseTest, EmptyExistingCgroupIsUsedButNotOwned) {
  ASSERT_EQ(mkdir(dir_->Sub("memory/c").c_str(), 0755), 0);
  auto cg = Cgroups::Create(h_, "c", Resources{}, std::nullopt);
  ASSERT_TRUE(cg.ok()) << cg.status();
  EXPECT_THAT(
      cg->CreatedLeaves(),
      UnorderedElementsAre(dir_->Sub("pids/c"), dir_->Sub("unified/c")));
  EXPECT_TRUE(cg->Remove().ok());
  EXPECT_TRUE(Exists(dir_->Sub("memory/c")));
  EXPECT_FALSE(Exists(dir_->Sub("pids/c")));
  EXPECT_FALSE(Exists(dir_->Sub("unified/c")));
}

TEST_F(CgroupReuseTest, SharedCgroupIsNeitherKilledNorRemoved) {
  for (const char* hierarchy : {"memory", "pids", "unified"}) {
    MakeForeign(hierarchy, "shared");
  }
  auto cg = Cgroups::Create(h_, "shared", Resources{}, std::nullopt,
                            {/*share=*/true, "", ""});
  ASSERT_TRUE(cg.ok()) << cg.status();
  EXPECT_THAT(cg->CreatedLeaves(), IsEmpty());
  EXPECT_TRUE(cg->KillAll().ok());
  EXPECT_TRUE(cg->Remove().ok());
  EXPECT_TRUE(SleeperAlive());
  for (const char* hierarchy : {"memory", "pids", "unified"}) {
    EXPECT_TRUE(Exists(dir_->Sub(absl::StrCat(hierarchy, "/shared"))));
  }

  // The same from the record a later destroy reads.
  Cgroups later = Cgroups::Existing(h_, "shared", {}, cg->CreatedLeaves());
  EXPECT_TRUE(later.KillAll().ok());
  EXPECT_TRUE(later.Remove().ok());
  EXPECT_TRUE(SleeperAlive());
  EXPECT_TRUE(Exists(dir_->Sub("pids/shared")));
}

TEST_F(CgroupReuseTest, SharedWhereOnlySomeExistedRemovesTheRest) {
  MakeForeign("pids", "shared");
  auto cg = Cgroups::Create(h_, "shared", Resources{}, std::nullopt,
                            {/*share=*/true, "", ""});
  ASSERT_TRUE(cg.ok()) << cg.status();
  EXPECT_THAT(cg->CreatedLeaves(),
              UnorderedElementsAre(dir_->Sub("memory/shared"),
                                   dir_->Sub("unified/shared")));
  EXPECT_TRUE(cg->KillAll().ok());
  EXPECT_TRUE(cg->Remove().ok());
  EXPECT_TRUE(SleeperAlive());
  EXPECT_TRUE(Exists(dir_->Sub("pids/shared")));
  EXPECT_FALSE(Exists(dir_->Sub("memory/shared")));
  EXPECT_FALSE(Exists(dir_->Sub("unified/shared")));
}

TEST_F(CgroupReuseTest, RecordedLeavesAreFilteredToTheContainersOwn) {
  MakeForeign("pids", "other");
  ASSERT_EQ(mkdir(dir_->Sub("memory/c").c_str(), 0755), 0);
  // A record naming a directory that is not one of the container's.
  Cgroups cg = Cgroups::Existing(
      h_, "c", {}, std::vector<std::string>{dir_->Sub("pids/other")});
  EXPECT_THAT(cg.CreatedLeaves(), IsEmpty());
  EXPECT_TRUE(cg.KillAll().ok());
  EXPECT_TRUE(cg.Remove().ok());
  EXPECT_TRUE(SleeperAlive());
  EXPECT_TRUE(Exists(dir_->Sub("pids/other")));
  EXPECT_TRUE(Exists(dir_->Sub("memory/c")));
}

TEST_F(CgroupReuseTest, UnknownOwnershipKillsNothingAndLeavesBusyLeaves) {
  // A record from a create that died before it knew what it made.
  MakeForeign("pids", "c");
  ASSERT_EQ(mkdir(dir_->Sub("memory/c").c_str(), 0755), 0);
  Cgroups cg = Cgroups::Existing(h_, "c");
  EXPECT_TRUE(cg.KillAll().ok());
  EXPECT_TRUE(cg.Remove().ok());
  EXPECT_TRUE(SleeperAlive());
  EXPECT_TRUE(Exists(dir_->Sub("pids/c")));
  EXPECT_FALSE(Exists(dir_->Sub("memory/c")));  // empty: removed
}

TEST_F(CgroupReuseTest, UnknownOwnershipFollowsTheTag) {
  // A create (tag t1) that shared pids/p/c and made the rest, then died
  // before its record said so.
  ASSERT_EQ(mkdir(dir_->Sub("pids/p").c_str(), 0755), 0);
  MakeForeign("pids", "p/c");
  auto cg = Cgroups::Create(h_, "p/c", Resources{}, std::nullopt,
                            {/*share=*/true, "", "t1"});
  ASSERT_TRUE(cg.ok()) << cg.status();
  EXPECT_THAT(
      Cgroups::Existing(h_, "p/c", {}, std::nullopt, "t2").CreatedLeaves(),
      IsEmpty());
  Cgroups later = Cgroups::Existing(h_, "p/c", {}, std::nullopt, "t1");
  EXPECT_THAT(
      later.CreatedLeaves(),
      UnorderedElementsAre(dir_->Sub("memory/p/c"), dir_->Sub("unified/p/c")));
  EXPECT_TRUE(later.KillAll().ok());
  EXPECT_TRUE(later.Remove().ok());
  EXPECT_TRUE(SleeperAlive());
  EXPECT_TRUE(Exists(dir_->Sub("pids/p/c")));
  // The tagged parents went with the leaves.
  EXPECT_FALSE(Exists(dir_->Sub("memory/p")));
  EXPECT_FALSE(Exists(dir_->Sub("unified/p")));
}

}  // namespace
}  // namespace libcontainer
