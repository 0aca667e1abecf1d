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
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

using ::testing::HasSubstr;

shim::MountSpec CgroupMount() {
  return MakeMount("cgroup", "/sys/fs/cgroup", "cgroup",
                   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME);
}

// Mount point, options, root within the hierarchy and type of what the
// container sees under /sys/fs/cgroup.
constexpr char kListCgroupMounts[] =
    "awk '$5 ~ /^\\/sys\\/fs\\/cgroup/ {print $5, $6, $4, $(NF-2)}' "
    "/proc/self/mountinfo";

TEST_F(JailTest, CgroupMountIsTmpfsWithReadOnlyBinds) {
  const std::string name = ocitest::UniqueName("shimtest");
  const std::string cgroup = absl::StrCat("/sys/fs/cgroup/pids/", name);
  ASSERT_EQ(mkdir(cgroup.c_str(), 0755), 0);
  absl::Cleanup remove = [&] { EXPECT_EQ(rmdir(cgroup.c_str()), 0); };
  shim::JailSpec spec = ShellSpec(kListCgroupMounts);
  spec.mounts.push_back(CgroupMount());
  spec.cgroup_binds = {{"/sys/fs/cgroup/memory", "memory"}, {cgroup, "pids"}};
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StrContains(
      out, "/sys/fs/cgroup rw,nosuid,nodev,noexec,relatime / tmpfs\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(
      out, "/sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime / cgroup\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(
      out, absl::StrCat("/sys/fs/cgroup/pids ro,nosuid,nodev,noexec,",
                        "relatime /", name, " cgroup\n")))
      << out;
  EXPECT_FALSE(absl::StrContains(out, "unified")) << out;
}

// A cgroup2-only host's container sees its cgroup2 directory at the mount.
TEST_F(JailTest, CgroupMountOfOneUnnamedDirectoryIsThatDirectory) {
  const std::string v2 = access("/sys/fs/cgroup/unified/cgroup.procs", F_OK)
                             ? "/sys/fs/cgroup"
                             : "/sys/fs/cgroup/unified";
  shim::JailSpec spec = ShellSpec(kListCgroupMounts);
  spec.mounts.push_back(CgroupMount());
  spec.cgroup_binds = {{v2, ""}};
  EXPECT_EQ(OutputOf(spec),
            "/sys/fs/cgroup ro,nosuid,nodev,noexec,relatime / cgroup2\n");
}

TEST_F(JailTest, CgroupMountNeedsDirectoriesWithEntryNames) {
  shim::JailSpec spec = ShellSpec("true");
  spec.mounts.push_back(CgroupMount());
  EXPECT_THAT(StartFailure(spec), HasSubstr("no cgroup directories to bind"));
  spec.cgroup_binds = {{"/sys/fs/cgroup/memory", "memory"},
                       {"/sys/fs/cgroup/pids", "../pids"}};
  EXPECT_THAT(StartFailure(spec), HasSubstr("is not one entry"));
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
