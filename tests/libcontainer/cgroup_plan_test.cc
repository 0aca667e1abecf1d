// The pure halves of the cgroup code: which files get which values, in
// which order, and where the container's cgroup lives.
#include <sys/mount.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroup_v1.h"
#include "libcontainer/cgroup_v2.h"
#include "libcontainer/cgroups.h"

namespace libcontainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// "controller:file=value" per write, for readable expectations.
std::vector<std::string> Lines(const std::vector<CgroupWrite>& writes) {
  std::vector<std::string> out;
  for (const CgroupWrite& w : writes) {
    out.push_back(w.controller + ":" + w.file + "=" + w.value);
  }
  return out;
}

std::vector<std::string> WithoutDevices(const std::vector<CgroupWrite>& w) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(w)) {
    if (line.rfind("devices:", 0) != 0) out.push_back(line);
  }
  return out;
}

TEST(CgroupPlanV1, DevicesDenyAllThenRulesThenDefaults) {
  Resources r;
  CgroupDeviceRule deny_null;
  deny_null.allow = false;
  deny_null.type = 'c';
  deny_null.major = 1;
  deny_null.minor = 11;
  deny_null.access = "rw";
  CgroupDeviceRule allow_all_block;
  allow_all_block.allow = true;
  allow_all_block.type = 'b';
  r.devices = {deny_null, allow_all_block};
  auto plan = PlanV1Writes(r);
  ASSERT_TRUE(plan.ok()) << plan.status();
  std::vector<std::string> lines = Lines(*plan);
  ASSERT_GE(lines.size(), 3u + DefaultDeviceRules().size());
  EXPECT_EQ(lines[0], "devices:devices.deny=a");
  EXPECT_EQ(lines[1], "devices:devices.deny=c 1:11 rw");
  EXPECT_EQ(lines[2], "devices:devices.allow=b *:* rwm");
  EXPECT_EQ(lines[3], "devices:devices.allow=c *:* m");
  EXPECT_EQ(lines.back(), "devices:devices.allow=c 10:200 rwm");
}

TEST(CgroupPlanV1, MemoryOrderLimitBeforeSwap) {
  Resources r;
  r.memory.emplace();
  r.memory->limit = 64 << 20;
  r.memory->swap = 128 << 20;
  r.memory->reservation = 32 << 20;
  r.memory->kernel = 1 << 20;
  r.memory->swappiness = 10;
  r.memory->disable_oom_killer = true;
  auto plan = PlanV1Writes(r);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WithoutDevices(*plan),
              ElementsAre("memory:memory.limit_in_bytes=67108864",
                          "memory:memory.memsw.limit_in_bytes=134217728",
                          "memory:memory.soft_limit_in_bytes=33554432",
                          "memory:memory.kmem.limit_in_bytes=1048576",
                          "memory:memory.swappiness=10",
                          "memory:memory.oom_control=1"));
  // kmem is gone from new kernels: best effort only.
  for (const CgroupWrite& w : *plan) {
    EXPECT_EQ(w.best_effort, w.file == "memory.kmem.limit_in_bytes");
  }
}

TEST(CgroupPlanV1, SwappinessOutOfRange) {
  Resources r;
  r.memory.emplace();
  r.memory->swappiness = 101;
  auto plan = PlanV1Writes(r);
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.status().message(), HasSubstr("memory.swappiness: 101"));
}

TEST(CgroupPlanV1, CpuPeriodsBeforeQuotaAndRuntime) {
  Resources r;
  r.cpu.emplace();
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->realtime_runtime = 10000;
  r.cpu->realtime_period = 1000000;
  r.cpu->cpus = "0";
  r.cpu->mems = "0";
  auto plan = PlanV1Writes(r);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(
      WithoutDevices(*plan),
      ElementsAre("cpu:cpu.shares=512", "cpu:cpu.cfs_period_us=100000",
                  "cpu:cpu.cfs_quota_us=50000", "cpu:cpu.rt_period_us=1000000",
                  "cpu:cpu.rt_runtime_us=10000", "cpuset:cpuset.cpus=0",
                  "cpuset:cpuset.mems=0"));
  for (const CgroupWrite& w : *plan) {
    EXPECT_EQ(w.parents_first, w.file.rfind("cpu.rt_", 0) == 0) << w.file;
  }
}

TEST(CgroupPlanV1, PidsBlkioHugetlbNetRdma) {
  Resources r;
  r.pids = PidsResources{-1};
  r.block_io.emplace();
  r.block_io->weight = 500;
  r.block_io->weight_device.push_back({8, 0, 300, std::nullopt});
  r.block_io->throttle_read_bps_device.push_back({8, 0, 1048576});
  r.block_io->throttle_write_iops_device.push_back({8, 16, 100});
  r.hugepage_limits.push_back({"2MB", 4194304});
  r.network.emplace();
  r.network->class_id = 0x100001;
  r.network->priorities.push_back({"eth0", 5});
  r.rdma["mlx5_1"] = RdmaLimit{3, 10000};
  auto plan = PlanV1Writes(r);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(
      WithoutDevices(*plan),
      ElementsAre("pids:pids.max=max", "blkio:blkio.weight=500",
                  "blkio:blkio.weight_device=8:0 300",
                  "blkio:blkio.throttle.read_bps_device=8:0 1048576",
                  "blkio:blkio.throttle.write_iops_device=8:16 100",
                  "hugetlb:hugetlb.2MB.limit_in_bytes=4194304",
                  "net_cls:net_cls.classid=1048577",
                  "net_prio:net_prio.ifpriomap=eth0 5",
                  "rdma:rdma.max=mlx5_1 hca_handle=3 hca_object=10000"));
}

TEST(CgroupPlanV2, HybridWritesOnlyUnifiedKeys) {
  Resources r;
  r.memory.emplace();
  r.memory->limit = 1000;
  r.unified["memory.high"] = "5000";
  auto plan = PlanV2Writes(r, /*unified_only=*/false);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Lines(*plan), ElementsAre(":memory.high=5000"));
}

TEST(CgroupPlanV2, UnifiedKeyMustBeAFileName) {
  for (const char* key : {"../memory.max", "a/b", "..", ""}) {
    Resources r;
    r.unified[key] = "1";
    auto plan = PlanV2Writes(r, false);
    ASSERT_FALSE(plan.ok()) << key;
    EXPECT_THAT(plan.status().message(), HasSubstr("not a plain file name"));
  }
}

TEST(CgroupPlanV2, UnifiedOnlyTranslatesLimits) {
  Resources r;
  r.memory.emplace();
  r.memory->limit = 1000;
  r.memory->swap = 3000;
  r.cpu.emplace();
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.pids = PidsResources{20};
  auto plan = PlanV2Writes(r, true);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(
      Lines(*plan),
      ElementsAre(":memory.swap.max=2000", ":memory.max=1000", ":cpu.weight=39",
                  ":cpu.max=50000 100000", ":pids.max=20"));
}

TEST(CgroupPlanV2, UnifiedOnlyLeavesDeviceRulesToTheFilter) {
  Resources r;
  r.devices.push_back(CgroupDeviceRule{});
  auto plan = PlanV2Writes(r, true);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Lines(*plan), IsEmpty());
}

// Kubernetes and other engines send 0 for "not set" (cpu.quota: 0,
// cpu.period: 0, memory.limit: 0, ...). Where the kernel has no useful 0
// (EINVAL, a clamp to 2 shares, an instant OOM kill) nothing is written, as
// runc does. One case per field: the zero alone writes nothing.
struct ZeroCase {
  const char* name;
  void (*set)(Resources&);
};

const ZeroCase kUnsetZeros[] = {
    {"memory.limit", [](Resources& r) { r.memory.emplace().limit = 0; }},
    {"memory.reservation",
     [](Resources& r) { r.memory.emplace().reservation = 0; }},
    {"memory.swap", [](Resources& r) { r.memory.emplace().swap = 0; }},
    {"memory.kernel", [](Resources& r) { r.memory.emplace().kernel = 0; }},
    {"memory.kernelTCP",
     [](Resources& r) { r.memory.emplace().kernel_tcp = 0; }},
    {"cpu.shares", [](Resources& r) { r.cpu.emplace().shares = 0; }},
    {"cpu.quota", [](Resources& r) { r.cpu.emplace().quota = 0; }},
    {"cpu.period", [](Resources& r) { r.cpu.emplace().period = 0; }},
    {"cpu.realtimeRuntime",
     [](Resources& r) { r.cpu.emplace().realtime_runtime = 0; }},
    {"cpu.realtimePeriod",
     [](Resources& r) { r.cpu.emplace().realtime_period = 0; }},
    {"blockIO.weight", [](Resources& r) { r.block_io.emplace().weight = 0; }},
    {"blockIO.leafWeight",
     [](Resources& r) { r.block_io.emplace().leaf_weight = 0; }},
    {"blockIO.weightDevice[0].weight/leafWeight",
     [](Resources& r) {
       r.block_io.emplace().weight_device.push_back({8, 0, 0, 0});
     }},
    {"network.classID", [](Resources& r) { r.network.emplace().class_id = 0; }},
    {"pids without limit", [](Resources& r) { r.pids.emplace(); }},
};

TEST(CgroupPlanZeros, V1WritesNothingForAnUnsetZero) {
  for (const ZeroCase& c : kUnsetZeros) {
    Resources r;
    c.set(r);
    auto plan = PlanV1Writes(r);
    ASSERT_TRUE(plan.ok()) << c.name << ": " << plan.status();
    EXPECT_THAT(WithoutDevices(*plan), IsEmpty()) << c.name;
  }
}

TEST(CgroupPlanZeros, V2WritesNothingForAnUnsetZero) {
  for (const ZeroCase& c : kUnsetZeros) {
    Resources r;
    c.set(r);
    auto plan = PlanV2Writes(r, /*unified_only=*/true);
    ASSERT_TRUE(plan.ok()) << c.name << ": " << plan.status();
    EXPECT_THAT(Lines(*plan), IsEmpty()) << c.name;
  }
}

// What Kubernetes sends for a pod without limits, all at once.
Resources KubernetesZeros() {
  Resources r;
  MemoryResources& m = r.memory.emplace();
  m.limit = 0;
  m.reservation = 0;
  m.swap = 0;
  m.kernel = 0;
  m.kernel_tcp = 0;
  CpuResources& c = r.cpu.emplace();
  c.shares = 0;
  c.quota = 0;
  c.period = 0;
  c.realtime_runtime = 0;
  c.realtime_period = 0;
  BlockIoResources& b = r.block_io.emplace();
  b.weight = 0;
  b.leaf_weight = 0;
  r.network.emplace().class_id = 0;
  return r;
}

TEST(CgroupPlanZeros, AllZerosTogetherWriteNothing) {
  auto v1 = PlanV1Writes(KubernetesZeros());
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_THAT(WithoutDevices(*v1), IsEmpty());
  auto v2 = PlanV2Writes(KubernetesZeros(), true);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_THAT(Lines(*v2), IsEmpty());
}

// A zero next to a real value: the real value is still written, and the
// zero does not stand in for it (a quota with period 0 keeps the kernel's
// period instead of writing "cfs_period_us 0").
TEST(CgroupPlanZeros, ZeroBesideARealValue) {
  Resources r;
  r.cpu.emplace();
  r.cpu->quota = 50000;
  r.cpu->period = 0;
  r.memory.emplace();
  r.memory->limit = 1 << 20;
  r.memory->swap = 0;
  auto v1 = PlanV1Writes(r);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_THAT(WithoutDevices(*v1),
              ElementsAre("memory:memory.limit_in_bytes=1048576",
                          "cpu:cpu.cfs_quota_us=50000"));
  auto v2 = PlanV2Writes(r, true);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_THAT(Lines(*v2),
              ElementsAre(":memory.max=1048576", ":cpu.max=50000 100000"));
  // A swap limit needs a real memory limit on v2; 0 is none.
  r.memory->limit = 0;
  r.memory->swap = 1 << 20;
  auto no_limit = PlanV2Writes(r, true);
  ASSERT_FALSE(no_limit.ok());
  EXPECT_THAT(no_limit.status().message(),
              HasSubstr("memory.swap needs memory.limit"));
}

// Zeros the kernel means: written as they are.
TEST(CgroupPlanZeros, MeaningfulZerosAreWritten) {
  Resources r;
  r.memory.emplace().swappiness = 0;
  r.cpu.emplace();
  r.cpu->idle = 0;
  r.cpu->burst = 0;
  r.pids = PidsResources{0};  // runtime-spec 1.3: 0 is a valid limit
  r.hugepage_limits.push_back({"2MB", 0});
  r.block_io.emplace().throttle_read_bps_device.push_back({8, 0, 0});
  auto v1 = PlanV1Writes(r);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_THAT(
      WithoutDevices(*v1),
      ElementsAre("memory:memory.swappiness=0", "cpu:cpu.cfs_burst_us=0",
                  "cpu:cpu.idle=0", "pids:pids.max=0",
                  "blkio:blkio.throttle.read_bps_device=8:0 0",
                  "hugetlb:hugetlb.2MB.limit_in_bytes=0"));
  r.memory.reset();  // swappiness: v1 only
  auto v2 = PlanV2Writes(r, true);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_THAT(Lines(*v2),
              ElementsAre(":cpu.max.burst=0", ":cpu.idle=0", ":pids.max=0",
                          ":io.max=8:0 rbps=0", ":hugetlb.2MB.max=0"));
}

// An unlimited memory with no swap asked for is both unlimited (runc).
TEST(CgroupPlanV2, UnlimitedMemoryWithoutSwapUnlimitsSwap) {
  Resources r;
  r.memory.emplace();
  r.memory->limit = -1;
  r.memory->swap = 0;
  auto v2 = PlanV2Writes(r, true);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_THAT(Lines(*v2),
              ElementsAre(":memory.swap.max=max", ":memory.max=max"));
}

TEST(CgroupPlanV1, DeviceRulesInOrder) {
  Resources r;
  r.devices.push_back(CgroupDeviceRule{true, 'c', 1, 11, "r"});
  std::vector<CgroupDeviceRule> rules = DeviceRulesInOrder(r);
  ASSERT_EQ(rules.size(), 2 + DefaultDeviceRules().size());
  EXPECT_FALSE(rules[0].allow);
  EXPECT_EQ(FormatDeviceRule(rules[0]), "a");
  EXPECT_EQ(FormatDeviceRule(rules[1]), "c 1:11 r");
  EXPECT_EQ(FormatDeviceRule(rules.back()),
            FormatDeviceRule(DefaultDeviceRules().back()));
}

TEST(CgroupPath, Computation) {
  EXPECT_EQ(*CgroupRelativePath("", "", "c1"), "c1");
  EXPECT_EQ(*CgroupRelativePath("", "parent/x", "c1"), "parent/x/c1");
  EXPECT_EQ(*CgroupRelativePath("", "/parent/", "c1"), "parent/c1");
  EXPECT_EQ(*CgroupRelativePath("/abs/path", "ignored", "c1"), "abs/path");
  EXPECT_EQ(*CgroupRelativePath("rel//./p", "ignored", "c1"), "rel/p");
  auto escape = CgroupRelativePath("/a/../../etc", "", "c1");
  ASSERT_FALSE(escape.ok());
  EXPECT_THAT(escape.status().message(), HasSubstr("\"..\" is not allowed"));
  EXPECT_FALSE(CgroupRelativePath("/", "", "c1").ok());
}

TEST(CgroupMounts, ParsesHybridMountinfo) {
  const char kMountinfo[] =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup "
      "rw,cpu,cpuacct\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
      "rw,xattr,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
      "50 31 0:32 / /other/mem\\040x rw - cgroup cgroup rw,memory\n";
  CgroupHierarchies h = ParseCgroupMounts(kMountinfo);
  EXPECT_EQ(h.v1.size(), 4u);
  EXPECT_EQ(h.v1["cpu"], "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(h.v1["cpuacct"], "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(h.v1["memory"], "/sys/fs/cgroup/memory");
  EXPECT_EQ(h.v1["name=systemd"], "/sys/fs/cgroup/systemd");
  EXPECT_EQ(h.unified, "/sys/fs/cgroup/unified");
  EXPECT_FALSE(h.unified_only());

  CgroupHierarchies v2 = ParseCgroupMounts(
      "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");
  EXPECT_TRUE(v2.unified_only());
}

// "source name" per bind, for readable expectations.
std::vector<std::string> MountBinds(const CgroupHierarchies& h) {
  std::vector<std::string> out;
  for (const shim::CgroupBindSpec& bind :
       Cgroups::Existing(h, "parent/ctr", {}, std::vector<std::string>{})
           .MountBinds()) {
    out.push_back(bind.source + " " + bind.name);
  }
  return out;
}

TEST(CgroupMountBinds, V1DirectoriesNamedAfterTheirHierarchies) {
  CgroupHierarchies h = ParseCgroupMounts(
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup "
      "rw,cpu,cpuacct\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
      "rw,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
  // The hybrid host's unified hierarchy is left out.
  EXPECT_THAT(MountBinds(h),
              ElementsAre("/sys/fs/cgroup/cpu,cpuacct/parent/ctr cpu,cpuacct",
                          "/sys/fs/cgroup/memory/parent/ctr memory",
                          "/sys/fs/cgroup/systemd/parent/ctr systemd"));
}

TEST(CgroupMountBinds, PureV2BindsTheCgroupItself) {
  CgroupHierarchies h = ParseCgroupMounts(
      "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
  EXPECT_THAT(MountBinds(h), ElementsAre("/sys/fs/cgroup/parent/ctr "));
}

}  // namespace
}  // namespace libcontainer
