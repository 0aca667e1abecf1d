#include "run_oci/state_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace run_oci {
namespace {

using ::testing::HasSubstr;

TEST(OciStateTest, HasEveryFieldAndParses) {
  OciState state;
  state.id = "c1";
  state.status = "running";
  state.pid = 42;
  state.bundle = "/b";
  state.created = "2026-01-02T03:04:05.000000006Z";
  state.annotations = {{"a", "1"}, {kContainerRootAnnotation, "/b/rootfs"}};
  rapidjson::Document doc;
  doc.Parse(OciStateToJson(state).c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["ociVersion"].GetString(), kOciStateVersion);
  EXPECT_STREQ(doc["id"].GetString(), "c1");
  EXPECT_STREQ(doc["status"].GetString(), "running");
  EXPECT_EQ(doc["pid"].GetInt(), 42);
  EXPECT_STREQ(doc["bundle"].GetString(), "/b");
  EXPECT_STREQ(doc["created"].GetString(), "2026-01-02T03:04:05.000000006Z");
  EXPECT_STREQ(doc["annotations"]["a"].GetString(), "1");
  EXPECT_STREQ(doc["annotations"][kContainerRootAnnotation].GetString(),
               "/b/rootfs");
}

TEST(OciStateTest, StoppedOmitsPid) {
  OciState state;
  state.id = "c1";
  state.status = "stopped";
  rapidjson::Document doc;
  doc.Parse(OciStateToJson(state).c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_FALSE(doc.HasMember("pid"));
  EXPECT_TRUE(doc["annotations"].IsObject());
}

TEST(OciStateTest, EscapesStrings) {
  OciState state;
  state.id = "quote\"and\\slash";
  rapidjson::Document doc;
  doc.Parse(OciStateToJson(state).c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["id"].GetString(), "quote\"and\\slash");
}

TEST(StateRecordTest, RoundTrips) {
  StateRecord r;
  r.id = "x";
  r.bundle = "/bundle";
  r.rootfs = "/bundle/rootfs";
  r.created = "2026-11-23T12:00:00.123456789Z";
  r.pid = 1234;
  r.pid_start_time = 987654321012ULL;
  r.cgroup_parent = "parent";
  r.cgroups_path = "/a/b";
  r.bind_mounts = {{"/a", "/b"}, {"/c d", "/e"}};
  r.use_current_user = true;
  r.run_as_init = false;
  r.annotations = {{"k", "v"}};
  absl::StatusOr<StateRecord> back =
      ParseStateRecord(StateRecordToJson(r), "state.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->bundle, r.bundle);
  EXPECT_EQ(back->rootfs, r.rootfs);
  EXPECT_EQ(back->created, r.created);
  EXPECT_EQ(back->pid, r.pid);
  EXPECT_EQ(back->pid_start_time, r.pid_start_time);
  EXPECT_EQ(back->cgroup_parent, r.cgroup_parent);
  EXPECT_EQ(back->cgroups_path, r.cgroups_path);
  EXPECT_EQ(back->bind_mounts, r.bind_mounts);
  EXPECT_TRUE(back->use_current_user);
  EXPECT_FALSE(back->run_as_init);
  EXPECT_EQ(back->annotations, r.annotations);
}

TEST(StateRecordTest, ErrorsNameFileAndField) {
  EXPECT_THAT(ParseStateRecord("{", "/s/state.json").status().message(),
              HasSubstr("/s/state.json:"));
  EXPECT_THAT(
      ParseStateRecord(R"({"pid": "x"})", "/s/state.json").status().message(),
      HasSubstr("/s/state.json: pid: expected"));
  EXPECT_THAT(
      ParseStateRecord(R"({"bindMounts": [["a"]]})", "f").status().message(),
      HasSubstr("f: bindMounts"));
  EXPECT_FALSE(ParseStateRecord("[]", "f").ok());
}

// Which cgroup directories the create made: absent until it knows, and an
// empty list (it made none: all existed) is not the same as absent.
TEST(StateRecordTest, CreatedCgroupLeaves) {
  StateRecord r;
  absl::StatusOr<StateRecord> back =
      ParseStateRecord(StateRecordToJson(r), "state.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->created_cgroup_leaves.has_value());
  for (const std::vector<std::string>& leaves :
       {std::vector<std::string>{},
        std::vector<std::string>{"/sys/fs/cgroup/pids/c", "/u/c"}}) {
    r.created_cgroup_leaves = leaves;
    back = ParseStateRecord(StateRecordToJson(r), "state.json");
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->created_cgroup_leaves, leaves);
  }
  EXPECT_THAT(ParseStateRecord(R"({"createdCgroupLeaves": [1]})", "f")
                  .status()
                  .message(),
              HasSubstr("f: createdCgroupLeaves: expected strings"));
}

TEST(Rfc3339Test, NanosecondsUtc) {
  absl::Time t = absl::FromUnixNanos(1700000000123456789LL);
  EXPECT_EQ(FormatRfc3339Nanos(t), "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(FormatRfc3339Nanos(absl::FromUnixSeconds(0)),
            "1970-01-01T00:00:00.000000000Z");
}

}  // namespace
}  // namespace run_oci
