// Cgroup-related jail behaviour: the "cgroup" mount type and a cgroup
// namespace rooted at the container's cgroup.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/cgroup_mount.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

constexpr char kV1MountInfo[] =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";

TEST(CgroupBindsTest, V1HierarchiesBindTheProcessCgroups) {
  absl::StatusOr<std::vector<shim::CgroupBind>> binds = shim::CgroupBindsFrom(
      kV1MountInfo,
      "12:cpu,cpuacct:/ctr\n5:memory:/\n1:name=systemd:/ctr\n0::/ctr\n");
  ASSERT_TRUE(binds.ok()) << binds.status();
  ASSERT_EQ(binds->size(), 3u);
  EXPECT_EQ((*binds)[0].source, "/sys/fs/cgroup/cpu,cpuacct/ctr");
  EXPECT_EQ((*binds)[0].name, "cpu,cpuacct");
  EXPECT_EQ((*binds)[1].source, "/sys/fs/cgroup/memory");
  EXPECT_EQ((*binds)[1].name, "memory");
  EXPECT_EQ((*binds)[2].source, "/sys/fs/cgroup/systemd/ctr");
  EXPECT_EQ((*binds)[2].name, "systemd");
}

TEST(CgroupBindsTest, PureV2BindsTheCgroupItself) {
  absl::StatusOr<std::vector<shim::CgroupBind>> binds = shim::CgroupBindsFrom(
      "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/a/b\n");
  ASSERT_TRUE(binds.ok()) << binds.status();
  ASSERT_EQ(binds->size(), 1u);
  EXPECT_EQ((*binds)[0].source, "/sys/fs/cgroup/a/b");
  EXPECT_EQ((*binds)[0].name, "");
}

TEST(CgroupBindsTest, NoHierarchyIsAnError) {
  EXPECT_FALSE(shim::CgroupBindsFrom("", "0::/\n").ok());
}

TEST_F(JailTest, CgroupMountIsTmpfsWithReadOnlyBinds) {
  shim::JailSpec spec = ShellSpec(
      "awk '$5 ~ /^\\/sys\\/fs\\/cgroup/ {print $5, $6, $(NF-2)}' "
      "/proc/self/mountinfo");
  shim::MountSpec m;
  m.source = "cgroup";
  m.target = "/sys/fs/cgroup";
  m.type = "cgroup";
  m.flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME;
  spec.mounts.push_back(m);
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(absl::StrContains(
      r->out, "/sys/fs/cgroup rw,nosuid,nodev,noexec,relatime tmpfs\n"))
      << r->out;
  EXPECT_TRUE(absl::StrContains(
      r->out, "/sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime cgroup\n"))
      << r->out;
  EXPECT_FALSE(absl::StrContains(r->out, "unified")) << r->out;
}

TEST_F(JailTest, CgroupNamespaceIsRootedAtTheContainerCgroup) {
  const std::string cgroup =
      absl::StrCat("/sys/fs/cgroup/pids/", ocitest::UniqueName("shimtest"));
  ASSERT_EQ(mkdir(cgroup.c_str(), 0755), 0);
  absl::Cleanup remove = [&] { EXPECT_EQ(rmdir(cgroup.c_str()), 0); };
  shim::JailSpec spec = ShellSpec("grep ':pids:' /proc/self/cgroup");
  spec.namespaces.push_back({CLONE_NEWCGROUP, ""});
  absl::StatusOr<RunResult> r =
      RunJailed(spec, [&](shim::SyncPoint p, pid_t pid) -> absl::Status {
        if (p != shim::SyncPoint::kCloned) return absl::OkStatus();
        return ocitest::WriteFile(cgroup + "/cgroup.procs", absl::StrCat(pid));
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(absl::EndsWith(r->out, ":pids:/\n")) << r->out;
}

}  // namespace
}  // namespace shimtest
