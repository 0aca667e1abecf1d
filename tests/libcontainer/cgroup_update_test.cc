// Cgroups::Update: the order of writes for limits already in force, the
// device rules left alone, and real v1 memory/memsw raises and cuts.
#include "libcontainer/cgroup_update.h"

#include <sys/stat.h>

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
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
using ::testing::HasSubstr;

std::string Trim(const absl::StatusOr<std::string>& s) {
  return s.ok() ? std::string(absl::StripAsciiWhitespace(*s)) : "<error>";
}

CgroupWrite Memory(const char* file, const char* value) {
  return CgroupWrite{"memory", file, value};
}

std::vector<std::string> Files(const std::vector<CgroupWrite>& writes) {
  std::vector<std::string> files;
  for (const CgroupWrite& w : writes) files.push_back(w.file);
  return files;
}

const std::vector<CgroupWrite> kBoth = {
    CgroupWrite{"cpu", "cpu.shares", "512"},
    Memory("memory.limit_in_bytes", "200"),
    Memory("memory.memsw.limit_in_bytes", "400"),
    CgroupWrite{"pids", "pids.max", "5"},
};

TEST(OrderForLiveCgroup, RaisingPutsMemswFirst) {
  // In force: 100 (memsw >= 100). The new memsw 400 > 100: memsw first.
  EXPECT_THAT(
      Files(OrderForLiveCgroup(kBoth, 100)),
      ::testing::ElementsAre("cpu.shares", "memory.memsw.limit_in_bytes",
                             "memory.limit_in_bytes", "pids.max"));
}

TEST(OrderForLiveCgroup, CuttingKeepsMemoryFirst) {
  // In force: 1000 (memsw >= 1000). memsw 400 < 1000: memory must drop to
  // 200 before memsw may go below the current memory limit.
  EXPECT_THAT(
      Files(OrderForLiveCgroup(kBoth, 1000)),
      ::testing::ElementsAre("cpu.shares", "memory.limit_in_bytes",
                             "memory.memsw.limit_in_bytes", "pids.max"));
}

TEST(OrderForLiveCgroup, UnlimitedMemswGoesFirst) {
  std::vector<CgroupWrite> writes = {
      Memory("memory.limit_in_bytes", "-1"),
      Memory("memory.memsw.limit_in_bytes", "-1")};
  EXPECT_THAT(Files(OrderForLiveCgroup(writes, 1000)),
              ::testing::ElementsAre("memory.memsw.limit_in_bytes",
                                     "memory.limit_in_bytes"));
}

TEST(OrderForLiveCgroup, OnlyOneOfThemOrUnknownLimitKeepsTheOrder) {
  std::vector<CgroupWrite> one = {Memory("memory.limit_in_bytes", "200")};
  EXPECT_EQ(OrderForLiveCgroup(one, 100), one);
  EXPECT_EQ(OrderForLiveCgroup(kBoth, std::nullopt), kBoth);
}

class FakeUpdateTest : public FakeCgroupRootTest {
 protected:
  FakeUpdateTest() : FakeCgroupRootTest("lc-update") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FakeCgroupRootTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(MakeHierarchies({"memory", "devices", "pids"}));
    MakeDirs({"memory/c", "devices/c", "pids/c", "unified/c"});
    for (const char* file :
         {"memory/c/memory.limit_in_bytes",
          "memory/c/memory.memsw.limit_in_bytes",
          "memory/c/memory.soft_limit_in_bytes", "pids/c/pids.max"}) {
      ASSERT_TRUE(WriteFile(dir_->Sub(file), "").ok());
    }
  }
};

TEST_F(FakeUpdateTest, WritesTheLimitsAndLeavesDevicesAlone) {
  Cgroups cg = Cgroups::Existing(h_, "c");
  Resources r;
  r.memory.emplace();
  r.memory->limit = 64 << 20;
  r.memory->reservation = 0;  // engines' "not set"
  r.pids = PidsResources{0};  // a real limit (runtime-spec 1.3)
  r.devices.push_back(CgroupDeviceRule{true, 'c', 1, 3, "rwm"});
  ASSERT_TRUE(cg.Update(h_, r).ok());
  EXPECT_EQ(Trim(ReadFile(dir_->Sub("memory/c/memory.limit_in_bytes"))),
            "67108864");
  EXPECT_EQ(Trim(ReadFile(dir_->Sub("memory/c/memory.soft_limit_in_bytes"))),
            "");
  EXPECT_EQ(Trim(ReadFile(dir_->Sub("pids/c/pids.max"))), "0");
  // No devices.deny "a" on a running container: it would cut its devices
  // off between the deny and the allows.
  struct stat st;
  EXPECT_NE(stat(dir_->Sub("devices/c/devices.deny").c_str(), &st), 0);
  EXPECT_NE(stat(dir_->Sub("devices/c/devices.allow").c_str(), &st), 0);
}

TEST_F(FakeUpdateTest, CheckBeforeUpdateRefusesALimitBelowUsage) {
  ASSERT_TRUE(
      WriteFile(dir_->Sub("memory/c/memory.usage_in_bytes"), "5000\n").ok());
  Cgroups cg = Cgroups::Existing(h_, "c");
  Resources r;
  r.memory.emplace();
  r.memory->limit = 4096;
  r.memory->check_before_update = true;
  absl::Status s = cg.Update(h_, r);
  EXPECT_THAT(s.message(), HasSubstr("below the current usage 5000")) << s;
  EXPECT_EQ(Trim(ReadFile(dir_->Sub("memory/c/memory.limit_in_bytes"))), "");
  r.memory->limit = 8192;
  EXPECT_TRUE(cg.Update(h_, r).ok());
}

// Against the kernel: raising both limits past memsw and cutting both
// below the memory limit each need their own order.
TEST(HostUpdate, V1MemoryAndMemswBothWays) {
  std::string id = ocitest::UniqueName("lcupdate");
  ocitest::LeakChecker checker({id});
  auto h = DiscoverCgroupHierarchies();
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_TRUE(h->v1.count("memory")) << "this test expects v1 memory";
  Resources r;
  r.memory.emplace();
  r.memory->limit = 32 << 20;
  r.memory->swap = 64 << 20;
  auto cg = Cgroups::Create(*h, id, r, std::nullopt);
  ASSERT_TRUE(cg.ok()) << cg.status();
  std::string mem = cg->V1Dir("memory");
  r.memory->limit = 128 << 20;  // above the memsw in force
  r.memory->swap = 256 << 20;
  absl::Status up = cg->Update(*h, r);
  EXPECT_TRUE(up.ok()) << up;
  EXPECT_EQ(Trim(ReadFile(mem + "/memory.limit_in_bytes")), "134217728");
  EXPECT_EQ(Trim(ReadFile(mem + "/memory.memsw.limit_in_bytes")), "268435456");
  r.memory->limit = 16 << 20;  // memsw below the memory limit in force
  r.memory->swap = 24 << 20;
  absl::Status down = cg->Update(*h, r);
  EXPECT_TRUE(down.ok()) << down;
  EXPECT_EQ(Trim(ReadFile(mem + "/memory.limit_in_bytes")), "16777216");
  EXPECT_EQ(Trim(ReadFile(mem + "/memory.memsw.limit_in_bytes")), "25165824");
  EXPECT_TRUE(cg->Remove().ok());
  EXPECT_EQ(checker.FindLeaks(), "");
}

}  // namespace
}  // namespace libcontainer
