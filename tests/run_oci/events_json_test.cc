// runc's events JSON: field names and Go's omitempty rules, as runc 1.1
// prints them for a container on a cgroup v1 host.
#include "run_oci/events_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace run_oci {
namespace {

using ::testing::HasSubstr;

TEST(EventsJson, OomEvent) {
  EXPECT_EQ(OomEventJson("c1"), R"({"type":"oom","id":"c1"})");
}

TEST(EventsJson, EmptyStatsAsRuncEncodesThem) {
  libcontainer::CgroupStats stats;
  EXPECT_EQ(
      StatsEventJson("c1", stats),
      R"({"type":"stats","id":"c1","data":{)"
      R"("cpu":{"usage":{"kernel":0,"user":0},"throttling":{}},)"
      R"("cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,)"
      R"("memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,)"
      R"("memory_pressure":0,"sched_load_balance":0,)"
      R"("sched_relax_domain_level":0},)"
      R"("memory":{"usage":{"limit":0,"failcnt":0},)"
      R"("swap":{"limit":0,"failcnt":0},"kernel":{"limit":0,"failcnt":0},)"
      R"("kernelTCP":{"limit":0,"failcnt":0}},)"
      R"("pids":{},"blkio":{},"hugetlb":{},"intel_rdt":{},)"
      R"("network_interfaces":null}})");
}

// The shape of `runc events --stats` of a busybox container on this
// project's host (runc 1.1.5, cgroup v1), with our numbers.
TEST(EventsJson, FilledStats) {
  libcontainer::CgroupStats stats;
  stats.cpu.total = 63947151;
  stats.cpu.percpu = {55006365, 8940786};
  stats.cpu.percpu_kernel = {16000000, 0};
  stats.cpu.percpu_user = {36000000, 4000000};
  stats.cpu.kernel = 10000000;
  stats.cpu.user = 40000000;
  stats.cpuset.cpus = {0, 1};
  stats.cpuset.mems = {0};
  stats.cpuset.sched_load_balance = 1;
  stats.cpuset.sched_relax_domain_level = -1;
  stats.memory.usage = {9223372036854771712u, 741376, 2519040, 0};
  stats.memory.kernel_tcp.limit = 9223372036854771712u;
  stats.memory.raw = {{"active_anon", 4096}, {"cache", 0}};
  stats.pids.current = 1;
  stats.blkio.service_bytes = {{8, 0, "Read", 4096}};
  stats.hugetlb["2MB"] = {0, 0, 0};
  std::string json = StatsEventJson("e3probe", stats);
  EXPECT_THAT(
      json,
      HasSubstr(R"("cpu":{"usage":{"total":63947151,)"
                R"("percpu":[55006365,8940786],)"
                R"("percpu_kernel":[16000000,0],)"
                R"("percpu_user":[36000000,4000000],)"
                R"("kernel":10000000,"user":40000000},"throttling":{}})"));
  EXPECT_THAT(json, HasSubstr(R"("cpuset":{"cpus":[0,1],"cpu_exclusive":0,)"
                              R"("mems":[0],)"));
  EXPECT_THAT(json, HasSubstr(R"("sched_load_balance":1,)"
                              R"("sched_relax_domain_level":-1})"));
  EXPECT_THAT(json,
              HasSubstr(R"("memory":{"usage":{"limit":9223372036854771712,)"
                        R"("usage":741376,"max":2519040,"failcnt":0},)"));
  EXPECT_THAT(json, HasSubstr(R"("kernelTCP":{"limit":9223372036854771712,)"
                              R"("failcnt":0},"raw":{"active_anon":4096,)"
                              R"("cache":0}})"));
  EXPECT_THAT(json, HasSubstr(R"("pids":{"current":1})"));
  EXPECT_THAT(json, HasSubstr(R"("blkio":{"ioServiceBytesRecursive":[)"
                              R"({"major":8,"op":"Read","value":4096}]})"));
  EXPECT_THAT(json, HasSubstr(R"("hugetlb":{"2MB":{"failcnt":0}})"));
}

}  // namespace
}  // namespace run_oci
