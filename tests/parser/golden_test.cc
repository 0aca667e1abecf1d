// Golden test: every testdata/<case>/config.json is parsed and converted
// with bundle_dir "/bundle", and the result must equal <case>/expected.txt:
// the warnings ("warning: ..." lines) then FormatConfig's text, or the single
// line "error: <message>". A new case is a new directory, no code.
// UPDATE_GOLDENS=1 rewrites expected.txt instead of comparing; review the
// diff before committing it. This file also holds parser_test's main().
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libcontainer/config_text.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"

namespace run_oci {
namespace {

constexpr int kMinimumCases = 40;

std::vector<std::string> ListCases() {
  std::vector<std::string> cases;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(TESTDATA_DIR, ec)) {
    if (entry.is_directory() &&
        std::filesystem::exists(entry.path() / "config.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

bool ReadFile(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

std::string Render(const std::string& json) {
  absl::StatusOr<OciConfig> oci = ParseOciConfig(json, "config.json");
  if (!oci.ok()) return absl::StrCat("error: ", oci.status().message(), "\n");
  ConvertOptions options;
  options.bundle_dir = "/bundle";
  std::vector<std::string> warnings;
  absl::StatusOr<libcontainer::Config> config =
      ConvertOciConfig(*oci, options, &warnings);
  if (!config.ok()) {
    return absl::StrCat("error: ", config.status().message(), "\n");
  }
  std::string text;
  for (const std::string& warning : warnings) {
    absl::StrAppend(&text, "warning: ", warning, "\n");
  }
  absl::StrAppend(&text, libcontainer::FormatConfig(*config));
  return text;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpected) {
  const std::filesystem::path dir =
      std::filesystem::path(TESTDATA_DIR) / GetParam();
  std::string json;
  ASSERT_TRUE(ReadFile(dir / "config.json", &json)) << dir;
  const std::string actual = Render(json);
  const char* update = std::getenv("UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(dir / "expected.txt", std::ios::binary | std::ios::trunc);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << dir / "expected.txt";
    return;
  }
  std::string expected;
  ASSERT_TRUE(ReadFile(dir / "expected.txt", &expected))
      << dir / "expected.txt"
      << " is missing; run with UPDATE_GOLDENS=1";
  EXPECT_EQ(actual, expected) << "case " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Testdata, GoldenTest, ::testing::ValuesIn(ListCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

TEST(GoldenCorpusTest, HasEnoughCases) {
  EXPECT_GE(ListCases().size(), static_cast<size_t>(kMinimumCases))
      << "testdata dir: " << TESTDATA_DIR;
}

}  // namespace
}  // namespace run_oci

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
