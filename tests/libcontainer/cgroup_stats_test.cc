// Statistics files: the parsers on the kernel's formats, and a whole read
// from fake v1 and cgroup2 directories with runc's conversions.
#include "libcontainer/cgroup_stats.h"

#include <sys/stat.h>
#include <unistd.h>

#include <limits>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroup_stat_parse.h"
#include "libcontainer/oom_notifier.h"
#include "tests/libcontainer/fake_cgroup_root.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ocitest::TempDir;
using ocitest::WriteFile;
using ::testing::ElementsAre;
using ::testing::Pair;

TEST(CgroupStatParse, FlatKeyed) {
  EXPECT_THAT(ParseFlatKeyed("cache 4096\nrss 8192\nbogus\nx y\n"),
              ElementsAre(Pair("cache", 4096), Pair("rss", 8192)));
}

TEST(CgroupStatParse, UintListAndLimit) {
  EXPECT_THAT(ParseUintList("55006365 8940786 \n"),
              ElementsAre(55006365, 8940786));
  EXPECT_EQ(ParseLimit("max\n", 7), 7u);
  EXPECT_EQ(ParseLimit("1024\n", 7), 1024u);
  EXPECT_EQ(ParseLimit("garbage", 7), 0u);
}

TEST(CgroupStatParse, CpuacctUsageAll) {
  std::vector<uint64_t> user, system;
  ParseCpuacctUsageAll("cpu user system\n0 36000000 16000000\n1 4000000 0\n",
                       &user, &system);
  EXPECT_THAT(user, ElementsAre(36000000, 4000000));
  EXPECT_THAT(system, ElementsAre(16000000, 0));
}

TEST(CgroupStatParse, CpuList) {
  EXPECT_THAT(ParseCpuList("0-3,8,10-11\n"),
              ElementsAre(0, 1, 2, 3, 8, 10, 11));
  EXPECT_THAT(ParseCpuList("\n"), ElementsAre());
  EXPECT_THAT(ParseCpuList("5-2,x,7"), ElementsAre(7));
}

TEST(CgroupStatParse, BlkioRecursive) {
  auto entries = ParseBlkioRecursive(
      "8:0 Read 4096\n8:0 Write 0\n8:16 Sync 12\nTotal 4108\n");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].major, 8u);
  EXPECT_EQ(entries[0].minor, 0u);
  EXPECT_EQ(entries[0].op, "Read");
  EXPECT_EQ(entries[0].value, 4096u);
  EXPECT_EQ(entries[2].minor, 16u);
  EXPECT_EQ(entries[2].op, "Sync");
}

TEST(CgroupStatParse, IoStat) {
  BlkioStats stats;
  ParseIoStat("8:0 rbytes=90112 wbytes=4096 rios=22 wios=1 dbytes=0 dios=0\n",
              &stats);
  ASSERT_EQ(stats.service_bytes.size(), 2u);
  EXPECT_EQ(stats.service_bytes[0].op, "Read");
  EXPECT_EQ(stats.service_bytes[0].value, 90112u);
  EXPECT_EQ(stats.service_bytes[1].op, "Write");
  ASSERT_EQ(stats.serviced.size(), 2u);
  EXPECT_EQ(stats.serviced[0].value, 22u);
}

TEST(CgroupStatParse, HugepageSizeName) {
  EXPECT_EQ(HugepageSizeName("hugepages-2048kB"), "2MB");
  EXPECT_EQ(HugepageSizeName("hugepages-1048576kB"), "1GB");
  EXPECT_EQ(HugepageSizeName("hugepages-64kB"), "64KB");
  EXPECT_EQ(HugepageSizeName("nr_hugepages"), "");
}

TEST(CgroupStatParse, OomKillCount) {
  EXPECT_EQ(OomKillCount("low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n"), 2u);
  EXPECT_EQ(OomKillCount(""), 0u);
}

class FakeStatsTest : public FakeCgroupRootTest {
 protected:
  FakeStatsTest() : FakeCgroupRootTest("lc-stats") {}

  void Write(const std::string& rel, const std::string& text) {
    std::string path = dir_->Sub(rel);
    for (size_t slash = path.find('/', dir_->path().size() + 1);
         slash != std::string::npos; slash = path.find('/', slash + 1)) {
      mkdir(path.substr(0, slash).c_str(), 0755);
    }
    ASSERT_TRUE(WriteFile(path, text).ok());
  }
};

TEST_F(FakeStatsTest, V1) {
  Write("cpuacct/c/cpuacct.usage", "63947151\n");
  Write("cpuacct/c/cpuacct.usage_percpu", "55006365 8940786 \n");
  Write("cpuacct/c/cpuacct.usage_all",
        "cpu user system\n0 36000000 16000000\n1 4000000 0\n");
  Write("cpuacct/c/cpuacct.stat", "user 4\nsystem 1\n");
  Write("cpu/c/cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 7\n");
  Write("memory/c/memory.stat", "cache 4096\nrss 69632\n");
  Write("memory/c/memory.limit_in_bytes", "9223372036854771712\n");
  Write("memory/c/memory.usage_in_bytes", "741376\n");
  Write("memory/c/memory.max_usage_in_bytes", "2519040\n");
  Write("memory/c/memory.failcnt", "0\n");
  Write("memory/c/memory.memsw.usage_in_bytes", "741376\n");
  Write("pids/c/pids.current", "3\n");
  Write("pids/c/pids.max", "max\n");
  Write("cpuset/c/cpuset.cpus", "0-1\n");
  Write("cpuset/c/cpuset.mems", "0\n");
  Write("cpuset/c/cpuset.sched_load_balance", "1\n");
  Write("cpuset/c/cpuset.sched_relax_domain_level", "-1\n");
  Write("blkio/c/blkio.bfq.io_service_bytes_recursive", "Total 0\n");
  Write("blkio/c/blkio.throttle.io_service_bytes_recursive",
        "8:0 Read 4096\nTotal 4096\n");
  CgroupHierarchies h;
  for (const char* c :
       {"cpuacct", "cpu", "memory", "pids", "cpuset", "blkio"}) {
    h.v1[c] = dir_->Sub(c);
  }
  auto stats = ReadCgroupStats(Cgroups::Existing(h, "c"));
  ASSERT_TRUE(stats.ok()) << stats.status();
  const long ns_per_tick = 1000000000L / sysconf(_SC_CLK_TCK);
  EXPECT_EQ(stats->cpu.total, 63947151u);
  EXPECT_THAT(stats->cpu.percpu, ElementsAre(55006365, 8940786));
  EXPECT_THAT(stats->cpu.percpu_user, ElementsAre(36000000, 4000000));
  EXPECT_THAT(stats->cpu.percpu_kernel, ElementsAre(16000000, 0));
  EXPECT_EQ(stats->cpu.user, 4u * ns_per_tick);
  EXPECT_EQ(stats->cpu.kernel, 1u * ns_per_tick);
  EXPECT_EQ(stats->cpu.periods, 10u);
  EXPECT_EQ(stats->cpu.throttled_periods, 2u);
  EXPECT_EQ(stats->cpu.throttled_time, 7u);
  EXPECT_EQ(stats->memory.cache, 4096u);
  EXPECT_EQ(stats->memory.usage.limit, 9223372036854771712u);
  EXPECT_EQ(stats->memory.usage.usage, 741376u);
  EXPECT_EQ(stats->memory.usage.max, 2519040u);
  EXPECT_EQ(stats->memory.swap.usage, 741376u);
  EXPECT_EQ(stats->memory.raw.at("rss"), 69632u);
  EXPECT_EQ(stats->pids.current, 3u);
  EXPECT_EQ(stats->pids.limit, 0u);
  ASSERT_TRUE(stats->has_cpuset);
  EXPECT_THAT(stats->cpuset.cpus, ElementsAre(0, 1));
  EXPECT_THAT(stats->cpuset.mems, ElementsAre(0));
  EXPECT_EQ(stats->cpuset.sched_load_balance, 1u);
  EXPECT_EQ(stats->cpuset.sched_relax_domain_level, -1);
  // BFQ counted nothing, so the throttle layer's numbers are used.
  ASSERT_EQ(stats->blkio.service_bytes.size(), 1u);
  EXPECT_EQ(stats->blkio.service_bytes[0].value, 4096u);
}

TEST_F(FakeStatsTest, Cgroup2) {
  Write("u/c/cpu.stat",
        "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\n"
        "nr_throttled 1\nthrottled_usec 20\n");
  Write("u/c/memory.stat", "anon 8192\nfile 4096\n");
  Write("u/c/memory.current", "12288\n");
  Write("u/c/memory.max", "1048576\n");
  Write("u/c/memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n");
  Write("u/c/memory.swap.current", "100\n");
  Write("u/c/memory.swap.max", "max\n");
  Write("u/c/pids.current", "2\n");
  Write("u/c/pids.max", "50\n");
  Write("u/c/io.stat", "8:0 rbytes=90112 wbytes=4096 rios=22 wios=1\n");
  CgroupHierarchies h;
  h.unified = dir_->Sub("u");
  auto stats = ReadCgroupStats(Cgroups::Existing(h, "c"));
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->cpu.total, 1500000u);
  EXPECT_EQ(stats->cpu.user, 1000000u);
  EXPECT_EQ(stats->cpu.kernel, 500000u);
  EXPECT_EQ(stats->cpu.throttled_time, 20000u);
  EXPECT_EQ(stats->memory.cache, 4096u);
  EXPECT_EQ(stats->memory.usage.usage, 12288u);
  EXPECT_EQ(stats->memory.usage.limit, 1048576u);
  EXPECT_EQ(stats->memory.usage.failcnt, 5u);
  // Swap as memory+swap, unlimited.
  EXPECT_EQ(stats->memory.swap.usage, 12388u);
  EXPECT_EQ(stats->memory.swap.limit, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(stats->pids.current, 2u);
  EXPECT_EQ(stats->pids.limit, 50u);
  EXPECT_FALSE(stats->has_cpuset);
  EXPECT_EQ(stats->blkio.service_bytes.size(), 2u);
  EXPECT_EQ(stats->blkio.serviced.size(), 2u);
}

}  // namespace
}  // namespace libcontainer
