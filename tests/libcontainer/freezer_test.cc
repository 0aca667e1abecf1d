// The freezer against fake hierarchies (files the test writes, standing in
// for the kernel's) and against the real kernel with forked processes.
#include "libcontainer/freezer.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroups.h"
#include "tests/libcontainer/fake_cgroup_root.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ocitest::ReadFile;
using ocitest::TempDir;
using ocitest::WriteFile;

std::string Trim(const absl::StatusOr<std::string>& s) {
  return s.ok() ? std::string(absl::StripAsciiWhitespace(*s)) : "<error>";
}

class FakeFreezerTest : public FakeCgroupRootTest {
 protected:
  FakeFreezerTest() : FakeCgroupRootTest("lc-freezer") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FakeCgroupRootTest::SetUp());
    MakeDirs({"freezer", "freezer/c", "unified", "unified/c"});
  }
};

TEST_F(FakeFreezerTest, PicksV1FreezerOnHybridHostsElseCgroup2) {
  CgroupHierarchies hybrid;
  hybrid.v1["freezer"] = dir_->Sub("freezer");
  hybrid.v1["memory"] = dir_->Sub("memory");
  hybrid.unified = dir_->Sub("unified");
  Freezer f = ContainerFreezer(Cgroups::Existing(hybrid, "c"));
  EXPECT_EQ(f.kind, FreezerKind::kV1);
  EXPECT_EQ(f.dir, dir_->Sub("freezer/c"));

  CgroupHierarchies v2;
  v2.unified = dir_->Sub("unified");
  f = ContainerFreezer(Cgroups::Existing(v2, "c"));
  EXPECT_EQ(f.kind, FreezerKind::kV2);
  EXPECT_EQ(f.dir, dir_->Sub("unified/c"));

  CgroupHierarchies none;
  none.v1["memory"] = dir_->Sub("memory");
  Cgroups no_freezer = Cgroups::Existing(none, "c");
  EXPECT_EQ(ContainerFreezer(no_freezer).kind, FreezerKind::kNone);
  absl::Status s = Freeze(no_freezer);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_EQ(IsFrozen(no_freezer).value_or(true), false);
}

TEST_F(FakeFreezerTest, V1WritesFrozenAndThawedAndReadsTheState) {
  Freezer f{FreezerKind::kV1, dir_->Sub("freezer/c")};
  ASSERT_TRUE(WriteFile(f.dir + "/freezer.state", "THAWED\n").ok());
  EXPECT_EQ(IsFrozen(f).value_or(true), false);
  ASSERT_TRUE(Freeze(f).ok());
  EXPECT_EQ(Trim(ReadFile(f.dir + "/freezer.state")), "FROZEN");
  EXPECT_EQ(IsFrozen(f).value_or(false), true);
  ASSERT_TRUE(Thaw(f).ok());
  EXPECT_EQ(Trim(ReadFile(f.dir + "/freezer.state")), "THAWED");
  EXPECT_EQ(IsFrozen(f).value_or(true), false);
}

// runc's rule: FROZEN because an ancestor is frozen is not "paused".
TEST_F(FakeFreezerTest, V1FrozenByAnAncestorIsNotPaused) {
  Freezer f{FreezerKind::kV1, dir_->Sub("freezer/c")};
  ASSERT_TRUE(WriteFile(f.dir + "/freezer.state", "FROZEN\n").ok());
  ASSERT_TRUE(WriteFile(f.dir + "/freezer.self_freezing", "0\n").ok());
  EXPECT_EQ(IsFrozen(f).value_or(true), false);
  ASSERT_TRUE(WriteFile(f.dir + "/freezer.self_freezing", "1\n").ok());
  EXPECT_EQ(IsFrozen(f).value_or(false), true);
  ASSERT_TRUE(WriteFile(f.dir + "/freezer.state", "FREEZING\n").ok());
  EXPECT_EQ(IsFrozen(f).value_or(false), true);
}

TEST_F(FakeFreezerTest, V2WaitsForCgroupEvents) {
  Freezer f{FreezerKind::kV2, dir_->Sub("unified/c")};
  ASSERT_TRUE(WriteFile(f.dir + "/cgroup.freeze", "0\n").ok());
  ASSERT_TRUE(
      WriteFile(f.dir + "/cgroup.events", "populated 1\nfrozen 1\n").ok());
  ASSERT_TRUE(Freeze(f).ok());
  EXPECT_EQ(Trim(ReadFile(f.dir + "/cgroup.freeze")), "1");
  EXPECT_EQ(IsFrozen(f).value_or(false), true);
  ASSERT_TRUE(
      WriteFile(f.dir + "/cgroup.events", "populated 1\nfrozen 0\n").ok());
  ASSERT_TRUE(Thaw(f).ok());
  EXPECT_EQ(Trim(ReadFile(f.dir + "/cgroup.freeze")), "0");
  EXPECT_EQ(IsFrozen(f).value_or(true), false);
}

TEST_F(FakeFreezerTest, GoneCgroupIsNotFrozen) {
  Freezer v1{FreezerKind::kV1, dir_->Sub("freezer/gone")};
  Freezer v2{FreezerKind::kV2, dir_->Sub("unified/gone")};
  EXPECT_EQ(IsFrozen(v1).value_or(true), false);
  EXPECT_EQ(IsFrozen(v2).value_or(true), false);
  EXPECT_FALSE(Freeze(v1).ok());
}

TEST(EventsSayFrozen, ReadsTheFrozenKey) {
  EXPECT_TRUE(EventsSayFrozen("populated 1\nfrozen 1\n"));
  EXPECT_FALSE(EventsSayFrozen("populated 1\nfrozen 0\n"));
  EXPECT_FALSE(EventsSayFrozen("populated 0\n"));
  EXPECT_FALSE(EventsSayFrozen(""));
}

// A child that increments *counter (shared memory) as fast as it can.
pid_t ForkCounter(volatile uint64_t* counter) {
  pid_t pid = fork();
  if (pid == 0) {
    while (true) ++*counter;
  }
  return pid;
}

// Freeze and thaw against the kernel, in both freezers: the counter stops
// while frozen and moves again after the thaw.
void FreezeRealCounter(const CgroupHierarchies& h, const std::string& rel,
                       bool force_v2) {
  void* shared = mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(shared, MAP_FAILED);
  volatile uint64_t* counter = static_cast<volatile uint64_t*>(shared);
  absl::Cleanup unmap = [shared] { munmap(shared, sizeof(uint64_t)); };
  auto cg = Cgroups::Create(h, rel, Resources{}, std::nullopt);
  ASSERT_TRUE(cg.ok()) << cg.status();
  Freezer f = ContainerFreezer(*cg);
  if (force_v2) f = Freezer{FreezerKind::kV2, cg->unified_dir()};
  pid_t pid = ForkCounter(counter);
  ASSERT_GT(pid, 0);
  absl::Cleanup reap = [&] {
    (void)Thaw(f);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    EXPECT_TRUE(cg->Remove().ok());
  };
  ASSERT_TRUE(cg->AddProcess(pid).ok());
  absl::Time started = absl::Now() + absl::Seconds(10);
  while (*counter == 0 && absl::Now() < started) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_NE(*counter, 0u) << "the counter never started";
  ASSERT_TRUE(Freeze(f).ok());
  EXPECT_EQ(IsFrozen(f).value_or(false), true);
  uint64_t frozen_at = *counter;
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(*counter, frozen_at);
  ASSERT_TRUE(Thaw(f).ok());
  EXPECT_EQ(IsFrozen(f).value_or(true), false);
  // Under load the thawed child may wait for a CPU: wait for it, bounded.
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (*counter == frozen_at && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_NE(*counter, frozen_at);
  // SIGKILL reaches a v2-frozen task; a v1-frozen one only once thawed.
  ASSERT_TRUE(Freeze(f).ok());
  kill(pid, SIGKILL);
  if (!force_v2 && f.kind == FreezerKind::kV1) {
    absl::SleepFor(absl::Milliseconds(50));
    EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), 0) << "died while frozen";
    ASSERT_TRUE(Thaw(f).ok());
  }
  EXPECT_EQ(waitpid(pid, nullptr, 0), pid);
}

TEST(HostFreezer, V1FreezerStopsAndResumesACounter) {
  std::string id = ocitest::UniqueName("lcfreeze");
  ocitest::LeakChecker checker({id});
  auto h = DiscoverCgroupHierarchies();
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_TRUE(h->v1.count("freezer")) << "this test expects a v1 freezer";
  FreezeRealCounter(*h, id, /*force_v2=*/false);
  EXPECT_EQ(checker.FindLeaks(), "");
}

// The cgroup2 freezer is a core file of every non-root cgroup2 directory,
// so the hybrid host's controller-less tree has it too: the container's
// cgroup2 directory is frozen instead of its v1 freezer.
TEST(HostFreezer, Cgroup2FreezeStopsAndResumesACounter) {
  std::string id = ocitest::UniqueName("lcfreeze2");
  ocitest::LeakChecker checker({id});
  auto h = DiscoverCgroupHierarchies();
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_FALSE(h->unified.empty()) << "this test expects a cgroup2 mount";
  FreezeRealCounter(*h, id, /*force_v2=*/true);
  EXPECT_EQ(checker.FindLeaks(), "");
}

}  // namespace
}  // namespace libcontainer
