// The --log file's lines as runc's logrus writes them (containerd decodes
// each JSON line into {level, msg, time}), and which lines reach it.
#include "run_oci/logging.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

const absl::Time kTime =
    absl::FromUnixSeconds(1796188409);  // 2026-12-02T05:13:29Z

TEST(RuntimeLogLineTest, Json) {
  EXPECT_EQ(FormatRuntimeLogLine(LogFormat::kJson, LogLevel::kError, kTime,
                                 "container does not exist: c1"),
            "{\"level\":\"error\",\"msg\":\"container does not exist: c1\","
            "\"time\":\"2026-12-02T05:13:29Z\"}\n");
  std::string line = FormatRuntimeLogLine(LogFormat::kJson, LogLevel::kWarning,
                                          kTime, "a \"quote\"\ttab\x01");
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_STREQ(doc["level"].GetString(), "warning");
  EXPECT_STREQ(doc["msg"].GetString(), "a \"quote\"\ttab\x01");
}

TEST(RuntimeLogLineTest, Text) {
  EXPECT_EQ(
      FormatRuntimeLogLine(LogFormat::kText, LogLevel::kInfo, kTime, "started"),
      "time=\"2026-12-02T05:13:29Z\" level=info msg=started\n");
  EXPECT_EQ(FormatRuntimeLogLine(LogFormat::kText, LogLevel::kError, kTime,
                                 "no \"such\" file\n"),
            "time=\"2026-12-02T05:13:29Z\" level=error "
            "msg=\"no \\\"such\\\" file\\n\"\n");
  EXPECT_EQ(FormatRuntimeLogLine(LogFormat::kText, LogLevel::kError, kTime, ""),
            "time=\"2026-12-02T05:13:29Z\" level=error msg=\"\"\n");
}

TEST(RuntimeLogTest, InfoOnlyWithDebug) {
  absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("log-test");
  ASSERT_TRUE(temp.ok());
  std::string path = temp->Sub("log.json");
  ASSERT_TRUE(ocitest::WriteFile(path, "{\"level\":\"info\"}\n").ok());
  ASSERT_EQ(LogToRuntimeFile(path, LogFormat::kJson), absl::OkStatus());
  LogQuietly(LogLevel::kInfo, "hidden");
  LogQuietly(LogLevel::kWarning, "shown warning");
  SetDebugLogging(true);
  LogQuietly(LogLevel::kInfo, "shown info");
  SetDebugLogging(false);
  LogQuietly(LogLevel::kError, "shown error");
  CloseRuntimeLog();
  absl::StatusOr<std::string> text = ocitest::ReadFile(path);
  ASSERT_TRUE(text.ok());
  // Appended after what was there.
  EXPECT_THAT(*text, testing::StartsWith("{\"level\":\"info\"}\n"));
  EXPECT_THAT(*text, testing::Not(testing::HasSubstr("hidden")));
  EXPECT_THAT(*text, testing::HasSubstr("\"msg\":\"shown warning\""));
  EXPECT_THAT(*text,
              testing::HasSubstr("{\"level\":\"info\",\"msg\":\"shown info\""));
  EXPECT_THAT(*text, testing::HasSubstr(
                         "{\"level\":\"error\",\"msg\":\"shown error\""));
}

}  // namespace
}  // namespace run_oci
