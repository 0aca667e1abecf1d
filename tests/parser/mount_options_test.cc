#include "run_oci/parser/mount_options.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace run_oci {
namespace {

MountOptions Parse(const std::vector<std::string>& options) {
  absl::StatusOr<MountOptions> parsed = ParseMountOptions(options, "ctx");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : MountOptions{};
}

TEST(MountOptionsTest, FlagsAndTheirNegations) {
  EXPECT_EQ(Parse({"nosuid", "nodev", "noexec"}).flags,
            MS_NOSUID | MS_NODEV | MS_NOEXEC);
  EXPECT_EQ(Parse({"nosuid", "suid"}).flags, 0u);
  EXPECT_EQ(Parse({"ro", "rw"}).flags, 0u);
  EXPECT_EQ(Parse({"rw", "ro"}).flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(Parse({"noatime", "atime", "nodiratime"}).flags,
            static_cast<unsigned long>(MS_NODIRATIME));
  EXPECT_EQ(Parse({"relatime", "strictatime", "norelatime"}).flags,
            static_cast<unsigned long>(MS_STRICTATIME));
  EXPECT_EQ(Parse({"sync", "dirsync", "async"}).flags,
            static_cast<unsigned long>(MS_DIRSYNC));
  EXPECT_EQ(Parse({"mand", "silent", "lazytime", "remount"}).flags,
            MS_MANDLOCK | MS_SILENT | MS_LAZYTIME | MS_REMOUNT);
  EXPECT_EQ(Parse({"mand", "nomand", "silent", "loud"}).flags, 0u);
  EXPECT_EQ(Parse({"defaults"}).flags, 0u);
}

TEST(MountOptionsTest, BindAndRbind) {
  EXPECT_EQ(Parse({"bind"}).flags, static_cast<unsigned long>(MS_BIND));
  EXPECT_EQ(Parse({"rbind"}).flags, MS_BIND | MS_REC);
}

TEST(MountOptionsTest, PropagationIsSeparateAndLastWins) {
  MountOptions o = Parse({"rbind", "rslave"});
  EXPECT_EQ(o.flags, MS_BIND | MS_REC);
  EXPECT_EQ(o.propagation, MS_REC | MS_SLAVE);
  EXPECT_EQ(Parse({"shared", "private"}).propagation,
            static_cast<unsigned long>(MS_PRIVATE));
  EXPECT_EQ(Parse({"runbindable"}).propagation, MS_REC | MS_UNBINDABLE);
  EXPECT_EQ(Parse({"rshared"}).propagation, MS_REC | MS_SHARED);
}

TEST(MountOptionsTest, UnknownOptionsBecomeDataInOrder) {
  MountOptions o = Parse({"mode=755", "nosuid", "size=65536k", "uid=5"});
  EXPECT_EQ(o.data, "mode=755,size=65536k,uid=5");
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_NOSUID));
}

TEST(MountOptionsTest, LoopAndVerity) {
  MountOptions o = Parse({"loop", "ro", "dm=vroot,,,ro,0 8 verity 1"});
  EXPECT_TRUE(o.loop);
  EXPECT_EQ(o.verity, "vroot,,,ro,0 8 verity 1");
  EXPECT_EQ(o.data, "");
}

TEST(MountOptionsTest, TmpcopyupIsNotData) {
  MountOptions o = Parse({"tmpcopyup", "size=1m"});
  EXPECT_TRUE(o.tmpcopyup);
  EXPECT_EQ(o.data, "size=1m");
  EXPECT_FALSE(Parse({"size=1m"}).tmpcopyup);
}

TEST(MountOptionsTest, IdmapMarkerIsNotData) {
  EXPECT_EQ(Parse({"idmap", "rbind"}).data, "");
}

TEST(MountOptionsTest, RecursiveAttributesBecomeMountAttrBits) {
  MountOptions o = Parse({"rbind", "rro", "rnosuid", "rdev", "rnosymfollow"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_BIND | MS_REC));
  EXPECT_EQ(o.recursive_set,
            MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOSYMFOLLOW);
  EXPECT_EQ(o.recursive_clr, static_cast<uint64_t>(MOUNT_ATTR_NODEV));
  EXPECT_EQ(o.data, "");
}

TEST(MountOptionsTest, LaterRecursiveAttributesWin) {
  MountOptions o = Parse({"rro", "rrw", "rnoexec"});
  EXPECT_EQ(o.recursive_set, static_cast<uint64_t>(MOUNT_ATTR_NOEXEC));
  EXPECT_EQ(o.recursive_clr, static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
}

TEST(MountOptionsTest, RecursiveAtimeModesClearTheWholeField) {
  MountOptions noatime = Parse({"rnoatime"});
  EXPECT_EQ(noatime.recursive_set, static_cast<uint64_t>(MOUNT_ATTR_NOATIME));
  EXPECT_EQ(noatime.recursive_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  MountOptions strict = Parse({"rnoatime", "rstrictatime"});
  EXPECT_EQ(strict.recursive_set,
            static_cast<uint64_t>(MOUNT_ATTR_STRICTATIME));
  EXPECT_EQ(strict.recursive_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  for (const char* relatime : {"rrelatime", "ratime", "rnostrictatime"}) {
    MountOptions o = Parse({"rnoatime", relatime});
    EXPECT_EQ(o.recursive_set, 0u) << relatime;
    EXPECT_EQ(o.recursive_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME))
        << relatime;
  }
  // Not flags for mount(2).
  EXPECT_EQ(noatime.flags, 0u);
}

TEST(MountOptionsTest, EmptyOptionAndEmptyVerityAreErrors) {
  EXPECT_EQ(ParseMountOptions({""}, "m").status().message(),
            "m.options[0]: empty mount option");
  EXPECT_EQ(ParseMountOptions({"ro", "dm="}, "m").status().message(),
            "m.options[1]: \"dm=\" needs a dm-verity table");
}

TEST(MountOptionsTest, PropagationFromName) {
  EXPECT_EQ(PropagationFromName("rprivate"), MS_REC | MS_PRIVATE);
  EXPECT_EQ(PropagationFromName("slave"), MS_SLAVE);
  EXPECT_EQ(PropagationFromName("bogus"), std::nullopt);
}

}  // namespace
}  // namespace run_oci
