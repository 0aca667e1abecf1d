// Edge cases of the config.json parser and of the name tables. The broad,
// fixture-driven coverage is golden_test.cc; this file pins down the exact
// error forms, integer ranges and the parser's resource limits.
#include "run_oci/parser/oci_parser.h"

#include <errno.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_names.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A valid config with `extra` members appended at the top level.
std::string Config(const std::string& extra = "") {
  std::string config = R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"})";
  if (!extra.empty()) absl::StrAppend(&config, ", ", extra);
  return config + "}";
}

// A valid config whose process object has `fields` appended.
std::string WithProcess(const std::string& fields) {
  std::string process = R"("process": {"args": ["sh"], "cwd": "/")";
  if (!fields.empty()) absl::StrAppend(&process, ", ", fields);
  return Config(process + "}");
}

std::string WithLinux(const std::string& fields) {
  return Config(absl::StrCat(R"("linux": {)", fields, "}"));
}

// The error message of parsing `json`; "OK" if it parsed.
std::string ErrorOf(const std::string& json) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(json);
  if (config.ok()) return "OK";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message().find('\n'), std::string::npos);
  return std::string(config.status().message());
}

TEST(OciParserTest, MinimalConfig) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithProcess(""));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->oci_version, "1.2.0");
  EXPECT_EQ(config->root.path, "rootfs");
  EXPECT_FALSE(config->root.readonly);
  EXPECT_THAT(config->process.args, ElementsAre("sh"));
  EXPECT_EQ(config->process.cwd, "/");
  EXPECT_TRUE(config->mounts.empty());
}

TEST(OciParserTest, UnknownPropertiesAndPlatformAreIgnored) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(Config(
      R"("platform": {"os": "linux", "arch": "amd64"}, "future": [1, {}],
         "linux": {"newThing": {"x": 1}, "cgroupsPath": "/a"})"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->linux_config.cgroups_path, "/a");
}

TEST(OciParserTest, NullCountsAsAbsent) {
  absl::StatusOr<OciConfig> config =
      ParseOciConfig(Config(R"("hostname": null, "mounts": null)"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hostname, "");
  EXPECT_EQ(ErrorOf(Config(R"("process": {"args": ["a"], "cwd": null})")),
            "config.json: process.cwd: required");
}

TEST(OciParserTest, RlimitInfinityFitsAndSoftMustNotExceedHard) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithProcess(
      R"("rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1024,
                      "hard": 18446744073709551615}])"));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->process.rlimits.size(), 1u);
  EXPECT_EQ(config->process.rlimits[0].hard, RLIM_INFINITY);
  EXPECT_EQ(config->process.rlimits[0].soft, 1024u);

  EXPECT_EQ(
      ErrorOf(WithProcess(
          R"("rlimits": [{"type": "RLIMIT_CORE", "soft": 2, "hard": 1}])")),
      "config.json: process.rlimits[0]: soft limit 2 exceeds hard "
      "limit 1");
  EXPECT_EQ(ErrorOf(WithProcess(
                R"("rlimits": [{"type": "RLIMIT_CORE", "soft": 1,
                                "hard": 18446744073709551616}])")),
            "config.json: process.rlimits[0].hard: expected a 64-bit "
            "unsigned integer, got 18446744073709553000.0");
}

TEST(OciParserTest, EnvValuesMayContainEquals) {
  absl::StatusOr<OciConfig> config =
      ParseOciConfig(WithProcess(R"("env": ["A=b=c", "EMPTY="])"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(config->process.env, ElementsAre("A=b=c", "EMPTY="));
  EXPECT_EQ(ErrorOf(WithProcess(R"("env": ["A=1", "NOEQUALS"])")),
            "config.json: process.env[1]: must be KEY=VALUE, got "
            "\"NOEQUALS\"");
  EXPECT_EQ(ErrorOf(WithProcess(R"("env": ["=x"])")),
            "config.json: process.env[0]: must be KEY=VALUE, got \"=x\"");
}

TEST(OciParserTest, IntegersAreRangeCheckedAgainstTheirCType) {
  const std::string uid_error =
      "config.json: process.user.uid: expected a 32-bit unsigned integer, got ";
  auto with_uid = [](const std::string& uid) {
    return WithProcess(
        absl::StrCat(R"("user": {"uid": )", uid, R"(, "gid": 0})"));
  };
  EXPECT_EQ(ErrorOf(with_uid("\"abc\"")), uid_error + "\"abc\"");
  EXPECT_EQ(ErrorOf(with_uid("-1")), uid_error + "-1");
  EXPECT_EQ(ErrorOf(with_uid("4294967296")), uid_error + "4294967296");
  EXPECT_EQ(ErrorOf(with_uid("1.0")), uid_error + "1.0");
  EXPECT_EQ(ErrorOf(with_uid("1e3")), uid_error + "1000.0");
  EXPECT_EQ(ErrorOf(with_uid("true")), uid_error + "true");
  absl::StatusOr<OciConfig> config = ParseOciConfig(with_uid("4294967294"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->process.user.uid, 4294967294u);
  // In range for uint32_t, but (uid_t)-1 means "unchanged" to setresuid.
  EXPECT_EQ(ErrorOf(with_uid("4294967295")),
            "config.json: process.user.uid: 4294967295 is not a valid id "
            "((uid_t)-1 means \"unchanged\" to the kernel)");

  EXPECT_EQ(ErrorOf(WithProcess(R"("oomScoreAdj": 1001)")),
            "config.json: process.oomScoreAdj: must be in [-1000, 1000]");
  EXPECT_EQ(ErrorOf(WithProcess(R"("oomScoreAdj": 2147483648)")),
            "config.json: process.oomScoreAdj: expected a 32-bit signed "
            "integer, got 2147483648");
  EXPECT_EQ(
      ErrorOf(WithLinux(R"("resources": {"blockIO": {"weight": 65536}})")),
      "config.json: linux.resources.blockIO.weight: expected a 16-bit "
      "unsigned integer, got 65536");
  EXPECT_EQ(ErrorOf(WithLinux(
                R"("devices": [{"type": "c", "path": "/dev/x",
                                "major": 9223372036854775808, "minor": 1}])")),
            "config.json: linux.devices[0].major: expected a 64-bit signed "
            "integer, got 9223372036854775808");
}

TEST(OciParserTest, OffendingValueIsCompactJsonCutToFortyCharacters) {
  EXPECT_EQ(ErrorOf(Config(R"("hostname": {"a": [1, 2, 3],
      "b": "0123456789012345678901234567890123456789"})")),
            "config.json: hostname: expected a string, got "
            "{\"a\":[1,2,3],\"b\":\"0123456789012345678901...");
}

TEST(OciParserTest, MalformedJsonReportsLineAndColumn) {
  EXPECT_EQ(ErrorOf("{\n  \"ociVersion\": \"1\",\n    }"),
            "config.json:3:5: Missing a name for object member.");
  EXPECT_EQ(ErrorOf(""), "config.json:1:1: The document is empty.");
  EXPECT_EQ(ErrorOf(Config() + " x"),
            absl::StrCat("config.json:1:", Config().size() + 2,
                         ": The document root must not be followed by other "
                         "values."));
  EXPECT_EQ(ErrorOf("{\"a\": 1, \"a\": 2}"),
            "config.json:1:13: Duplicate object key \"a\".");
  EXPECT_EQ(ErrorOf(std::string("{\"a\": 1}\0{", 10)),
            "config.json:1:9: NUL byte in document.");
  EXPECT_EQ(ErrorOf("{\"a\": \"\xff\"}"),
            "config.json:1:8: Invalid encoding in string.");
  EXPECT_EQ(ErrorOf("[1]"), "config.json: expected an object, got [1]");
}

TEST(OciParserTest, FileNameIsTheErrorPrefix) {
  absl::StatusOr<OciConfig> config = ParseOciConfig("{}", "bundle/x.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "bundle/x.json: ociVersion: required");
}

TEST(OciParserTest, NestingDepthIsCapped) {
  std::string deep_ok = Config(absl::StrCat(
      "\"annotations_x\": ", std::string(62, '['), std::string(62, ']')));
  EXPECT_EQ(ErrorOf(deep_ok), "OK");
  std::string too_deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(ErrorOf(too_deep),
            "config.json:1:65: Nesting deeper than 64 levels.");
}

TEST(OciParserTest, DocumentSizeIsCapped) {
  std::string big = Config(
      absl::StrCat("\"x\": \"", std::string(16 * 1024 * 1024, 'a'), "\""));
  EXPECT_EQ(ErrorOf(big), absl::StrCat("config.json: larger than 16777216 "
                                       "bytes (",
                                       big.size(), ")"));
}

// config.md: ociVersion MUST be SemVer 2.0.0; configs are compatible within
// a major version, so every 1.x.y is read and nothing else.
TEST(OciParserTest, OciVersionIsAnySemVerOneXY) {
  auto with_version = [](const std::string& version) {
    return absl::StrCat(R"({"ociVersion": ")", version,
                        R"(", "root": {"path": "rootfs"}})");
  };
  for (const char* good :
       {"1.0.0", "1.3.0", "1.0.0-rc1", "1.0.2-dev", "1.0.0-rc.5.1",
        "1.1.0-rc.3+build.7", "1.2.0+20240101", "1.99.1000", "1.0.0-0a",
        "1.0.0-x-y-z.--", "1.0.0+001"}) {
    absl::StatusOr<OciConfig> config = ParseOciConfig(with_version(good));
    EXPECT_TRUE(config.ok()) << good << ": " << config.status();
    if (config.ok()) {
      EXPECT_EQ(config->oci_version, good);
    }
  }
  for (const char* bad :
       {"", "invalid", "1", "1.0", "1.0.0.0", "01.0.0", "1.00.0", "1.0.01",
        "1.0.0-", "1.0.0+", "1.0.0-01", "1.0.0-rc..1", "1.0.0-r_c", " 1.0.0",
        "1.0.0 ", "v1.0.0", "1.0.x", "-1.0.0", "1.0.0+a+b"}) {
    EXPECT_EQ(ErrorOf(with_version(bad)),
              absl::StrCat("config.json: ociVersion: ", JsonQuote(bad),
                           " is not a SemVer 2.0.0 version (e.g. \"1.2.0\")"))
        << bad;
  }
  for (const char* other_major : {"2.0.0", "0.1.0", "0.5.0-dev", "10.0.0"}) {
    EXPECT_EQ(ErrorOf(with_version(other_major)),
              absl::StrCat("config.json: ociVersion: \"", other_major,
                           "\" is not supported: run_oci reads runtime-spec "
                           "1.x.y configs"));
  }
}

// config-linux.md: pageSize is <size><unit-prefix>B, schema pattern
// ^[1-9][0-9]*[KMG]B$.
TEST(OciParserTest, HugepagePageSizeFollowsTheSpecPattern) {
  auto with_size = [](const std::string& size) {
    return WithLinux(absl::StrCat(
        R"("resources": {"hugepageLimits": [{"pageSize": "2MB", "limit": 1},
                                            {"pageSize": )",
        JsonQuote(size), R"(, "limit": 0}]})"));
  };
  for (const char* good : {"2MB", "64KB", "1GB", "16GB", "1024KB", "32MB"}) {
    absl::StatusOr<OciConfig> config = ParseOciConfig(with_size(good));
    ASSERT_TRUE(config.ok()) << good << ": " << config.status();
    ASSERT_EQ(config->linux_config.resources.hugepage_limits.size(), 2u);
    EXPECT_EQ(config->linux_config.resources.hugepage_limits[1].page_size,
              good);
    EXPECT_EQ(config->linux_config.resources.hugepage_limits[1].limit, 0u);
  }
  for (const char* bad :
       {"", "2M", "2mb", "2 MB", "02MB", "0MB", "MB", "2TB", "2KiB", "2MBB",
        "-2MB", "2.5MB", "../../../x", "2MB/../../x", "2MB\n", "B", "KB"}) {
    EXPECT_EQ(ErrorOf(with_size(bad)),
              absl::StrCat("config.json: linux.resources.hugepageLimits[1]."
                           "pageSize: must be <size><KB|MB|GB> such as "
                           "\"2MB\", got ",
                           JsonQuote(bad)))
        << bad;
  }
}

TEST(OciParserTest, RequiredProperties) {
  EXPECT_EQ(ErrorOf("{}"), "config.json: ociVersion: required");
  EXPECT_EQ(ErrorOf(R"({"ociVersion": "1.2.0"})"),
            "config.json: root: required");
  EXPECT_EQ(ErrorOf(Config(R"("process": {"args": ["sh"]})")),
            "config.json: process.cwd: required");
  EXPECT_EQ(ErrorOf(Config(R"("process": {"cwd": "/"})")),
            "config.json: process.args: required");
  EXPECT_EQ(ErrorOf(Config(R"("process": {"args": [], "cwd": "/"})")),
            "config.json: process.args: must not be empty");
  EXPECT_EQ(ErrorOf(Config(R"("mounts": [{"type": "proc"}])")),
            "config.json: mounts[0].destination: required");
}

TEST(OciParserTest, PathsMustBeAbsolute) {
  EXPECT_EQ(ErrorOf(Config(R"("hooks": {"prestart": [{"path": "x"}]})")),
            "config.json: hooks.prestart[0].path: must be an absolute path, "
            "got \"x\"");
  EXPECT_EQ(ErrorOf(Config(R"("mounts": [{"destination": "/a"},
                                         {"destination": "b"}])")),
            "config.json: mounts[1].destination: must be an absolute path, "
            "got \"b\"");
  EXPECT_EQ(ErrorOf(Config(R"("process": {"args": ["sh"], "cwd": "tmp"})")),
            "config.json: process.cwd: must be an absolute path, got \"tmp\"");
}

TEST(OciParserTest, Hooks) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(Config(
      R"("hooks": {"precreate": [{"path": "/a"}], "prechroot": [{"path": "/b",
         "args": ["b", "1"], "env": ["X=1"], "timeout": 5}],
         "poststop": [{"path": "/c"}, {"path": "/d"}]})"));
  ASSERT_TRUE(config.ok()) << config.status();
  using libcontainer::HookStage;
  ASSERT_EQ(config->hooks[HookStage::kPrecreate].size(), 1u);
  ASSERT_EQ(config->hooks[HookStage::kPrechroot].size(), 1u);
  EXPECT_EQ(config->hooks[HookStage::kPrechroot][0].timeout, 5);
  EXPECT_THAT(config->hooks[HookStage::kPrechroot][0].args,
              ElementsAre("b", "1"));
  EXPECT_EQ(config->hooks[HookStage::kPoststop].size(), 2u);
  // Stages config.json does not name are absent.
  EXPECT_EQ(config->hooks.count(HookStage::kPrestart), 0u);
  EXPECT_EQ(ErrorOf(Config(
                R"("hooks": {"poststart": [{"path": "/a", "timeout": 0}]})")),
            "config.json: hooks.poststart[0].timeout: must be > 0");
}

TEST(OciParserTest, Capabilities) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithProcess(
      R"("capabilities": {"bounding": ["CAP_BPF", "CAP_CHECKPOINT_RESTORE"],
         "effective": ["CAP_PERFMON"], "ambient": []})"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(config->process.capabilities->bounding,
              ElementsAre("CAP_BPF", "CAP_CHECKPOINT_RESTORE"));
  EXPECT_THAT(config->process.capabilities->effective,
              ElementsAre("CAP_PERFMON"));
  EXPECT_EQ(ErrorOf(WithProcess(
                R"("capabilities": {"permitted": ["CAP_KILL", "CAP_FOO"]})")),
            "config.json: process.capabilities.permitted[1]: unknown "
            "capability \"CAP_FOO\"");
}

TEST(OciParserTest, RlimitNamesAndDuplicates) {
  EXPECT_EQ(ErrorOf(WithProcess(
                R"("rlimits": [{"type": "RLIMIT_X", "soft": 1, "hard": 1}])")),
            "config.json: process.rlimits[0].type: unknown rlimit "
            "\"RLIMIT_X\"");
  EXPECT_EQ(ErrorOf(WithProcess(
                R"("rlimits": [{"type": "RLIMIT_AS", "soft": 1, "hard": 1},
                               {"type": "RLIMIT_AS", "soft": 1, "hard": 1}])")),
            "config.json: process.rlimits[1].type: duplicate rlimit "
            "\"RLIMIT_AS\"");
}

TEST(OciParserTest, Namespaces) {
  EXPECT_EQ(ErrorOf(WithLinux(R"("namespaces": [{"type": "pid"},
                                                {"type": "pid"}])")),
            "config.json: linux.namespaces[1].type: duplicate namespace type "
            "\"pid\"");
  EXPECT_EQ(ErrorOf(WithLinux(R"("namespaces": [{"type": "bogus"}])")),
            "config.json: linux.namespaces[0].type: unknown namespace type "
            "\"bogus\"");
}

constexpr char kUserNs[] = R"("namespaces": [{"type": "user"}])";

TEST(OciParserTest, UserNamespaceNeedsMappingsAndViceVersa) {
  EXPECT_EQ(ErrorOf(WithLinux(kUserNs)),
            "config.json: linux.uidMappings: required with a new \"user\" "
            "namespace");
  EXPECT_EQ(
      ErrorOf(WithLinux(
          R"("uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}])")),
      "config.json: linux.uidMappings: requires a \"user\" namespace in "
      "linux.namespaces");
  EXPECT_EQ(
      ErrorOf(WithLinux(
          R"("namespaces": [{"type": "user", "path": "/proc/1/ns/user"}])")),
      "OK");
}

std::string WithUidMaps(const std::string& maps) {
  return WithLinux(absl::StrCat(
      kUserNs, R"(, "gidMappings": [{"containerID": 0, "hostID": 0, "size": 1}],
      "uidMappings": )",
      maps));
}

TEST(OciParserTest, IdMappingRanges) {
  // [4294967295, 2^32) is the last valid range; one more is past the end.
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 4294967295, "hostID": 1000, "size": 1}])")),
            "OK");
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 4294967295, "hostID": 1000, "size": 2}])")),
            "config.json: linux.uidMappings[0]: containerID + size "
            "(4294967295 + 2) exceeds 2^32");
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 0, "hostID": 4294967290, "size": 7}])")),
            "config.json: linux.uidMappings[0]: hostID + size (4294967290 + "
            "7) exceeds 2^32");
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 0, "hostID": 1000, "size": 0}])")),
            "config.json: linux.uidMappings[0].size: must be > 0");
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 0, "hostID": 1000, "size": 10},
                    {"containerID": 9, "hostID": 5000, "size": 1}])")),
            "config.json: linux.uidMappings[1]: container range overlaps "
            "linux.uidMappings[0]");
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 0, "hostID": 1000, "size": 10},
                    {"containerID": 10, "hostID": 990, "size": 11}])")),
            "config.json: linux.uidMappings[1]: host range overlaps "
            "linux.uidMappings[0]");
  // Adjacent ranges touch but do not overlap.
  EXPECT_EQ(ErrorOf(WithUidMaps(
                R"([{"containerID": 0, "hostID": 1000, "size": 10},
                    {"containerID": 10, "hostID": 1010, "size": 10}])")),
            "OK");
  // Idmapped mounts are checked the same way but need no user namespace.
  EXPECT_EQ(ErrorOf(Config(R"("mounts": [{"destination": "/m",
      "uidMappings": [{"containerID": 0, "hostID": 1, "size": 0}]}])")),
            "config.json: mounts[0].uidMappings[0].size: must be > 0");
}

TEST(OciParserTest, Devices) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithLinux(
      R"("devices": [{"type": "c", "path": "/dev/null", "major": 1,
                      "minor": 3, "fileMode": 438, "uid": 0},
                     {"type": "c", "path": "/dev/dri/card0",
                      "dynamicMajor": true, "dynamicMinor": true},
                     {"type": "p", "path": "/dev/fifo"}])"));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->linux_config.devices.size(), 3u);
  EXPECT_EQ(config->linux_config.devices[0].file_mode, 0666u);
  EXPECT_FALSE(config->linux_config.devices[0].gid.has_value());
  EXPECT_TRUE(config->linux_config.devices[1].dynamic_minor);

  EXPECT_EQ(
      ErrorOf(WithLinux(R"("devices": [{"type": "x", "path": "/dev/a"}])")),
      "config.json: linux.devices[0].type: must be one of \"c\", "
      "\"b\", \"u\", \"p\", got \"x\"");
  EXPECT_EQ(ErrorOf(WithLinux(
                R"("devices": [{"type": "p", "path": "/dev/../etc/passwd"}])")),
            "config.json: linux.devices[0].path: must be an absolute path "
            "under /dev, got \"/dev/../etc/passwd\"");
  EXPECT_EQ(
      ErrorOf(WithLinux(R"("devices": [{"type": "p", "path": "/tmp/x"}])")),
      "config.json: linux.devices[0].path: must be an absolute path "
      "under /dev, got \"/tmp/x\"");
  EXPECT_EQ(
      ErrorOf(WithLinux(
          R"("devices": [{"type": "b", "path": "/dev/sda", "major": 8}])")),
      "config.json: linux.devices[0].minor: required for a \"b\" device");
}

TEST(OciParserTest, CgroupDeviceRules) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithLinux(
      R"("resources": {"devices": [{"allow": false, "access": "mwr"},
          {"allow": true, "type": "c", "major": 1, "minor": -1,
           "access": "rw"}]})"));
  ASSERT_TRUE(config.ok()) << config.status();
  const auto& rules = config->linux_config.resources.devices;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].type, 'a');
  EXPECT_EQ(rules[0].access, "rwm");
  EXPECT_EQ(rules[1].major, 1);
  EXPECT_FALSE(rules[1].minor.has_value());  // -1 is the wildcard

  EXPECT_EQ(
      ErrorOf(WithLinux(
          R"("resources": {"devices": [{"allow": true, "access": "rr"}]})")),
      "config.json: linux.resources.devices[0].access: must be a "
      "combination of \"r\", \"w\" and \"m\", each at most once, got "
      "\"rr\"");
  EXPECT_EQ(ErrorOf(WithLinux(
                R"("resources": {"devices": [{"allow": true, "type": "p"}]})")),
            "config.json: linux.resources.devices[0].type: must be one of "
            "\"a\", \"b\", \"c\", got \"p\"");
  EXPECT_EQ(ErrorOf(WithLinux(R"("resources": {"devices": [{"type": "a"}]})")),
            "config.json: linux.resources.devices[0].allow: required");
}

// Shipping ARC++ bundles write some device numbers as strings
// (linux.resources.devices[0].major: "13"). Chromium's run_oci silently
// reads those as "any"; run_oci reads the number and says so.
TEST(OciParserTest, DeviceNumbersAsDecimalStringsWarn) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithLinux(
      R"("namespaces": [{"type": "mount"}],
         "devices": [{"type": "c", "path": "/dev/input/event0",
                      "major": "13", "minor": "64"},
                     {"type": "c", "path": "/dev/null", "major": 1,
                      "minor": 3}],
         "resources": {"devices": [{"allow": false, "access": "rwm"},
             {"allow": true, "type": "c", "major": "13", "access": "rw"},
             {"allow": true, "type": "c", "major": "10", "minor": "-1"}]})"));
  ASSERT_TRUE(config.ok()) << config.status();
  const OciLinux& l = config->linux_config;
  EXPECT_EQ(l.devices[0].major, 13);
  EXPECT_EQ(l.devices[0].minor, 64);
  EXPECT_EQ(l.devices[1].major, 1);
  EXPECT_EQ(l.resources.devices[1].major, 13);
  EXPECT_FALSE(l.resources.devices[1].minor.has_value());
  EXPECT_EQ(l.resources.devices[2].major, 10);
  EXPECT_FALSE(l.resources.devices[2].minor.has_value());  // "-1": any
  EXPECT_THAT(
      config->warnings,
      ElementsAre(
          "config.json: linux.devices[0].major: a string, read as 13",
          "config.json: linux.devices[0].minor: a string, read as 64",
          "config.json: linux.resources.devices[1].major: a string, read as "
          "13",
          "config.json: linux.resources.devices[2].major: a string, read as "
          "10",
          "config.json: linux.resources.devices[2].minor: a string, read as "
          "-1"));

  // The converter passes them on, first.
  std::vector<std::string> warnings;
  ConvertOptions options;
  options.bundle_dir = "/bundle";
  ASSERT_TRUE(ConvertOciConfig(*config, options, &warnings).ok());
  ASSERT_GE(warnings.size(), 5u);
  EXPECT_EQ(warnings[0],
            "config.json: linux.devices[0].major: a string, read as 13");

  // Numbers stay silent.
  config = ParseOciConfig(
      WithLinux(R"("resources": {"devices": [{"allow": true, "major": 13}]})"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->warnings.empty());

  for (const char* bad : {"", "abc", "13a", " 13", "13 ", "+13", "0x0d", "1e1",
                          "1.5", "-", "--1", "99999999999999999999"}) {
    EXPECT_EQ(ErrorOf(WithLinux(absl::StrCat(
                  R"("resources": {"devices": [{"allow": true, "major": )",
                  JsonQuote(bad), "}]}"))),
              absl::StrCat("config.json: linux.resources.devices[0].major: "
                           "expected a 64-bit signed integer, got ",
                           JsonQuote(bad)))
        << bad;
    EXPECT_EQ(ErrorOf(WithLinux(absl::StrCat(
                  R"("devices": [{"type": "c", "path": "/dev/x", "major": 1,
                                  "minor": )",
                  JsonQuote(bad), "}]"))),
              absl::StrCat("config.json: linux.devices[0].minor: expected a "
                           "64-bit signed integer, got ",
                           JsonQuote(bad)))
        << bad;
  }
  // A string is still range-checked as the number it reads as.
  EXPECT_EQ(
      ErrorOf(WithLinux(
          R"("resources": {"devices": [{"allow": true, "major": "-2"}]})")),
      "config.json: linux.resources.devices[0].major: must be >= 0 (or -1 "
      "for any)");
}

TEST(OciParserTest, Sysctls) {
  const std::string namespaces =
      R"("namespaces": [{"type": "ipc"}, {"type": "uts"},
                        {"type": "network", "path": "/run/netns/x"}], )";
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithLinux(
      namespaces + R"("sysctl": {"kernel.shmmax": "1", "kernel.msgmax": "2",
          "kernel.sem": "1 2 3 4", "fs.mqueue.msg_max": "3",
          "kernel.hostname": "h", "net.ipv4.ip_forward": "1",
          "net/ipv4/conf/eth0.100/forwarding": "0"})"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->linux_config.sysctl.at("net.ipv4.ip_forward"), "1");

  EXPECT_EQ(ErrorOf(WithLinux(R"("sysctl": {"net.ipv4.ip_forward": "1"})")),
            "config.json: linux.sysctl.net.ipv4.ip_forward: requires a "
            "\"network\" namespace in linux.namespaces");
  EXPECT_EQ(ErrorOf(WithLinux(R"("sysctl": {"kernel.shmall": "1"})")),
            "config.json: linux.sysctl.kernel.shmall: requires a \"ipc\" "
            "namespace in linux.namespaces");
  EXPECT_EQ(ErrorOf(WithLinux(R"("sysctl": {"kernel.domainname": "x"})")),
            "config.json: linux.sysctl.kernel.domainname: requires a \"uts\" "
            "namespace in linux.namespaces");
  EXPECT_EQ(
      ErrorOf(WithLinux(namespaces + R"("sysctl": {"vm.swappiness": "1"})")),
      "config.json: linux.sysctl.vm.swappiness: not namespaced; a "
      "container must not set it");
  EXPECT_EQ(ErrorOf(WithLinux(namespaces +
                              R"("sysctl": {"net/../../kernel/x": "1"})")),
            "config.json: linux.sysctl.net/../../kernel/x: invalid sysctl "
            "name");
  EXPECT_EQ(ErrorOf(WithLinux(R"("sysctl": {"net.a": 1})")),
            "config.json: linux.sysctl.net.a: expected a string, got 1");
}

TEST(OciParserTest, MapKeysWithControlCharactersAreQuotedInPaths) {
  EXPECT_EQ(ErrorOf(WithLinux(R"("sysctl": {"vm.a\nb": "1"})")),
            "config.json: linux.sysctl.\"vm.a\\nb\": not namespaced; a "
            "container must not set it");
  EXPECT_EQ(ErrorOf(Config(R"("annotations": {"a\u0001": 2})")),
            "config.json: annotations.\"a\\u0001\": expected a string, got 2");
}

TEST(OciParserTest, IdMappingCountIsTheKernelLimit) {
  std::string maps = "[";
  for (int i = 0; i < 341; ++i) {
    absl::StrAppend(&maps, i ? "," : "", R"({"containerID": )", i,
                    R"(, "hostID": )", 1000 + i, R"(, "size": 1})");
  }
  EXPECT_EQ(ErrorOf(WithUidMaps(maps + "]")),
            "config.json: linux.uidMappings: has 341 entries; the kernel "
            "accepts at most 340");
}

TEST(OciParserTest, Seccomp) {
  absl::StatusOr<OciConfig> config = ParseOciConfig(WithLinux(
      R"("seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
          "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
          "flags": ["SECCOMP_FILTER_FLAG_LOG"],
          "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                        "args": [{"index": 0, "value": 4294967295,
                                  "op": "SCMP_CMP_EQ"}]}]})"));
  ASSERT_TRUE(config.ok()) << config.status();
  const shim::SeccompPolicy& seccomp = *config->linux_config.seccomp;
  EXPECT_EQ(seccomp.default_errno_ret, 1u);
  ASSERT_EQ(seccomp.syscalls.size(), 1u);
  EXPECT_EQ(seccomp.syscalls[0].args[0].value, 4294967295u);

  auto error_of = [](const std::string& seccomp_json) {
    return ErrorOf(WithLinux(absl::StrCat(R"("seccomp": )", seccomp_json)));
  };
  EXPECT_EQ(error_of(R"({"defaultAction": "SCMP_ACT_NOPE"})"),
            "config.json: linux.seccomp.defaultAction: unknown seccomp action "
            "\"SCMP_ACT_NOPE\"");
  EXPECT_EQ(error_of(R"({"defaultAction": "SCMP_ACT_KILL",
                         "architectures": ["SCMP_ARCH_VAX"]})"),
            "config.json: linux.seccomp.architectures[0]: unknown seccomp "
            "architecture \"SCMP_ARCH_VAX\"");
  EXPECT_EQ(error_of(R"({"defaultAction": "SCMP_ACT_KILL", "flags": ["X"]})"),
            "config.json: linux.seccomp.flags[0]: unknown seccomp flag \"X\"");
  EXPECT_EQ(error_of(R"({"defaultAction": "SCMP_ACT_KILL", "syscalls": [
                        {"names": ["read"], "action": "SCMP_ACT_ALLOW",
                         "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]})"),
            "config.json: linux.seccomp.syscalls[0].args[0].index: must be in "
            "[0, 5]");
  EXPECT_EQ(error_of(R"({"defaultAction": "SCMP_ACT_KILL", "syscalls": [
                        {"names": ["read"], "action": "SCMP_ACT_ALLOW",
                         "args": [{"index": 0, "value": 1, "op": "EQ"}]}]})"),
            "config.json: linux.seccomp.syscalls[0].args[0].op: unknown "
            "seccomp operator \"EQ\"");
  EXPECT_EQ(error_of(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                        {"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]})"),
            "config.json: linux.seccomp.listenerPath: required when an action "
            "is SCMP_ACT_NOTIFY");
}

TEST(OciParserTest, SmallerLinuxSections) {
  EXPECT_EQ(ErrorOf(WithLinux(R"("rootfsPropagation": "sideways")")),
            "config.json: linux.rootfsPropagation: unknown propagation "
            "\"sideways\"");
  EXPECT_EQ(ErrorOf(WithLinux(R"("skipSecurebits": ["KEEP_CAPS", "NOPE"])")),
            "config.json: linux.skipSecurebits[1]: unknown securebit "
            "\"NOPE\"");
  EXPECT_EQ(ErrorOf(WithLinux(R"("personality": {"domain": "BSD"})")),
            "config.json: linux.personality.domain: unknown personality "
            "domain \"BSD\"");
  EXPECT_EQ(ErrorOf(WithLinux(
                R"("namespaces": [{"type": "time"}],
                   "timeOffsets": {"realtime": {"secs": 1}})")),
            "config.json: linux.timeOffsets.realtime: unknown clock; must be "
            "\"monotonic\" or \"boottime\"");
  EXPECT_EQ(ErrorOf(WithLinux(R"("timeOffsets": {"boottime": {"secs": 1}})")),
            "config.json: linux.timeOffsets: requires a new \"time\" namespace "
            "in linux.namespaces");

  absl::StatusOr<OciConfig> config = ParseOciConfig(WithLinux(
      R"("namespaces": [{"type": "time"}],
         "timeOffsets": {"monotonic": {"secs": -5, "nanosecs": 7}},
         "cpu": {"realtimeRuntime": 950000, "realtimePeriod": 1000000},
         "resources": {"cpu": {"quota": -1, "cpus": "0-1"},
                       "pids": {"limit": -1},
                       "rdma": {"mlx5_0": {"hcaHandles": 3}},
                       "unified": {"memory.high": "max"}},
         "altSyscall": "android", "coreSched": true,
         "skipSecurebits": ["KEEP_CAPS", "KEEP_CAPS_LOCKED"],
         "personality": {"domain": "LINUX32", "flags": []})"));
  ASSERT_TRUE(config.ok()) << config.status();
  const OciLinux& l = config->linux_config;
  EXPECT_EQ(l.time_offsets.at("monotonic").secs, -5);
  EXPECT_EQ(l.cpu->realtime_runtime, 950000);
  EXPECT_EQ(l.resources.cpu->quota, -1);
  EXPECT_EQ(l.resources.pids->limit, -1);
  EXPECT_EQ(l.resources.rdma.at("mlx5_0").hca_handles, 3u);
  EXPECT_EQ(l.resources.unified.at("memory.high"), "max");
  EXPECT_TRUE(l.core_sched);
  EXPECT_EQ(l.personality->domain, "LINUX32");
}

TEST(OciParserTest, LoadOciConfigReadsTheBundle) {
  char dir_template[] = "/tmp/oci_parser_test.XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string file = dir + "/config.json";
  absl::Cleanup remove_dir = [&] {
    unlink(file.c_str());
    rmdir(dir.c_str());
  };

  absl::StatusOr<OciConfig> missing = LoadOciConfig(dir);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), file + ": No such file or directory");

  std::ofstream(file) << WithProcess("") << "\n";
  absl::StatusOr<OciConfig> loaded = LoadOciConfig(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->root.path, "rootfs");

  std::ofstream(file) << "{\n\"ociVersion\": 1}";
  loaded = LoadOciConfig(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "config.json: ociVersion: expected a string, got 1");
}

TEST(OciNamesTest, Capabilities) {
  EXPECT_EQ(CapabilityFromName("CAP_CHOWN"), 0);
  EXPECT_EQ(CapabilityFromName("CAP_SYS_ADMIN"), 21);
  EXPECT_EQ(CapabilityFromName("CAP_PERFMON"), 38);
  EXPECT_EQ(CapabilityFromName("CAP_BPF"), 39);
  EXPECT_EQ(CapabilityFromName("CAP_CHECKPOINT_RESTORE"), 40);
  EXPECT_EQ(CapabilityFromName("cap_sys_admin"), std::nullopt);
  EXPECT_EQ(CapabilityFromName("SYS_ADMIN"), std::nullopt);
  EXPECT_EQ(CapabilityFromName(""), std::nullopt);
  EXPECT_EQ(LastCapability(), CAP_LAST_CAP);
  for (int cap = 0; cap <= LastCapability(); ++cap) {
    std::optional<std::string_view> name = CapabilityName(cap);
    ASSERT_TRUE(name.has_value()) << cap;
    EXPECT_EQ(CapabilityFromName(*name), cap);
  }
  EXPECT_EQ(CapabilityName(LastCapability() + 1), std::nullopt);
}

TEST(OciNamesTest, Rlimits) {
  EXPECT_EQ(RlimitFromName("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_EQ(RlimitFromName("RLIMIT_RTTIME"), RLIMIT_RTTIME);
  EXPECT_EQ(RlimitFromName("NOFILE"), std::nullopt);
}

TEST(OciNamesTest, SignalsLikeRunc) {
  EXPECT_EQ(SignalFromName("TERM"), SIGTERM);
  EXPECT_EQ(SignalFromName("SIGTERM"), SIGTERM);
  EXPECT_EQ(SignalFromName("sigterm"), SIGTERM);
  EXPECT_EQ(SignalFromName("Kill"), SIGKILL);
  EXPECT_EQ(SignalFromName("9"), 9);
  EXPECT_EQ(SignalFromName("64"), 64);
  EXPECT_EQ(SignalFromName("RTMIN"), SIGRTMIN);
  EXPECT_EQ(SignalFromName("SIGRTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(SignalFromName("rtmax-1"), SIGRTMAX - 1);
  for (const char* bad :
       {"", "0", "65", "-1", "+9", " 9", "9 ", "SIG", "FOO", "RTMIN+99",
        "RTMIN-1", "RTMAX+1", "SIGSIGTERM", "100"}) {
    EXPECT_EQ(SignalFromName(bad), std::nullopt) << bad;
  }
}

TEST(OciNamesTest, NamespacesAndSecurebits) {
  EXPECT_EQ(NamespaceFromName("network"),
            libcontainer::NamespaceType::kNetwork);
  EXPECT_EQ(NamespaceFromName("time"), libcontainer::NamespaceType::kTime);
  EXPECT_EQ(NamespaceFromName("net"), std::nullopt);
  // Chromium's run_oci names are the contract: each of the eight.
  const std::pair<const char*, uint64_t> kChromium[] = {
      {"NOROOT", SECBIT_NOROOT},
      {"NOROOT_LOCKED", SECBIT_NOROOT_LOCKED},
      {"NO_SETUID_FIXUP", SECBIT_NO_SETUID_FIXUP},
      {"NO_SETUID_FIXUP_LOCKED", SECBIT_NO_SETUID_FIXUP_LOCKED},
      {"KEEP_CAPS", SECBIT_KEEP_CAPS},
      {"KEEP_CAPS_LOCKED", SECBIT_KEEP_CAPS_LOCKED},
      {"NO_CAP_AMBIENT_RAISE", SECBIT_NO_CAP_AMBIENT_RAISE},
      {"NO_CAP_AMBIENT_RAISE_LOCKED", SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED},
  };
  for (const auto& [name, mask] : kChromium) {
    EXPECT_EQ(SecurebitFromName(name), mask) << name;
    // run_oci's earlier SECURE_ spelling stays an alias.
    EXPECT_EQ(SecurebitFromName(absl::StrCat("SECURE_", name)), mask) << name;
  }
  for (const char* bad : {"SECBIT_NOROOT", "keep_caps", "SECURE_", "",
                          "SECURE_SECURE_NOROOT", "KEEP_CAPS "}) {
    EXPECT_EQ(SecurebitFromName(bad), std::nullopt) << bad;
  }
}

TEST(OciNamesTest, OtherTables) {
  EXPECT_EQ(PersonalityDomainFromName("LINUX32"), 0x0008u);
  EXPECT_EQ(IoPriorityClassFromName("IOPRIO_CLASS_IDLE"), 3);
  EXPECT_EQ(SchedulerPolicyFromName("SCHED_DEADLINE"), 6);
  EXPECT_EQ(SchedulerFlagFromName("SCHED_FLAG_RESET_ON_FORK"), 1u);
  EXPECT_TRUE(IsSeccompAction("SCMP_ACT_KILL_PROCESS"));
  EXPECT_TRUE(IsSeccompArchitecture("SCMP_ARCH_AARCH64"));
  EXPECT_TRUE(IsSeccompOperator("SCMP_CMP_MASKED_EQ"));
  EXPECT_FALSE(IsSeccompFlag("SECCOMP_FILTER_FLAG_NEW_LISTENER"));
  EXPECT_TRUE(IsRootfsPropagation("rslave"));
}

// The names the parser accepts are the ones the shim compiles.
TEST(OciNamesTest, SeccompNamesAreTheShims) {
  for (const char* name :
       {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
        "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"}) {
    EXPECT_TRUE(IsSeccompAction(name)) << name;
  }
  for (const char* name :
       {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
        "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}) {
    EXPECT_TRUE(IsSeccompOperator(name)) << name;
  }
  for (const char* name :
       {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}) {
    EXPECT_TRUE(IsSeccompFlag(name)) << name;
  }
  for (const char* name :
       {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
        "SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390X",
        "SCMP_ARCH_RISCV64"}) {
    EXPECT_TRUE(IsSeccompArchitecture(name)) << name;
  }
  EXPECT_FALSE(IsSeccompAction("SCMP_ACT_BOGUS"));
  EXPECT_FALSE(IsSeccompOperator("SCMP_CMP_ALMOST"));
  EXPECT_FALSE(IsSeccompArchitecture("SCMP_ARCH_x86_64"));  // spelled as spec
  EXPECT_FALSE(IsSeccompArchitecture("SCMP_ARCH_VAX"));
  EXPECT_FALSE(IsSeccompArchitecture("X86_64"));
}

}  // namespace
}  // namespace run_oci
