// rootfsPropagation, every value, read back from the optional fields of
// the container's mountinfo. The rootfs lives on a shared tmpfs of the
// test's, so that "slave" has a master to show.
#include <sys/mount.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/rootfs.h"

namespace shimtest {
namespace {

struct PropagationCase {
  const char* name;
  unsigned long flags;
  // The optional fields of "/" and of /proc (a spec mount on top of it):
  // each tag is expected present or absent.
  bool root_shared, root_master, root_unbindable;
  bool proc_shared, proc_unbindable;
};

// The tags ("shared:N", "master:N", "unbindable") of the mountinfo line
// whose mount point is `point`, without their numbers.
std::string Tags(const std::string& mountinfo, const std::string& point) {
  std::string tags;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() < 7 || f[4] != point) continue;
    tags.clear();
    for (size_t i = 6; i < f.size() && f[i] != "-"; ++i) {
      absl::StrAppend(&tags, tags.empty() ? "" : " ",
                      f[i].substr(0, f[i].find(':')));
    }
  }
  return tags;
}

class RootPropagationTest
    : public JailTest,
      public ::testing::WithParamInterface<PropagationCase> {};

TEST_P(RootPropagationTest, ShowsInMountinfo) {
  const PropagationCase& c = GetParam();
  const std::string shared = dir().Sub("shared");
  ASSERT_EQ(mkdir(shared.c_str(), 0755), 0);
  ASSERT_EQ(mount("tmpfs", shared.c_str(), "tmpfs", 0, "size=16m"), 0);
  absl::Cleanup unmount = [&shared] { umount2(shared.c_str(), MNT_DETACH); };
  ASSERT_EQ(mount(nullptr, shared.c_str(), nullptr, MS_SHARED, nullptr), 0);
  const std::string rootfs = shared + "/rootfs";
  ASSERT_TRUE(ocitest::MakeBusyboxRootfs(rootfs).ok());

  shim::JailSpec spec = ShellSpec("cat /proc/self/mountinfo");
  spec.rootfs = rootfs;
  spec.rootfs_propagation = c.flags;
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << c.name << ": " << r.status();
  const std::string root = Tags(r->out, "/");
  const std::string proc = Tags(r->out, "/proc");
  EXPECT_EQ(absl::StrContains(root, "shared"), c.root_shared) << root;
  EXPECT_EQ(absl::StrContains(root, "master"), c.root_master) << root;
  EXPECT_EQ(absl::StrContains(root, "unbindable"), c.root_unbindable) << root;
  EXPECT_EQ(absl::StrContains(proc, "shared"), c.proc_shared) << proc;
  EXPECT_EQ(absl::StrContains(proc, "unbindable"), c.proc_unbindable) << proc;
  // Nothing the container mounted reached the test's shared tmpfs.
  absl::StatusOr<std::string> host = ocitest::ReadFile("/proc/self/mountinfo");
  ASSERT_TRUE(host.ok());
  EXPECT_FALSE(absl::StrContains(*host, rootfs)) << *host;
}

// shared: a new peer group on the root, still a slave of the host's (the
// spec: "does not mean that it's shared with the host"); slave: receives
// from the host's peer group; private: neither; unbindable: private and
// marked so. The r forms reach the spec's /proc too.
INSTANTIATE_TEST_SUITE_P(
    EveryValue, RootPropagationTest,
    ::testing::Values(
        PropagationCase{"shared", MS_SHARED, true, true, false, false, false},
        PropagationCase{"rshared", MS_REC | MS_SHARED, true, true, false, true,
                        false},
        PropagationCase{"slave", MS_SLAVE, false, true, false, false, false},
        PropagationCase{"rslave", MS_REC | MS_SLAVE, false, true, false, false,
                        false},
        PropagationCase{"private", MS_PRIVATE, false, false, false, false,
                        false},
        PropagationCase{"rprivate", MS_REC | MS_PRIVATE, false, false, false,
                        false, false},
        PropagationCase{"unbindable", MS_UNBINDABLE, false, false, true, false,
                        false},
        PropagationCase{"runbindable", MS_REC | MS_UNBINDABLE, false, false,
                        true, false, true},
        PropagationCase{"default", 0, false, false, false, false, false}),
    [](const ::testing::TestParamInfo<PropagationCase>& info) {
      return std::string(info.param.name);
    });

// Read-only and masked paths are binds made after pivot_root: an
// unbindable root must not refuse them (they are applied before it is
// made unbindable).
TEST_F(JailTest, UnbindableRootWithReadonlyAndMaskedPaths) {
  ASSERT_EQ(mkdir(absl::StrCat(rootfs(), "/rodir").c_str(), 0755), 0);
  shim::JailSpec spec = ShellSpec(
      "touch /rodir/x 2>/dev/null || echo ro; cat /proc/timer_list | wc -c; "
      "awk '$5 == \"/\" || $5 == \"/proc\"' /proc/self/mountinfo | grep -c "
      "unbindable");
  spec.rootfs_propagation = MS_REC | MS_UNBINDABLE;
  spec.readonly_paths = {"/rodir", "/proc/sys"};
  spec.masked_paths = {"/proc/timer_list"};
  EXPECT_EQ(OutputOf(spec), "ro\n0\n2\n");
}

}  // namespace
}  // namespace shimtest
