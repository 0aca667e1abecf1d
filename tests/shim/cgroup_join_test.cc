// JailSpec::cgroup_joins and cgroup2_dir_fd: the child joins cgroups itself
// (v1 "tasks" writes of "0", clone3 CLONE_INTO_CGROUP for cgroup2) and a
// failed join is one error naming the file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

// A fresh cgroup under `hierarchy`, removed at the end of the test.
class CgroupJoinTest : public JailTest {
 protected:
  std::string MakeCgroup(const std::string& hierarchy) {
    std::string dir = absl::StrCat(hierarchy, "/", ocitest::UniqueName("join"));
    EXPECT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    made_.push_back(dir);
    return dir;
  }
  void TearDown() override {
    for (const std::string& dir : made_) EXPECT_EQ(rmdir(dir.c_str()), 0);
    JailTest::TearDown();
  }
  std::vector<std::string> made_;
};

TEST_F(CgroupJoinTest, ChildJoinsV1AndCgroup2Itself) {
  const std::string pids = MakeCgroup("/sys/fs/cgroup/pids");
  const std::string memory = MakeCgroup("/sys/fs/cgroup/memory");
  const std::string unified = MakeCgroup("/sys/fs/cgroup/unified");
  base::ScopedFd pids_tasks(
      open((pids + "/tasks").c_str(), O_WRONLY | O_CLOEXEC));
  base::ScopedFd memory_tasks(
      open((memory + "/tasks").c_str(), O_WRONLY | O_CLOEXEC));
  base::ScopedFd unified_dir(
      open(unified.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(pids_tasks && memory_tasks && unified_dir);

  shim::JailSpec spec = ShellSpec("cat /proc/self/cgroup");
  spec.cgroup_joins = {{pids_tasks.get(), pids + "/tasks"},
                       {memory_tasks.get(), memory + "/tasks"}};
  spec.cgroup2_dir_fd = unified_dir.get();
  const std::string out = OutputOf(spec);
  auto leaf = [](const std::string& dir) { return dir.substr(dir.rfind('/')); };
  EXPECT_TRUE(absl::StrContains(out, ":pids:" + leaf(pids) + "\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, ":memory:" + leaf(memory) + "\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "0::" + leaf(unified) + "\n")) << out;
}

TEST_F(CgroupJoinTest, FailedJoinNamesTheFile) {
  const std::string pids = MakeCgroup("/sys/fs/cgroup/pids");
  // Read-only: the child's write fails with EBADF.
  base::ScopedFd tasks(open((pids + "/tasks").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(tasks);
  shim::JailSpec spec = ShellSpec("true");
  spec.cgroup_joins = {{tasks.get(), pids + "/tasks"}};
  EXPECT_EQ(StartFailure(spec),
            absl::StrCat("jail: cgroups[0] (", pids,
                         "/tasks): write: Bad file descriptor"));
}

}  // namespace
}  // namespace shimtest
