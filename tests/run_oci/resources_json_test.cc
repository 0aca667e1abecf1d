// update's linux.resources: the document, what update changes, how a change
// is laid over the limits in force, and the state record's copy.
#include "run_oci/parser/resources_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "run_oci/state_json.h"

namespace run_oci {
namespace {

using libcontainer::Resources;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseResourcesDocument, ReadsRuncsUpdateFormat) {
  auto r = ParseResourcesDocument(
      R"({"memory":{"limit":134217728,"reservation":0,"swap":268435456},
          "cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0"},
          "blockIO":{"weight":300},"pids":{"limit":0},
          "unified":{"memory.high":"100M"}})",
      "update.json");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->memory->limit, 134217728);
  EXPECT_EQ(r->memory->reservation, 0);
  EXPECT_EQ(r->cpu->quota, 50000);
  EXPECT_EQ(r->cpu->cpus, "0");
  EXPECT_EQ(r->block_io->weight, 300);
  EXPECT_EQ(r->pids->limit, 0);
  EXPECT_EQ(r->unified.at("memory.high"), "100M");
}

TEST(ParseResourcesDocument, ErrorsNameTheFileAndMember) {
  EXPECT_EQ(
      ParseResourcesDocument(R"({"memory":{"limit":"1g"}})", "stdin")
          .status()
          .message(),
      "stdin: memory.limit: expected a 64-bit signed integer, got \"1g\"");
  EXPECT_EQ(ParseResourcesDocument(R"({"cpu":{"shares":-1}})", "u.json")
                .status()
                .message(),
            "u.json: cpu.shares: expected a 64-bit unsigned integer, got -1");
  EXPECT_THAT(ParseResourcesDocument("[1]", "u.json").status().message(),
              HasSubstr("u.json: expected an object"));
  EXPECT_THAT(ParseResourcesDocument("{", "u.json").status().message(),
              HasSubstr("u.json:1:2:"));
}

TEST(NonUpdatableMembers, NamesWhatUpdateDrops) {
  auto r = ParseResourcesDocument(
      R"({"devices":[{"allow":false,"access":"rwm"}],
          "memory":{"limit":1048576,"kernel":1,"swappiness":10},
          "hugepageLimits":[{"pageSize":"2MB","limit":0}],
          "blockIO":{"weight":10,"throttleReadBpsDevice":[
              {"major":8,"minor":0,"rate":1}]}})",
      "u.json");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(NonUpdatableMembers(*r),
              ElementsAre("devices", "memory.kernel", "memory.swappiness",
                          "blockIO.throttleReadBpsDevice", "hugepageLimits"));
  Resources updatable = UpdatableResources(*r);
  EXPECT_TRUE(updatable.devices.empty());
  EXPECT_FALSE(updatable.memory->kernel.has_value());
  EXPECT_EQ(updatable.memory->limit, 1048576);
  EXPECT_EQ(updatable.block_io->weight, 10);
  EXPECT_TRUE(updatable.block_io->throttle_read_bps_device.empty());
  EXPECT_TRUE(updatable.hugepage_limits.empty());
}

Resources InForce() {
  Resources r;
  r.memory.emplace();
  r.memory->limit = 100;
  r.memory->swap = 200;
  r.cpu.emplace();
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->cpus = "0-1";
  r.pids = libcontainer::PidsResources{64};
  r.unified["memory.high"] = "1M";
  return r;
}

TEST(MergeResourceUpdate, GivenValuesReplaceTheRestStays) {
  Resources update;
  update.memory.emplace().limit = 150;
  update.cpu.emplace().cpus = "1";
  update.unified["pids.max"] = "9";
  Resources merged = MergeResourceUpdate(InForce(), update);
  EXPECT_EQ(merged.memory->limit, 150);
  EXPECT_EQ(merged.memory->swap, 200);
  EXPECT_EQ(merged.cpu->shares, 1024u);
  EXPECT_EQ(merged.cpu->cpus, "1");
  EXPECT_EQ(merged.pids->limit, 64);
  EXPECT_EQ(merged.unified.at("memory.high"), "1M");
  EXPECT_EQ(merged.unified.at("pids.max"), "9");
}

// The planners' rule: where engines send 0 for "not set", a 0 changes
// nothing; where 0 is a value (pids, cpu idle), it is taken.
TEST(MergeResourceUpdate, ZerosMeanNotSetExceptWhereZeroIsAValue) {
  Resources update;
  update.memory.emplace().limit = 0;
  update.cpu.emplace().quota = 0;
  update.cpu->shares = 0;
  update.cpu->idle = 0;
  update.pids = libcontainer::PidsResources{0};
  Resources merged = MergeResourceUpdate(InForce(), update);
  EXPECT_EQ(merged.memory->limit, 100);
  EXPECT_EQ(merged.cpu->quota, 50000);
  EXPECT_EQ(merged.cpu->shares, 1024u);
  EXPECT_EQ(merged.cpu->idle, 0);
  EXPECT_EQ(merged.pids->limit, 0);
}

TEST(MergeResourceUpdate, UnlimitedMemoryWithoutSwapUnlimitsSwapToo) {
  Resources update;
  update.memory.emplace().limit = -1;
  Resources merged = MergeResourceUpdate(InForce(), update);
  EXPECT_EQ(merged.memory->limit, -1);
  EXPECT_EQ(merged.memory->swap, -1);
  update.memory->swap = 300;
  merged = MergeResourceUpdate(InForce(), update);
  EXPECT_EQ(merged.memory->swap, 300);
}

TEST(MergeResourceUpdate, NothingInForce) {
  Resources update;
  update.block_io.emplace().weight = 500;
  update.pids = libcontainer::PidsResources{-1};
  Resources merged = MergeResourceUpdate(Resources{}, update);
  EXPECT_EQ(merged.block_io->weight, 500);
  EXPECT_EQ(merged.pids->limit, -1);
  EXPECT_FALSE(merged.cpu.has_value());
}

TEST(UpdatableResourcesJson, RoundTripsThroughTheStateRecord) {
  StateRecord record;
  record.id = "c";
  record.resources = InForce();
  record.resources->cpu->idle = 1;
  record.resources->memory->check_before_update = true;
  record.resources->devices.push_back({});  // not kept
  std::string json = StateRecordToJson(record);
  EXPECT_THAT(json,
              HasSubstr(R"("resources":{"memory":{"limit":100,"swap":200,)"
                        R"("checkBeforeUpdate":true},"cpu":{"shares":1024,)"
                        R"("quota":50000,"cpus":"0-1","idle":1},)"
                        R"("pids":{"limit":64},)"
                        R"("unified":{"memory.high":"1M"}})"));
  auto parsed = ParseStateRecord(json, "state.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->resources.has_value());
  EXPECT_EQ(parsed->resources->memory->limit, 100);
  EXPECT_EQ(parsed->resources->cpu->idle, 1);
  EXPECT_EQ(parsed->resources->pids->limit, 64);
  EXPECT_TRUE(parsed->resources->devices.empty());
  // Records of older versions have none.
  record.resources.reset();
  parsed = ParseStateRecord(StateRecordToJson(record), "state.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->resources.has_value());
}

TEST(UpdatableResourcesJson, ABadRecordIsAnError) {
  auto parsed = ParseStateRecord(
      R"({"id":"c","resources":{"pids":{"limit":"x"}}})", "state.json");
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("state.json: resources.pids.limit:"));
}

}  // namespace
}  // namespace run_oci
