#include "run_oci/mount_cleanup.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ParseMountPointsTest, TakesFieldFive) {
  const char kMountInfo[] =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "40 22 0:35 / /run/containers/a\\040b rw - tmpfs tmpfs rw\n"
      "41 40 0:36 /x /run/containers/a\\040b/mountpoints/m rw - tmpfs t rw\n";
  absl::StatusOr<std::vector<std::string>> points =
      ParseMountPoints(kMountInfo);
  ASSERT_TRUE(points.ok()) << points.status();
  EXPECT_THAT(*points, ElementsAre("/", "/run/containers/a b",
                                   "/run/containers/a b/mountpoints/m"));
}

TEST(ParseMountPointsTest, MalformedLineNamesIt) {
  absl::StatusOr<std::vector<std::string>> points =
      ParseMountPoints("22 1 8:1 / / rw\n23 1 x\n");
  ASSERT_FALSE(points.ok());
  EXPECT_THAT(points.status().message(), ::testing::HasSubstr("line 2"));
}

TEST(IsPathUnderTest, WholeComponents) {
  EXPECT_TRUE(IsPathUnder("/s/a", "/s/a"));
  EXPECT_TRUE(IsPathUnder("/s/a/x", "/s/a"));
  EXPECT_TRUE(IsPathUnder("/s/a/x", "/s/a/"));
  EXPECT_FALSE(IsPathUnder("/s/ab", "/s/a"));
  EXPECT_FALSE(IsPathUnder("/s/ab/x", "/s/a"));
  EXPECT_FALSE(IsPathUnder("/s", "/s/a"));
  EXPECT_TRUE(IsPathUnder("/anything", "/"));
}

TEST(PlanUnmountsTest, ReverseOrderOnlyUnderDir) {
  std::vector<std::string> points = {
      "/",
      "/s/a",
      "/s/a/mountpoints/container-root",
      "/s/ab/mountpoints/x",
      "/s/a/mountpoints/m",
      "/s/a/mountpoints/m/inner",
      "/s/a/mountpoints/m",  // stacked twice
      "/s/a b",
  };
  EXPECT_THAT(PlanUnmounts(points, "/s/a"),
              ElementsAre("/s/a/mountpoints/m/inner", "/s/a/mountpoints/m",
                          "/s/a/mountpoints/m",
                          "/s/a/mountpoints/container-root", "/s/a"));
  EXPECT_THAT(PlanUnmounts(points, "/s/c"), IsEmpty());
}

TEST(CleanupStateDirectoryTest, UnmountsNestedAndRemoves) {
  absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("cleanup");
  ASSERT_TRUE(temp.ok());
  std::string dir = temp->Sub("c");
  std::string sibling = temp->Sub("c2");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(sibling.c_str(), 0755), 0);
  std::string outer = dir + "/mountpoints";
  ASSERT_EQ(mkdir(outer.c_str(), 0755), 0);
  ASSERT_EQ(mount("none", outer.c_str(), "tmpfs", 0, ""), 0);
  std::string inner = outer + "/in ner";
  ASSERT_EQ(mkdir(inner.c_str(), 0755), 0);
  ASSERT_EQ(mount("none", inner.c_str(), "tmpfs", 0, ""), 0);
  ASSERT_TRUE(ocitest::WriteFile(inner + "/f", "x").ok());
  ASSERT_EQ(symlink("/etc", (dir + "/link").c_str()), 0);
  ASSERT_EQ(mount("none", sibling.c_str(), "tmpfs", 0, ""), 0);

  EXPECT_TRUE(CleanupStateDirectory(dir).ok());
  EXPECT_NE(access(dir.c_str(), F_OK), 0);
  EXPECT_EQ(access("/etc/passwd", F_OK), 0);  // the link was not followed
  // The sibling whose name extends ours was not touched.
  absl::StatusOr<std::vector<std::string>> left =
      ParseMountPoints(ocitest::ReadFile("/proc/self/mountinfo").value_or(""));
  ASSERT_TRUE(left.ok());
  EXPECT_THAT(PlanUnmounts(*left, sibling), ElementsAre(sibling));
  EXPECT_THAT(PlanUnmounts(*left, dir), IsEmpty());
  ASSERT_EQ(umount2(sibling.c_str(), MNT_DETACH), 0);
}

TEST(CleanupStateDirectoryTest, MissingDirIsFine) {
  EXPECT_TRUE(CleanupStateDirectory("/tmp/run_oci-does-not-exist-xyz").ok());
}

}  // namespace
}  // namespace run_oci
