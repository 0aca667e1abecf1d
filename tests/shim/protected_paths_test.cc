// Masked and read-only paths, sysctls and the proc/sysfs mounts they go
// through (minijail-shim/protected_paths.h): reached through fds kept from
// mount time, sysctls before /proc/sys turns read-only, masks from the
// host's /dev/null.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/mounts.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

shim::MountSpec Sysfs() {
  return MakeMount("sysfs", "/sys", "sysfs",
                   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

// podman's and buildah's default sysctl with runc's read-only /proc/sys
// (issue 10): the value is written before the read-only bind.
TEST_F(JailTest, SysctlIsWrittenBeforeProcSysTurnsReadOnly) {
  shim::JailSpec spec = ShellSpec(
      "cat /proc/sys/net/ipv4/ping_group_range; "
      "echo '0 1' > /proc/sys/net/ipv4/ping_group_range || echo refused");
  spec.sysctls = {{"net.ipv4.ping_group_range", "0 1000"}};
  spec.readonly_paths = {"/proc/sys"};
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StartsWith(out, "0\t1000\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "Read-only file system")) << out;
  EXPECT_TRUE(absl::EndsWith(out, "refused\n")) << out;
}

// Without a proc mount in the spec the sysctls go through a procfs of the
// child's own that the container never sees.
TEST_F(JailTest, SysctlWithoutAProcMount) {
  shim::JailSpec spec = ShellSpec("hostname; [ -e /proc/self ] || echo noproc");
  spec.mounts.clear();
  spec.sysctls = {{"kernel.hostname", "fromsysctl"}};
  EXPECT_EQ(OutputOf(spec), "fromsysctl\nnoproc\n");
}

// Linux 5.2-5.11 have open_tree but not mount_setattr: the read-only copy
// is remounted through a procfs of the child's own.
TEST_F(JailTest, ReadonlyPathsWithoutMountSetattr) {
  ASSERT_EQ(mkdir(absl::StrCat(rootfs(), "/rodir").c_str(), 0755), 0);
  shim::JailSpec spec = ShellSpec(
      "touch /rodir/x 2>/dev/null || echo rodir-ro; "
      "grep ' /proc/sys ' /proc/self/mountinfo | cut -d' ' -f6");
  spec.readonly_paths = {"/rodir", "/proc/sys"};
  spec.masked_paths = {"/proc/timer_list"};
  shim::SetDetachedBindsForTesting(false);
  absl::StatusOr<RunResult> r = RunJailed(spec);
  shim::SetDetachedBindsForTesting(true);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "rodir-ro\nro,relatime\n");
}

// A read-only /proc covers the proc mount's root; the masks below must
// land on the read-only copy the container sees, not on the mount under it.
TEST_F(JailTest, MasksBelowAReadOnlyProcRootAreVisible) {
  shim::JailSpec spec = ShellSpec(
      "stat -c %t:%T /proc/timer_list; "
      "awk '$5 == \"/proc\" {print $6}' /proc/self/mountinfo");
  spec.readonly_paths = {"/proc"};
  spec.masked_paths = {"/proc/timer_list"};
  EXPECT_EQ(OutputOf(spec), "1:3\nrw,relatime\nro,relatime\n");
}

// Under a kept proc mount no symlink is followed, not even procfs' own.
TEST_F(JailTest, MaskedPathThroughAProcSymlinkIsRefused) {
  shim::JailSpec spec = ShellSpec("true");
  spec.masked_paths = {"/proc/self/status"};
  EXPECT_EQ(StartFailure(spec),
            "jail: maskedPaths[0] (/proc/self/status): is or crosses a "
            "symlink");
}

// The masks come from the host's /dev/null: a container without any /dev
// still gets them.
TEST_F(JailTest, MasksNeedNoDevInTheContainer) {
  ASSERT_TRUE(
      ocitest::WriteFile(absl::StrCat(rootfs(), "/etc/secret"), "s3cret").ok());
  shim::JailSpec spec = ShellSpec(
      "ls -A /dev | wc -l; stat -c %F:%t:%T /etc/secret; cat /etc/secret");
  spec.default_dev = false;
  spec.masked_paths = {"/etc/secret"};
  EXPECT_EQ(OutputOf(spec), "0\ncharacter special file:1:3\n");
}

TEST_F(JailTest, SysfsMaskAndMountOptions) {
  shim::JailSpec spec = ShellSpec(
      "awk '$5 == \"/sys\" || $5 == \"/sys/firmware\" {print $5, $6, $9}' "
      "/proc/self/mountinfo; "
      "grep ' /proc ' /proc/self/mountinfo | grep -o hidepid=[a-z0-9]*");
  spec.mounts[0].data = "hidepid=2";
  spec.mounts.push_back(Sysfs());
  spec.masked_paths = {"/sys/firmware"};
  EXPECT_EQ(OutputOf(spec),
            "/sys ro,nosuid,nodev,noexec,relatime sysfs\n"
            "/sys/firmware ro,relatime tmpfs\n"
            "hidepid=invisible\n");
}

TEST_F(JailTest, ProcMountOptionTheKernelRefusesNamesTheMount) {
  shim::JailSpec spec = ShellSpec("true");
  spec.mounts[0].data = "no_such_option";
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts[0] (/proc): mount: Invalid argument");
}

TEST_F(JailTest, SysfsMountPointThatIsASymlinkIsRefused) {
  const std::string sys = absl::StrCat(rootfs(), "/sys");
  ASSERT_EQ(rmdir(sys.c_str()), 0);
  ASSERT_EQ(symlink("tmp", sys.c_str()), 0);
  shim::JailSpec spec = ShellSpec("true");
  spec.mounts.push_back(Sysfs());
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts[1] (/sys): sysfs mount point is or crosses a "
            "symlink");
}

// A missing proc mount point is created, as for every other mount.
TEST_F(JailTest, MissingProcMountPointIsCreated) {
  shim::JailSpec spec = ShellSpec("stat -c %F:%t:%T /run/p/timer_list");
  spec.mounts[0].target = "/run/p";
  spec.masked_paths = {"/run/p/timer_list"};
  EXPECT_EQ(OutputOf(spec), "character special file:1:3\n");
}

TEST_F(JailTest, TooManyProcMountsAreRefused) {
  shim::JailSpec spec = ShellSpec("true");
  for (int i = 0; i < shim::KeptMounts::kMaxPseudoFs; ++i) {
    spec.mounts.push_back(spec.mounts[0]);
  }
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts: more than 16 proc and sysfs mounts");
}

}  // namespace
}  // namespace shimtest
