// The normalization must drop only what legitimately differs between
// runtimes; a normalizer that dropped everything would make every
// differential comparison pass.
#include "tests/differential/container_view.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace ocitest {
namespace {

TEST(ContainerView, ProbeScriptHasEverySectionAndExitCode) {
  std::string script = ProbeScript(3);
  for (const char* section : {"id", "status", "idmap", "mounts", "dev", "env",
                              "pwd", "ulimit", "hostname", "sysctl", "end"}) {
    EXPECT_TRUE(absl::StrContains(script, std::string("'== ") + section))
        << section;
  }
  EXPECT_TRUE(absl::EndsWith(script, "exit 3\n"));
}

TEST(ContainerView, NormalizesMountsDevAndIdmap) {
  const char kOutput[] =
      "== mounts ==\n"
      "101 85 0:6 /null /proc/keys ro,relatime - devtmpfs devtmpfs rw\n"
      "90 84 0:44 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n"
      "84 63 254:0 /tmp/x/rootfs / ro,relatime - ext4 /dev/vda rw,discard\n"
      "93 91 0:36 /t1 /sys/fs/cgroup/pids ro,nosuid shared:5 - cgroup cgroup "
      "rw,pids\n"
      "== dev ==\nnull\ncore\nfd\n"
      "== idmap ==\n         0     100000      65536\n"
      "== hostname ==\nrunc\n\n"
      "== end ==\n";
  auto view = ParseContainerView(kOutput, {"/proc/keys"});
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ((*view)["mounts"],
            "/ ext4 ro,relatime\n"
            "/proc/keys masked\n"
            "/sys sysfs ro,nosuid,nodev,noexec,relatime\n"
            "/sys/fs/cgroup/pids cgroup ro,nosuid");
  EXPECT_EQ((*view)["dev"], "fd\nnull");
  EXPECT_EQ((*view)["idmap"], "0 100000 65536");
  EXPECT_EQ((*view)["hostname"], "runc");
  EXPECT_EQ((*view)["end"], "");
}

TEST(ContainerView, MountOrderKeepsMountinfoOrderAndTmpfsOptions) {
  const char kOutput[] =
      "== mounts ==\n"
      "84 63 254:0 /tmp/x/rootfs / ro,relatime - ext4 /dev/vda rw\n"
      "85 84 0:50 / /run rw,nosuid - tmpfs tmpfs rw,size=1024k\n"
      "86 84 0:51 / /dev rw,nosuid - tmpfs tmpfs rw,size=2048k,mode=750\n"
      "87 86 0:6 /null /dev/null rw - devtmpfs udev rw\n"
      "88 84 0:52 / /sys/fs/cgroup ro - tmpfs tmpfs rw,mode=755\n"
      "90 88 0:36 / /sys/fs/cgroup/pids ro - cgroup cgroup rw,pids\n"
      "89 88 0:37 / /sys/fs/cgroup/cpu ro - cgroup cgroup rw,cpu\n"
      "91 84 0:6 /null /etc/secret ro - devtmpfs udev rw\n"
      "92 84 0:53 / /mnt rw - tmpfs tmpfs rw\n"
      "== end ==\n";
  auto view = ParseContainerView(kOutput, {"/etc/secret"});
  ASSERT_TRUE(view.ok()) << view.status();
  // Not sorted: /run before /dev before /mnt, as mountinfo lists them.
  EXPECT_EQ((*view)["mount_order"],
            "/ ext4\n"
            "/run tmpfs rw,size=1024k\n"
            "/dev tmpfs rw,size=2048k,mode=750\n"
            "/sys/fs/cgroup tmpfs\n"
            "/sys/fs/cgroup/cpu cgroup\n"
            "/sys/fs/cgroup/pids cgroup\n"
            "/mnt tmpfs rw");
}

TEST(ContainerView, RejectsOutputThatStopsEarly) {
  auto view = ParseContainerView("== id ==\nuid=0(root)\n", {});
  EXPECT_FALSE(view.ok());
  EXPECT_TRUE(absl::StrContains(view.status().message(), "did not run"));
}

TEST(ContainerView, RejectsMalformedMountinfo) {
  auto view = ParseContainerView("== mounts ==\nnot a mount\n== end ==\n", {});
  EXPECT_FALSE(view.ok());
  EXPECT_TRUE(absl::StrContains(view.status().message(), "malformed"));
}

}  // namespace
}  // namespace ocitest
