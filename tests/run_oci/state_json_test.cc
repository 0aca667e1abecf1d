#include "run_oci/state_json.h"

#include "absl/strings/str_cat.h"
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
  state.annotations = {{"a", "1"}};
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
  // Exactly the config's annotations, nothing of run_oci's own.
  EXPECT_EQ(doc["annotations"].MemberCount(), 1u);
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
  r.created_cgroup_parents = {"/sys/fs/cgroup/memory/p"};
  r.annotations = {{"k", "v"}};
  r.process_args = {"sh", "-c", "echo hi"};
  libcontainer::Hook hook;
  hook.path = "/bin/hook";
  hook.args = {"hook", "a b"};
  hook.env = {"X=1"};
  hook.timeout_seconds = 5;
  r.hooks[libcontainer::HookStage::kPoststop] = {hook, hook};
  r.hooks[libcontainer::HookStage::kPoststart] = {hook};
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
  EXPECT_EQ(back->created_cgroup_parents, r.created_cgroup_parents);
  EXPECT_EQ(back->annotations, r.annotations);
  EXPECT_EQ(back->process_args, r.process_args);
  ASSERT_EQ(back->hooks.size(), 2u);
  const std::vector<libcontainer::Hook>& poststop =
      back->hooks[libcontainer::HookStage::kPoststop];
  ASSERT_EQ(poststop.size(), 2u);
  EXPECT_EQ(poststop[1].path, "/bin/hook");
  EXPECT_EQ(poststop[1].args, hook.args);
  EXPECT_EQ(poststop[1].env, hook.env);
  EXPECT_EQ(poststop[1].timeout_seconds, 5);
  EXPECT_EQ(back->hooks[libcontainer::HookStage::kPoststart].size(), 1u);
}

// The reader config.json uses: iterative (a deep document cannot overflow
// the stack), nesting-limited, one line per error.
TEST(StateRecordTest, HostileDocumentsFailWithOneLine) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string message(
      ParseStateRecord(deep, "/s/state.json").status().message());
  EXPECT_EQ(message, "/s/state.json:1:65: Nesting deeper than 64 levels.");
  std::string nested_value = absl::StrCat(
      R"({"annotations":)", std::string(70, '['), std::string(70, ']'), "}");
  EXPECT_THAT(
      std::string(ParseStateRecord(nested_value, "f").status().message()),
      HasSubstr("Nesting deeper than 64 levels."));
  EXPECT_EQ(ParseStateRecord(R"({"pid":1,"pid":2})", "f").status().message(),
            "f:1:15: Duplicate object key \"pid\".");
  EXPECT_EQ(
      ParseStateRecord(R"({"hooks":{"later":[]}})", "f").status().message(),
      "f: hooks.later: unknown hook stage");
  EXPECT_EQ(ParseStateRecord(R"({"pid":-3})", "f").status().message(),
            "f: pid: must not be negative");
}

TEST(StateRecordTest, ErrorsNameFileAndField) {
  EXPECT_THAT(ParseStateRecord("{", "/s/state.json").status().message(),
              HasSubstr("/s/state.json:"));
  EXPECT_THAT(
      ParseStateRecord(R"({"pid": "x"})", "/s/state.json").status().message(),
      HasSubstr("/s/state.json: pid: expected"));
  EXPECT_EQ(ParseStateRecord(R"({"createdCgroupParents": [1]})", "f")
                .status()
                .message(),
            "f: createdCgroupParents[0]: expected a string, got 1");
  EXPECT_EQ(ParseStateRecord(R"({"hooks": {"poststop": [{}]}})", "f")
                .status()
                .message(),
            "f: hooks.poststop[0].path: required");
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
              HasSubstr("f: createdCgroupLeaves[0]: expected a string"));
}

TEST(Rfc3339Test, NanosecondsUtc) {
  absl::Time t = absl::FromUnixNanos(1700000000123456789LL);
  EXPECT_EQ(FormatRfc3339Nanos(t), "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(FormatRfc3339Nanos(absl::FromUnixSeconds(0)),
            "1970-01-01T00:00:00.000000000Z");
}

}  // namespace
}  // namespace run_oci
