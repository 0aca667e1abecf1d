#include "libcontainer/devices.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace libcontainer {
namespace {

using ::testing::HasSubstr;

// A host where /dev/binder is char 511:7 and /dev/sda is block 8:0.
int FakeStat(const std::string& path, struct stat* st) {
  *st = {};
  if (path == "/dev/binder") {
    st->st_mode = S_IFCHR | 0600;
    st->st_rdev = makedev(511, 7);
    return 0;
  }
  if (path == "/dev/sda") {
    st->st_mode = S_IFBLK | 0600;
    st->st_rdev = makedev(8, 0);
    return 0;
  }
  errno = ENOENT;
  return -1;
}

TEST(Devices, StaticNumbersModeAndOwner) {
  Device d;
  d.type = 'c';
  d.path = "/dev/fuse";
  d.major = 10;
  d.minor = 229;
  d.file_mode = 0620;
  d.uid = 1000;
  d.gid = 5;
  auto spec = ResolveDevice(d, FakeStat);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->path, "/dev/fuse");
  EXPECT_EQ(spec->mode, static_cast<mode_t>(S_IFCHR | 0620));
  EXPECT_EQ(spec->dev, makedev(10, 229));
  EXPECT_EQ(spec->uid, 1000u);
  EXPECT_EQ(spec->gid, 5u);
}

TEST(Devices, DefaultModeAndTypes) {
  Device fifo;
  fifo.type = 'p';
  fifo.path = "/dev/fifo";
  auto spec = ResolveDevice(fifo, FakeStat);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->mode, static_cast<mode_t>(S_IFIFO | 0666));
  EXPECT_EQ(spec->dev, 0u);
  Device u;
  u.type = 'u';
  u.path = "/dev/u";
  u.major = 1;
  u.minor = 3;
  spec = ResolveDevice(u, FakeStat);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->mode & S_IFMT, static_cast<mode_t>(S_IFCHR));
}

TEST(Devices, DynamicMinorFromHostNode) {
  Device d;
  d.type = 'c';
  d.path = "/dev/binder";
  d.major = 511;
  d.minor = 0;
  d.dynamic_minor = true;
  auto spec = ResolveDevice(d, FakeStat);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->dev, makedev(511, 7));

  d.major = 1;
  d.dynamic_major = true;
  d.dynamic_minor = false;
  d.minor = 2;
  spec = ResolveDevice(d, FakeStat);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->dev, makedev(511, 2));
}

TEST(Devices, DynamicErrors) {
  Device d;
  d.type = 'c';
  d.path = "/dev/missing";
  d.dynamic_minor = true;
  auto spec = ResolveDevice(d, FakeStat);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(),
              HasSubstr("device /dev/missing: dynamic major/minor: stat of "
                        "the host node: No such file or directory"));
  d.path = "/dev/sda";  // block on the host, char in the config
  spec = ResolveDevice(d, FakeStat);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("not a character device"));
}

TEST(Devices, BadTypeAndRange) {
  Device d;
  d.type = 'x';
  d.path = "/dev/x";
  EXPECT_FALSE(ResolveDevice(d, FakeStat).ok());
  d.type = 'c';
  d.major = -1;
  EXPECT_THAT(ResolveDevice(d, FakeStat).status().message(),
              HasSubstr("out of range"));
}

}  // namespace
}  // namespace libcontainer
