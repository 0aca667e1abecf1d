// Cgroups and loop devices against the real kernel, without a jail: a
// forked child stands in for the container's process.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroups.h"
#include "libcontainer/loop_device.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ocitest::ReadFile;
using ::testing::HasSubstr;

std::string Trim(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

// A child that, once released through *release_fd, forks a grandchild:
// released only after it joined the cgroup, so the grandchild is born
// inside it and KillAll has two processes to find.
pid_t ForkSleeper(int* release_fd) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[1]);
    char c;
    if (read(fds[0], &c, 1) == 1 && fork() == 0) {
      while (true) pause();
    }
    while (true) pause();
  }
  close(fds[0]);
  *release_fd = fds[1];
  return pid;
}

TEST(HostCgroups, CreateLimitAddKillRemove) {
  std::string id = ocitest::UniqueName("lchost");
  ocitest::LeakChecker checker({id});
  auto h = DiscoverCgroupHierarchies();
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_FALSE(h->unified_only()) << "this test expects a v1/hybrid host";
  Resources r;
  r.memory.emplace();
  r.memory->limit = 32 << 20;
  r.memory->swap = 64 << 20;
  r.memory->kernel = 1 << 20;  // gone on new kernels: warned, not fatal
  r.cpu.emplace();
  r.cpu->quota = 20000;
  r.cpu->period = 100000;
  r.pids = PidsResources{50};
  r.unified["cgroup.max.descendants"] = "5";
  std::string rel = absl::StrCat(id, "/leaf");
  auto cg = Cgroups::Create(*h, rel, r, CgroupOwner{4242, 4343});
  ASSERT_TRUE(cg.ok()) << cg.status();
  std::string mem = cg->V1Dir("memory");
  EXPECT_EQ(Trim(*ReadFile(mem + "/memory.limit_in_bytes")), "33554432");
  EXPECT_EQ(Trim(*ReadFile(mem + "/memory.memsw.limit_in_bytes")), "67108864");
  EXPECT_EQ(Trim(*ReadFile(cg->V1Dir("cpu") + "/cpu.cfs_quota_us")), "20000");
  EXPECT_EQ(Trim(*ReadFile(cg->V1Dir("pids") + "/pids.max")), "50");
  EXPECT_EQ(Trim(*ReadFile(cg->unified_dir() + "/cgroup.max.descendants")),
            "5");
  auto devices = ReadFile(cg->V1Dir("devices") + "/devices.list");
  ASSERT_TRUE(devices.ok());
  EXPECT_THAT(*devices, HasSubstr("c 1:3 rwm"));
  EXPECT_THAT(*devices, ::testing::Not(HasSubstr("a *:* rwm")));
  struct stat st;
  ASSERT_EQ(stat(mem.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4242u);
  ASSERT_EQ(stat((mem + "/cgroup.procs").c_str(), &st), 0);
  EXPECT_EQ(st.st_gid, 4343u);

  int release = -1;
  pid_t pid = ForkSleeper(&release);
  ASSERT_GT(pid, 0);
  absl::Status added = cg->AddProcess(pid);
  ASSERT_EQ(write(release, "x", 1), 1);
  close(release);
  ASSERT_TRUE(added.ok()) << added;
  auto self = ReadFile(absl::StrCat("/proc/", pid, "/cgroup"));
  ASSERT_TRUE(self.ok());
  EXPECT_THAT(*self, HasSubstr(absl::StrCat(":memory:/", rel, "\n")));
  EXPECT_THAT(*self, HasSubstr(absl::StrCat("0::/", rel, "\n")));
  // Let the grandchild appear.
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    auto procs = ReadFile(mem + "/cgroup.procs");
    if (std::count(procs->begin(), procs->end(), '\n') == 2) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(cg->KillAll().ok());
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_TRUE(cg->Remove().ok());
  EXPECT_EQ(checker.FindLeaks(), "");
}

TEST(HostCgroups, RtRuntimeOrUnsupportedError) {
  std::string id = ocitest::UniqueName("lchost");
  ocitest::LeakChecker checker({id});
  auto h = DiscoverCgroupHierarchies();
  ASSERT_TRUE(h.ok());
  Resources r;
  r.cpu.emplace();
  r.cpu->realtime_period = 1000000;
  r.cpu->realtime_runtime = 1000;
  auto cg = Cgroups::Create(*h, absl::StrCat(id, "/a/b"), r, std::nullopt);
  struct stat st;
  if (stat("/sys/fs/cgroup/cpu/cpu.rt_runtime_us", &st) == 0) {
    // Set on the created parents first, or the kernel refuses the leaf.
    ASSERT_TRUE(cg.ok()) << cg.status();
    EXPECT_EQ(Trim(*ReadFile(absl::StrCat("/sys/fs/cgroup/cpu/", id,
                                          "/cpu.rt_runtime_us"))),
              "1000");
    ASSERT_TRUE(cg->Remove().ok());
  } else {
    ASSERT_FALSE(cg.ok());
    EXPECT_THAT(cg.status().message(), HasSubstr("cpu.rt_period_us"));
  }
  EXPECT_EQ(checker.FindLeaks(), "");
}

TEST(HostLoop, AttachReadOnlyAndAutoclear) {
  auto dir = ocitest::TempDir::Create("lcloop");
  ASSERT_TRUE(dir.ok());
  ocitest::LeakChecker checker({dir->path()});
  std::string content = dir->Sub("c");
  ASSERT_EQ(mkdir(content.c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(content + "/f", "x").ok());
  std::string image = dir->Sub("img.sqfs");
  auto r = ocitest::RunCommand({"mksquashfs", content, image, "-quiet"});
  ASSERT_TRUE(r.ok() && r->exit_code == 0);
  {
    auto loop = LoopDevice::Attach(image, /*read_only=*/true);
    ASSERT_TRUE(loop.ok()) << loop.status();
    std::string name = loop->path().substr(5);  // "loopN"
    EXPECT_EQ(Trim(*ReadFile(
                  absl::StrCat("/sys/block/", name, "/loop/backing_file"))),
              image);
    EXPECT_EQ(Trim(*ReadFile(absl::StrCat("/sys/block/", name, "/ro"))), "1");
    EXPECT_EQ(
        Trim(*ReadFile(absl::StrCat("/sys/block/", name, "/loop/autoclear"))),
        "1");
  }
  absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (!checker.LoopDevices().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(checker.FindLeaks(), "");

  auto missing = LoopDevice::Attach(dir->Sub("nope"), true);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("loop mount: open image"));
}

}  // namespace
}  // namespace libcontainer
