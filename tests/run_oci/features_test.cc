// `run_oci features` and `run_oci spec` against the parser and converter:
// every name the features list claims is accepted by them, and the default
// config.json is one this runtime takes.
#include "run_oci/features.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "run_oci/default_spec.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"

namespace run_oci {
namespace {

using ::testing::Contains;
using ::testing::Not;

std::string Quoted(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back("\"" + name + "\"");
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

// A minimal config with more members spliced into linux.namespaces, linux
// and the top level (each starting with ',').
struct Extra {
  std::string namespaces;
  std::string linux_section;
  std::string top;
};

std::string Config(const Extra& extra) {
  return absl::StrCat(
      R"({"ociVersion":"1.3.0","root":{"path":"rootfs"},)",
      R"("process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},)",
      R"("linux":{"namespaces":[{"type":"mount"})", extra.namespaces, "]",
      extra.linux_section, "}", extra.top, "}");
}

absl::Status ParsesAndConverts(const std::string& json) {
  absl::StatusOr<OciConfig> oci = ParseOciConfig(json, "config.json");
  if (!oci.ok()) return oci.status();
  ConvertOptions options;
  options.bundle_dir = "/bundle";
  return ConvertOciConfig(*oci, options, nullptr).status();
}

TEST(FeaturesTest, EveryNamespaceIsAccepted) {
  const Features f = SupportedFeatures();
  EXPECT_THAT(f.namespaces, Contains("time"));
  for (const std::string& ns : f.namespaces) {
    if (ns == "mount") continue;  // already in every Config()
    Extra extra;
    extra.namespaces = absl::StrCat(R"(,{"type":")", ns, R"("})");
    if (ns == "user") {
      extra.linux_section =
          R"(,"uidMappings":[{"containerID":0,"hostID":1000,"size":1}],)"
          R"("gidMappings":[{"containerID":0,"hostID":1000,"size":1}])";
    }
    std::string json = Config(extra);
    EXPECT_TRUE(ParsesAndConverts(json).ok())
        << ns << ": " << ParsesAndConverts(json);
  }
}

TEST(FeaturesTest, EveryCapabilityIsAccepted) {
  const Features f = SupportedFeatures();
  EXPECT_THAT(f.capabilities, Contains("CAP_CHECKPOINT_RESTORE"));
  std::string caps = Quoted(f.capabilities);
  std::string json = absl::StrCat(
      R"({"ociVersion":"1.3.0","root":{"path":"rootfs"},)",
      R"("process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0},)",
      R"("capabilities":{"bounding":)", caps, R"(,"effective":)", caps,
      R"(,"permitted":)", caps, "}},",
      R"("linux":{"namespaces":[{"type":"mount"}]}})");
  EXPECT_EQ(ParsesAndConverts(json), absl::OkStatus());
}

TEST(FeaturesTest, EveryHookStageIsAccepted) {
  const Features f = SupportedFeatures();
  for (const char* spec_hook : {"prestart", "createRuntime", "createContainer",
                                "startContainer", "poststart", "poststop"}) {
    EXPECT_THAT(f.hooks, Contains(spec_hook));
  }
  std::vector<std::string> stages;
  for (const std::string& hook : f.hooks) {
    stages.push_back(absl::StrCat("\"", hook, R"(":[{"path":"/bin/true"}])"));
  }
  std::string json = Config(
      {"", "", absl::StrCat(R"(,"hooks":{)", absl::StrJoin(stages, ","), "}")});
  EXPECT_EQ(ParsesAndConverts(json), absl::OkStatus());
}

TEST(FeaturesTest, MountOptionsAreTheOnesTheParserGivesAMeaning) {
  const Features f = SupportedFeatures();
  for (const char* option : {"ro", "nosuid", "rbind", "rslave", "rro",
                             "nosymfollow", "idmap", "loop", "tmpcopyup"}) {
    EXPECT_THAT(f.mount_options, Contains(option));
  }
  // Filesystem data, not options of the runtime.
  for (const char* data : {"acl", "noacl", "size=1k"}) {
    EXPECT_THAT(f.mount_options, Not(Contains(data)));
  }
  // All of them on a tmpfs, except those that make it another kind of
  // mount (bind, loop, idmapped) or a remount.
  std::vector<std::string> plain;
  for (const std::string& option : f.mount_options) {
    if (option != "bind" && option != "rbind" && option != "loop" &&
        option != "idmap" && option != "ridmap" && option != "remount") {
      plain.push_back(option);
    }
  }
  std::string json =
      Config({"", "",
              absl::StrCat(R"(,"mounts":[{"destination":"/mnt",)",
                           R"("type":"tmpfs","source":"tmpfs","options":)",
                           Quoted(plain), "}]")});
  EXPECT_EQ(ParsesAndConverts(json), absl::OkStatus());
  std::string bind =
      Config({"", "",
              R"(,"mounts":[{"destination":"/mnt","type":"bind",)"
              R"("source":"/tmp","options":["rbind","bind"]}])"});
  EXPECT_EQ(ParsesAndConverts(bind), absl::OkStatus());
}

TEST(FeaturesTest, EverySeccompNameIsAccepted) {
  const Features f = SupportedFeatures();
  EXPECT_THAT(f.seccomp_archs, Contains("SCMP_ARCH_X86_64"));
  EXPECT_THAT(f.seccomp_operators, Contains("SCMP_CMP_MASKED_EQ"));
  std::vector<std::string> rules;
  for (const std::string& action : f.seccomp_actions) {
    for (const std::string& op : f.seccomp_operators) {
      rules.push_back(
          absl::StrCat(R"({"names":["getppid"],"action":")", action,
                       R"(","args":[{"index":0,"value":1,"valueTwo":1,"op":")",
                       op, R"("}]})"));
    }
  }
  std::string seccomp = absl::StrCat(
      R"(,"seccomp":{"defaultAction":"SCMP_ACT_ALLOW",)",
      R"("listenerPath":"/run/agent.sock","architectures":)",
      Quoted(f.seccomp_archs), R"(,"flags":)", Quoted(f.seccomp_flags),
      R"(,"syscalls":[)", absl::StrJoin(rules, ","), "]}");
  EXPECT_EQ(ParsesAndConverts(Config({"", seccomp, ""})), absl::OkStatus());
  EXPECT_EQ(f.seccomp_actions.size(), 9u);
  EXPECT_EQ(f.seccomp_operators.size(), 7u);
}

TEST(FeaturesTest, JsonIsTheSpecsStructure) {
  rapidjson::Document doc;
  doc.Parse(FeaturesJson(SupportedFeatures()).c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["ociVersionMin"].GetString(), "1.0.0");
  EXPECT_STREQ(doc["ociVersionMax"].GetString(), "1.3.0");
  const rapidjson::Value& linux_features = doc["linux"];
  EXPECT_TRUE(linux_features["cgroup"]["v1"].GetBool());
  EXPECT_TRUE(linux_features["cgroup"]["v2"].GetBool());
  EXPECT_FALSE(linux_features["cgroup"]["systemd"].GetBool());
  EXPECT_TRUE(linux_features["seccomp"]["enabled"].GetBool());
  EXPECT_FALSE(linux_features["apparmor"]["enabled"].GetBool());
  EXPECT_FALSE(linux_features["selinux"]["enabled"].GetBool());
  EXPECT_FALSE(linux_features["intelRdt"]["enabled"].GetBool());
  EXPECT_TRUE(linux_features["mountExtensions"]["idmap"]["enabled"].GetBool());
  EXPECT_EQ(linux_features["namespaces"].Size(),
            SupportedFeatures().namespaces.size());
}

// runc's default: everything in it is something this runtime does.
TEST(DefaultSpecTest, ParsesAndConverts) {
  for (bool rootless : {false, true}) {
    DefaultSpecOptions options;
    options.rootless = rootless;
    options.uid = 1000;
    options.gid = 1001;
    std::string json = DefaultSpecJson(options);
    EXPECT_EQ(ParsesAndConverts(json), absl::OkStatus()) << json;
  }
}

TEST(DefaultSpecTest, RootlessMapsTheCallerAndDropsWhatItCannotHave) {
  DefaultSpecOptions options;
  options.rootless = true;
  options.uid = 1000;
  options.gid = 1001;
  rapidjson::Document doc;
  doc.Parse(DefaultSpecJson(options).c_str());
  ASSERT_FALSE(doc.HasParseError());
  const rapidjson::Value& linux_section = doc["linux"];
  EXPECT_EQ(linux_section["uidMappings"][0]["hostID"].GetUint(), 1000u);
  EXPECT_EQ(linux_section["gidMappings"][0]["hostID"].GetUint(), 1001u);
  EXPECT_EQ(linux_section["uidMappings"][0]["size"].GetUint(), 1u);
  EXPECT_FALSE(linux_section.HasMember("resources"));
  std::vector<std::string> types;
  for (const auto& ns : linux_section["namespaces"].GetArray()) {
    types.push_back(ns["type"].GetString());
  }
  EXPECT_THAT(types,
              testing::ElementsAre("pid", "ipc", "uts", "mount", "user"));
  for (const auto& mount : doc["mounts"].GetArray()) {
    if (!mount.HasMember("options")) continue;
    for (const auto& option : mount["options"].GetArray()) {
      EXPECT_NE(std::string(option.GetString()).substr(0, 4), "gid=");
    }
    if (std::string(mount["destination"].GetString()) == "/sys") {
      EXPECT_STREQ(mount["type"].GetString(), "none");
      EXPECT_STREQ(mount["source"].GetString(), "/sys");
    }
  }
}

}  // namespace
}  // namespace run_oci
