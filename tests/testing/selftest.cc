// Tests of the test helpers themselves: a leak checker that never finds
// anything would make every integration test's assertion worthless.
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/rootfs.h"
#include "tests/testing/temp_dir.h"

namespace ocitest {
namespace {

TEST(TestSupport, BusyboxRootfsRunsShell) {
  auto dir = TempDir::Create();
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(MakeBusyboxRootfs(dir->Sub("rootfs")).ok());
  auto result = RunCommand({"chroot", dir->Sub("rootfs"), "/bin/sh", "-c",
                            "echo hi; cat /etc/passwd | head -1"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0) << result->err;
  EXPECT_EQ(result->out, "hi\nroot:x:0:0:root:/root:/bin/sh\n");
}

TEST(TestSupport, RunCommandPassesStdinAndExitCode) {
  auto result = RunCommand({"sh", "-c", "cat; echo err >&2; exit 7"}, "input");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 7);
  EXPECT_EQ(result->out, "input");
  EXPECT_EQ(result->err, "err\n");
}

TEST(TestSupport, LeakCheckerFindsMountAndProcess) {
  auto dir = TempDir::Create();
  ASSERT_TRUE(dir.ok());
  LeakChecker checker({dir->path()});
  EXPECT_EQ(checker.FindLeaks(), "");

  ASSERT_EQ(mount("tmpfs", dir->path().c_str(), "tmpfs", 0, nullptr), 0);
  EXPECT_EQ(checker.Mounts(), std::vector<std::string>{dir->path()});
  ASSERT_EQ(umount2(dir->path().c_str(), MNT_DETACH), 0);

  // A background process orphaned by its parent is reparented to us.
  auto result = RunCommand({"sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!"});
  ASSERT_TRUE(result.ok());
  pid_t orphan = std::stoi(result->out);
  std::vector<pid_t> procs = checker.Processes();
  EXPECT_NE(std::find(procs.begin(), procs.end(), orphan), procs.end());
  kill(orphan, SIGKILL);
  waitpid(orphan, nullptr, 0);
  EXPECT_EQ(checker.FindLeaks(), "");
}

}  // namespace
}  // namespace ocitest
