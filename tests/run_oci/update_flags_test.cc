// runc's update flags as linux.resources.
#include "run_oci/update_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseRamInBytes, DockersUnits) {
  EXPECT_EQ(ParseRamInBytes("100").value_or(-1), 100);
  EXPECT_EQ(ParseRamInBytes("512m").value_or(-1), 512 << 20);
  EXPECT_EQ(ParseRamInBytes("512M").value_or(-1), 512 << 20);
  EXPECT_EQ(ParseRamInBytes("1g").value_or(-1), 1 << 30);
  EXPECT_EQ(ParseRamInBytes("1.5k").value_or(-1), 1536);
  EXPECT_EQ(ParseRamInBytes("64 KiB").value_or(-1), 64 << 10);
  EXPECT_EQ(ParseRamInBytes("2mb").value_or(-1), 2 << 20);
  EXPECT_EQ(ParseRamInBytes("1t").value_or(-1), int64_t{1} << 40);
  EXPECT_FALSE(ParseRamInBytes("").ok());
  EXPECT_FALSE(ParseRamInBytes("m").ok());
  EXPECT_FALSE(ParseRamInBytes("12x").ok());
  EXPECT_FALSE(ParseRamInBytes("12mm").ok());
  EXPECT_FALSE(ParseRamInBytes("-5").ok());
  EXPECT_FALSE(ParseRamInBytes("99999999p").ok());
}

TEST(ResourcesFromUpdateFlags, RuncsFlags) {
  std::vector<std::string> warnings;
  auto r = ResourcesFromUpdateFlags({{"memory", "64m"},
                                     {"memory_swap", "-1"},
                                     {"memory_reservation", "32m"},
                                     {"pids_limit", "20"},
                                     {"cpu_quota", "50000"},
                                     {"cpu_period", "100000"},
                                     {"cpu_share", "512"},
                                     {"cpuset_cpus", "0"},
                                     {"cpuset_mems", "0"},
                                     {"blkio_weight", "300"},
                                     {"cpu_idle", "1"}},
                                    &warnings);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->memory->limit, 64 << 20);
  EXPECT_EQ(r->memory->swap, -1);
  EXPECT_EQ(r->memory->reservation, 32 << 20);
  EXPECT_EQ(r->pids->limit, 20);
  EXPECT_EQ(r->cpu->quota, 50000);
  EXPECT_EQ(r->cpu->period, 100000u);
  EXPECT_EQ(r->cpu->shares, 512u);
  EXPECT_EQ(r->cpu->cpus, "0");
  EXPECT_EQ(r->cpu->mems, "0");
  EXPECT_EQ(r->cpu->idle, 1);
  EXPECT_EQ(r->block_io->weight, 300);
  EXPECT_TRUE(warnings.empty());
}

TEST(ResourcesFromUpdateFlags, NothingGivenChangesNothing) {
  std::vector<std::string> warnings;
  auto r = ResourcesFromUpdateFlags({}, &warnings);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->memory->limit.has_value());
  EXPECT_FALSE(r->cpu->quota.has_value());
  EXPECT_FALSE(r->pids.has_value());
  EXPECT_FALSE(r->block_io.has_value());
}

// runc's --pids-limit and --blkio-weight are 0 by default, which changes
// nothing; -1 pids is "max"; quota -1 is unlimited.
TEST(ResourcesFromUpdateFlags, RuncsDefaults) {
  std::vector<std::string> warnings;
  auto r = ResourcesFromUpdateFlags(
      {{"pids_limit", "0"}, {"blkio_weight", "0"}, {"cpu_quota", "-1"}},
      &warnings);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->pids.has_value());
  EXPECT_FALSE(r->block_io.has_value());
  EXPECT_EQ(r->cpu->quota, -1);
  r = ResourcesFromUpdateFlags({{"pids_limit", "-1"}}, &warnings);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pids->limit, -1);
}

TEST(ResourcesFromUpdateFlags, ErrorsNameTheFlag) {
  std::vector<std::string> warnings;
  EXPECT_EQ(ResourcesFromUpdateFlags({{"memory", "lots"}}, &warnings)
                .status()
                .message(),
            "--memory lots: expected a size such as 512m or 1g");
  EXPECT_EQ(ResourcesFromUpdateFlags({{"cpu_period", "-5"}}, &warnings)
                .status()
                .message(),
            "--cpu-period -5: expected an unsigned integer");
  EXPECT_EQ(ResourcesFromUpdateFlags({{"cpu_quota", "x"}}, &warnings)
                .status()
                .message(),
            "--cpu-quota x: expected an integer");
  EXPECT_THAT(
      ResourcesFromUpdateFlags({{"l3_cache_schema", "L3:0=f"}}, &warnings)
          .status()
          .message(),
      HasSubstr("--l3-cache-schema L3:0=f: Intel RDT"));
}

TEST(ResourcesFromUpdateFlags, ObsoleteKernelMemoryIsWarnedAbout) {
  std::vector<std::string> warnings;
  auto r = ResourcesFromUpdateFlags({{"kernel_memory", "1m"}}, &warnings);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(warnings, ElementsAre("Setting --kernel-memory is ignored and "
                                    "will be removed"));
}

}  // namespace
}  // namespace run_oci
