// `run_oci check` through the binary: what it says about a bundle is what
// create then does with it (check-clean means create gets past its parse;
// check's first error is create's one line), it lists every problem, its
// JSON form is one object per line, and it leaves nothing behind.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/command.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CheckTest : public RunOciE2eTest {};

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST_F(CheckTest, CleanBundleExitsZeroAndRuns) {
  WriteConfig({"true"});
  ocitest::CommandResult check = RunOci({"check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  // The fixture's proc mount has no options: the one thing to say.
  EXPECT_THAT(Lines(check.out),
              ElementsAre(HasSubstr(": warning: mounts[0]: (/proc): proc "
                                    "mount forced nodev,noexec,nosuid")));
  EXPECT_THAT(check.err, IsEmpty());
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  ocitest::CommandResult run = RunOci({"run", "c1"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST_F(CheckTest, EveryErrorAndCreateStopsAtTheFirst) {
  process_extra_ = R"(,"oomScoreAdj":-5000,"rlimits":[{"type":"RLIMIT_X"}])";
  WriteConfig({"true"}, R"({"prestart":[{"path":"relative"}]})");
  ocitest::CommandResult check = RunOci({"check"});
  EXPECT_EQ(check.exit_code, 1);
  const std::vector<std::string> lines = Lines(check.out);
  ASSERT_EQ(lines.size(), 3u) << check.out;
  EXPECT_THAT(lines[0], HasSubstr(": process.rlimits[0].type: unknown rlimit "
                                  "\"RLIMIT_X\""));
  EXPECT_THAT(lines[1], HasSubstr(": process.oomScoreAdj: must be in "
                                  "[-1000, 1000]"));
  EXPECT_THAT(lines[2], HasSubstr(": hooks.prestart[0].path: must be an "
                                  "absolute path, got \"relative\""));
  ExpectError({"create", "c1"},
              "config.json: process.rlimits[0].type: unknown rlimit "
              "\"RLIMIT_X\"");
}

TEST_F(CheckTest, JsonIsOneObjectPerProblem) {
  WriteConfig({"true"});
  ASSERT_EQ(rename(Rootfs().c_str(), (bundle_ + "/elsewhere").c_str()), 0);
  ocitest::CommandResult check =
      RunOciRaw({"check", "--format", "json", bundle_});
  EXPECT_EQ(check.exit_code, 1);
  const std::vector<std::string> lines = Lines(check.out);
  ASSERT_EQ(lines.size(), 2u) << check.out;
  rapidjson::Document warning;
  warning.Parse(lines[0].c_str());
  ASSERT_TRUE(warning.IsObject()) << lines[0];
  EXPECT_STREQ(warning["severity"].GetString(), "warning");
  EXPECT_STREQ(warning["path"].GetString(), "mounts[0]");
  rapidjson::Document error;
  error.Parse(lines[1].c_str());
  ASSERT_TRUE(error.IsObject()) << lines[1];
  EXPECT_STREQ(error["path"].GetString(), "root.path");
  // WriteConfig writes one line: the column is the byte after "path":.
  absl::StatusOr<std::string> config =
      ocitest::ReadFile(bundle_ + "/config.json");
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string key = R"("root":{"path":)";
  EXPECT_EQ(error["line"].GetUint(), 1u);
  EXPECT_EQ(error["column"].GetUint(), config->find(key) + key.size() + 1);
  EXPECT_STREQ(error["severity"].GetString(), "error");
  EXPECT_EQ(error["message"].GetString(),
            absl::StrCat(Rootfs(), ": stat: No such file or directory"));
  ASSERT_EQ(rename((bundle_ + "/elsewhere").c_str(), Rootfs().c_str()), 0);
}

TEST_F(CheckTest, MissingRootfsIsAnErrorAsForCreate) {
  WriteConfig({"true"});
  ASSERT_EQ(rename(Rootfs().c_str(), (bundle_ + "/elsewhere").c_str()), 0);
  ocitest::CommandResult check = RunOci({"check"});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_THAT(check.out,
              HasSubstr(absl::StrCat(": root.path: ", Rootfs(),
                                     ": stat: No such file or directory\n")));
  ocitest::CommandResult create = RunOci({"create", "c1"});
  EXPECT_EQ(create.exit_code, 1);
  EXPECT_THAT(create.err, HasSubstr(Rootfs()));
  ASSERT_EQ(rename((bundle_ + "/elsewhere").c_str(), Rootfs().c_str()), 0);
}

TEST_F(CheckTest, CommandLine) {
  ExpectError({"check", "--format", "table"},
              "--format table: must be text or json");
  ExpectError({"check", "/nonexistent/bundle"},
              "bundle /nonexistent/bundle: No such file or directory");
  ExpectError({"check", "a", "b"}, "unexpected argument: b");
}

}  // namespace
}  // namespace run_oci_test
