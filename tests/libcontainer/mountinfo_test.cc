#include "minijail-shim/base/mountinfo.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace base {
namespace {

TEST(UnescapeMountInfoFieldTest, OctalEscapes) {
  EXPECT_EQ(UnescapeMountInfoField("/a\\040b"), "/a b");
  EXPECT_EQ(UnescapeMountInfoField("/tab\\011x\\012y\\134z"), "/tab\tx\ny\\z");
  EXPECT_EQ(UnescapeMountInfoField("/plain"), "/plain");
  // Not an escape: left as is.
  EXPECT_EQ(UnescapeMountInfoField("/a\\09"), "/a\\09");
  EXPECT_EQ(UnescapeMountInfoField("/end\\"), "/end\\");
}

// Lines in proc(5)'s layout: optional fields, then " - " and the type,
// source and superblock options.
TEST(ParseMountInfoTest, FieldsOfEachLine) {
  size_t malformed = 99;
  std::vector<MountInfoEntry> mounts = ParseMountInfo(
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "30 22 0:26 / /sys/fs/cgroup/memory rw master:7 - cgroup cgroup "
      "rw,memory\n"
      "40 22 0:35 / /run/a\\040b rw - tmpfs tmpfs rw,size=10k\n",
      &malformed);
  EXPECT_EQ(malformed, 0u);
  ASSERT_EQ(mounts.size(), 3u);
  EXPECT_EQ(mounts[0].mount_point, "/");
  EXPECT_EQ(mounts[0].fs_type, "ext4");
  EXPECT_EQ(mounts[1].mount_point, "/sys/fs/cgroup/memory");
  EXPECT_EQ(mounts[1].fs_type, "cgroup");
  EXPECT_EQ(mounts[1].super_options, "rw,memory");
  EXPECT_EQ(mounts[2].mount_point, "/run/a b");
  EXPECT_EQ(mounts[2].super_options, "rw,size=10k");
}

TEST(ParseMountInfoTest, MalformedLinesAreLeftOutAndCounted) {
  size_t malformed = 0;
  std::vector<MountInfoEntry> mounts = ParseMountInfo(
      "22 1 8:1 / / rw\n23 1 x\n24 1 0:1 / rel rw\n", &malformed);
  EXPECT_EQ(malformed, 2u);
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/");
  EXPECT_EQ(mounts[0].fs_type, "");  // no " - " part
  EXPECT_TRUE(ParseMountInfo("").empty());
}

}  // namespace
}  // namespace base
