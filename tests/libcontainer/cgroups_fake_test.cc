// Cgroups against a fake hierarchy root in a temp dir: directory creation
// and removal, ownership, and limit files. The kernel's cgroupfs creates
// control files on mkdir; here the test creates the ones it expects.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroups.h"
#include "tests/libcontainer/fake_cgroup_root.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ocitest::ReadFile;
using ocitest::TempDir;
using ocitest::WriteFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CgroupsFakeTest : public FakeCgroupRootTest {
 protected:
  CgroupsFakeTest() : FakeCgroupRootTest("lc-cgfake") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FakeCgroupRootTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(MakeHierarchies({"memory", "pids"}));
  }
};

TEST_F(CgroupsFakeTest, CreatesParentsAndRemovesOnlyWhatItCreated) {
  ASSERT_EQ(mkdir(dir_->Sub("memory/existing").c_str(), 0755), 0);
  auto cg = Cgroups::Create(h_, "existing/new/leaf", Resources{}, std::nullopt);
  ASSERT_TRUE(cg.ok()) << cg.status();
  for (const char* sub : {"memory", "pids", "unified"}) {
    EXPECT_TRUE(Exists(dir_->Sub(std::string(sub) + "/existing/new/leaf")));
  }
  EXPECT_EQ(cg->V1Dir("memory"), dir_->Sub("memory/existing/new/leaf"));
  EXPECT_EQ(cg->unified_dir(), dir_->Sub("unified/existing/new/leaf"));
  EXPECT_EQ(cg->Dirs().size(), 3u);
  ASSERT_TRUE(cg->Remove().ok());
  EXPECT_TRUE(Exists(dir_->Sub("memory/existing")));
  EXPECT_FALSE(Exists(dir_->Sub("memory/existing/new")));
  EXPECT_FALSE(Exists(dir_->Sub("pids/existing")));
  EXPECT_FALSE(Exists(dir_->Sub("unified/existing")));
}

// What a later destroy gets back from the state directory: the parents
// Create made, removed when empty; a listed path that is no ancestor of the
// container's cgroups is never touched.
TEST_F(CgroupsFakeTest, ExistingRemovesRecordedParentsOnlyIfAncestors) {
  ASSERT_EQ(mkdir(dir_->Sub("memory/existing").c_str(), 0755), 0);
  ASSERT_EQ(mkdir(dir_->Sub("memory/other").c_str(), 0755), 0);
  std::vector<std::string> parents;
  {
    auto cg =
        Cgroups::Create(h_, "existing/new/leaf", Resources{}, std::nullopt);
    ASSERT_TRUE(cg.ok()) << cg.status();
    parents = cg->CreatedParents();
  }
  EXPECT_THAT(parents,
              ::testing::UnorderedElementsAre(dir_->Sub("memory/existing/new"),
                                              dir_->Sub("pids/existing/new"),
                                              dir_->Sub("pids/existing"),
                                              dir_->Sub("unified/existing/new"),
                                              dir_->Sub("unified/existing")));
  parents.push_back(dir_->Sub("memory/other"));
  parents.push_back(dir_->Sub("memory/existing/new/leaf/.."));
  ASSERT_TRUE(
      Cgroups::Existing(h_, "existing/new/leaf", parents).Remove().ok());
  for (const char* sub : {"memory", "pids", "unified"}) {
    EXPECT_FALSE(Exists(dir_->Sub(std::string(sub) + "/existing/new")));
  }
  EXPECT_TRUE(Exists(dir_->Sub("memory/existing")));
  EXPECT_TRUE(Exists(dir_->Sub("memory/other")));
  EXPECT_FALSE(Exists(dir_->Sub("pids/existing")));
}

TEST_F(CgroupsFakeTest, WritesLimitsAndChowns) {
  ASSERT_TRUE(Cgroups::Create(h_, "c1", Resources{}, std::nullopt).ok());
  ASSERT_TRUE(WriteFile(dir_->Sub("memory/c1/memory.limit_in_bytes"), "").ok());
  ASSERT_TRUE(WriteFile(dir_->Sub("pids/c1/cgroup.procs"), "").ok());
  // A second Create over the same (empty) directories, as after a crash:
  // they are reused, but were not made by this Create.
  Resources r;
  r.memory.emplace();
  r.memory->limit = 4096;
  auto cg = Cgroups::Create(h_, "c1", r, CgroupOwner{1234, 5678});
  ASSERT_TRUE(cg.ok()) << cg.status();
  EXPECT_EQ(*ReadFile(dir_->Sub("memory/c1/memory.limit_in_bytes")), "4096");
  EXPECT_THAT(cg->CreatedLeaves(), IsEmpty());
  // Not chowned: only what Create made is handed to the container's root.
  struct stat st;
  ASSERT_EQ(stat(dir_->Sub("pids/c1").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
  unlink(dir_->Sub("memory/c1/memory.limit_in_bytes").c_str());
  unlink(dir_->Sub("pids/c1/cgroup.procs").c_str());
  EXPECT_TRUE(cg->Remove().ok());
  EXPECT_TRUE(Exists(dir_->Sub("memory/c1")));  // not this Create's

  auto fresh = Cgroups::Create(h_, "c2", Resources{}, CgroupOwner{1234, 5678});
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  ASSERT_EQ(stat(dir_->Sub("pids/c2").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1234u);
  EXPECT_EQ(st.st_gid, 5678u);
  EXPECT_EQ(fresh->CreatedLeaves().size(), 3u);
  EXPECT_TRUE(fresh->Remove().ok());
  EXPECT_FALSE(Exists(dir_->Sub("memory/c2")));
}

TEST_F(CgroupsFakeTest, FailedLimitUnwindsDirectories) {
  Resources r;
  r.memory.emplace();
  r.memory->limit = 4096;  // memory.limit_in_bytes does not exist here
  auto cg = Cgroups::Create(h_, "a/b", r, std::nullopt);
  ASSERT_FALSE(cg.ok());
  EXPECT_THAT(cg.status().message(),
              HasSubstr("memory/a/b/memory.limit_in_bytes"));
  EXPECT_FALSE(Exists(dir_->Sub("memory/a")));
  EXPECT_FALSE(Exists(dir_->Sub("pids/a")));
  EXPECT_FALSE(Exists(dir_->Sub("unified/a")));
}

TEST_F(CgroupsFakeTest, LimitForUnmountedControllerIsAnError) {
  Resources r;
  r.hugepage_limits.push_back({"2MB", 1});
  auto cg = Cgroups::Create(h_, "c2", r, std::nullopt);
  ASSERT_FALSE(cg.ok());
  EXPECT_THAT(cg.status().message(),
              HasSubstr("the hugetlb hierarchy is not mounted"));
  EXPECT_FALSE(Exists(dir_->Sub("memory/c2")));
}

TEST_F(CgroupsFakeTest, ExistingRemovesLeafOnlyAndToleratesMissing) {
  ASSERT_EQ(mkdir(dir_->Sub("memory/p").c_str(), 0755), 0);
  ASSERT_EQ(mkdir(dir_->Sub("memory/p/c").c_str(), 0755), 0);
  Cgroups cg = Cgroups::Existing(h_, "p/c");
  EXPECT_TRUE(cg.KillAll().ok());
  EXPECT_TRUE(cg.Remove().ok());
  EXPECT_FALSE(Exists(dir_->Sub("memory/p/c")));
  EXPECT_TRUE(Exists(dir_->Sub("memory/p")));
  EXPECT_TRUE(Cgroups::Existing(h_, "p/c").Remove().ok());
}

}  // namespace
}  // namespace libcontainer
