// `run_oci check` against testdata: every testdata/check/<case>/config.json
// is checked with bundle directory "/bundle" and its problems, one
// ConfigProblemText line each, must equal <case>/expected.txt (written by
// hand from the parser's documented messages, positions counted in the
// file). And for every golden case of both folders, check and create must
// agree: check has an error exactly when create fails, its first error is
// create's error, and every warning create logs is one check reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "run_oci/parser/config_check.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"

namespace run_oci {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kTestdata(TESTDATA_DIR);

std::vector<std::string> ListCases(const std::filesystem::path& dir) {
  std::vector<std::string> cases;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_directory() &&
        std::filesystem::exists(entry.path() / "config.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::vector<std::string> AllCases() {
  std::vector<std::string> cases = ListCases(kTestdata);
  for (const std::string& name : ListCases(kTestdata / "check")) {
    cases.push_back(absl::StrCat("check/", name));
  }
  return cases;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ConvertOptions Options() {
  ConvertOptions options;
  options.bundle_dir = "/bundle";
  return options;
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class CheckGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckGoldenTest, MatchesExpected) {
  const std::filesystem::path dir = kTestdata / "check" / GetParam();
  ConfigCheck check(ReadFile(dir / "config.json"), Options());
  std::string actual;
  for (const ConfigProblem& problem : check.problems()) {
    absl::StrAppend(&actual, ConfigProblemText(problem), "\n");
  }
  ASSERT_TRUE(std::filesystem::exists(dir / "expected.txt")) << dir;
  EXPECT_EQ(actual, ReadFile(dir / "expected.txt")) << "case " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Testdata, CheckGoldenTest,
                         ::testing::ValuesIn(ListCases(kTestdata / "check")),
                         CaseName);

TEST(CheckGoldenCorpusTest, HasMultiErrorCases) {
  EXPECT_GE(ListCases(kTestdata / "check").size(), 5u);
}

class CheckAgreesWithCreateTest : public ::testing::TestWithParam<std::string> {
};

TEST_P(CheckAgreesWithCreateTest, SameVerdictFirstErrorAndWarnings) {
  const std::string json = ReadFile(kTestdata / GetParam() / "config.json");
  ConfigCheck check(json, Options());

  std::string create_error;
  std::vector<std::string> create_warnings;
  absl::StatusOr<OciConfig> oci = ParseOciConfig(json, "config.json");
  if (!oci.ok()) {
    create_error = std::string(oci.status().message());
  } else {
    absl::StatusOr<libcontainer::Config> config =
        ConvertOciConfig(*oci, Options(), &create_warnings);
    if (!config.ok()) create_error = std::string(config.status().message());
  }

  ASSERT_EQ(check.has_errors(), !create_error.empty()) << create_error;
  if (!create_error.empty()) {
    const ConfigProblem* first = nullptr;
    for (const ConfigProblem& problem : check.problems()) {
      if (!problem.warning) {
        first = &problem;
        break;
      }
    }
    ASSERT_NE(first, nullptr);
    EXPECT_THAT(create_error, HasSubstr(first->path));
    EXPECT_THAT(create_error, HasSubstr(first->message));
    // Errors the reader words itself are create's, byte for byte.
    if (!first->path.empty() && !absl::StrContains(create_error, " (")) {
      EXPECT_EQ(create_error, absl::StrCat("config.json: ", first->path, ": ",
                                           first->message));
    }
  }
  for (const std::string& warning : create_warnings) {
    bool found = false;
    for (const ConfigProblem& problem : check.problems()) {
      found = found ||
              (problem.warning && absl::StrContains(warning, problem.path) &&
               absl::StrContains(warning, problem.message));
    }
    EXPECT_TRUE(found) << "create warns and check does not: " << warning;
  }
}

INSTANTIATE_TEST_SUITE_P(Testdata, CheckAgreesWithCreateTest,
                         ::testing::ValuesIn(AllCases()), CaseName);

TEST(ConfigProblemTest, JsonHasEveryField) {
  ConfigProblem problem{true, "linux.sysctl.a\"b", "bad \"x\"", 3, 7};
  EXPECT_EQ(ConfigProblemJson(problem),
            "{\"path\":\"linux.sysctl.a\\\"b\",\"line\":3,\"column\":7,"
            "\"severity\":\"warning\",\"message\":\"bad \\\"x\\\"\"}");
  problem.warning = false;
  EXPECT_EQ(ConfigProblemText(problem),
            "config.json:3:7: linux.sysctl.a\"b: bad \"x\"");
}

TEST(ConfigProblemTest, ErrorWithoutPathHasOnlyPosition) {
  ConfigCheck check("{\"ociVersion\": \"1.0.0\",\n \"root\": 5 ", Options());
  ASSERT_EQ(check.problems().size(), 1u);
  EXPECT_EQ(ConfigProblemText(check.problems()[0]),
            "config.json:2:12: Missing a comma or '}' after an object "
            "member.");
}

TEST(ConfigProblemTest, MissingMemberPointsAtItsObject) {
  ConfigCheck check("{\"ociVersion\": \"1.0.0\", \"root\": {}}", Options());
  ASSERT_FALSE(check.problems().empty());
  EXPECT_EQ(ConfigProblemText(check.problems()[0]),
            "config.json:1:33: root.path: required");
}

// Empty containers and containers closing just before the next value: the
// position after each is where the next value is looked for.
TEST(ConfigProblemTest, PositionsAfterEmptyContainers) {
  ConfigCheck check(R"({"ociVersion":"1.0.0","root":{"path":"r","x":[[],{}]},)"
                    R"("mounts":[{},{"destination":5}]})",
                    Options());
  ASSERT_EQ(check.problems().size(), 2u);
  EXPECT_EQ(ConfigProblemText(check.problems()[0]),
            "config.json:1:65: mounts[0].destination: required");
  EXPECT_EQ(ConfigProblemText(check.problems()[1]),
            "config.json:1:83: mounts[1].destination: expected a string, "
            "got 5");
}

}  // namespace
}  // namespace run_oci
