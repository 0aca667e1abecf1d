// The init integration shipped in init/: the systemd unit template passes
// `systemd-analyze verify` (with ExecStart pointing at this build), and the
// init script starts, reports and stops a supervised container.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class InitUnitsTest : public RunOciE2eTest {
 protected:
  // The template as an instance unit with every run_oci path replaced.
  std::string InstanceUnit(const std::string& binary) {
    absl::StatusOr<std::string> unit =
        ocitest::ReadFile(absl::StrCat(RUN_OCI_INIT_DIR, "/run_oci@.service"));
    EXPECT_TRUE(unit.ok()) << unit.status();
    std::string path = temp_->Sub("run_oci@demo.service");
    EXPECT_TRUE(ocitest::WriteFile(
                    path, absl::StrReplaceAll(unit.value_or(""),
                                              {{"/usr/sbin/run_oci", binary}}))
                    .ok());
    return path;
  }

  ocitest::CommandResult InitScript(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        "env",
        absl::StrCat("RUN_OCI=", RUN_OCI_BINARY),
        absl::StrCat("RUN_OCI_ROOT=", root_),
        absl::StrCat("RUN_OCI_BUNDLES=", temp_->path()),
        absl::StrCat("RUN_OCI_FLAGS=--cgroup_parent=", cgroup_parent_),
        "RUN_OCI_STOP_TIMEOUT=0.2",
        "sh",
        absl::StrCat(RUN_OCI_INIT_DIR, "/run_oci.init")};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<ocitest::CommandResult> result = ocitest::RunCommand(argv);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(ocitest::CommandResult());
  }
};

TEST_F(InitUnitsTest, TheSystemdUnitVerifies) {
  ocitest::CommandResult r = ocitest::RunCommand({"systemd-analyze", "verify",
                                                  InstanceUnit(RUN_OCI_BINARY)})
                                 .value_or(ocitest::CommandResult());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("run_oci@demo.service"))) << r.err;
}

// So that the check above means something: verify does fail on a unit
// whose ExecStart cannot run.
TEST_F(InitUnitsTest, VerifyRefusesAUnitWhoseBinaryIsMissing) {
  ocitest::CommandResult r =
      ocitest::RunCommand({"systemd-analyze", "verify",
                           InstanceUnit(temp_->Sub("no-such-run_oci"))})
          .value_or(ocitest::CommandResult());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("is not executable"));
}

TEST_F(InitUnitsTest, TheInitScriptStartsReportsAndStops) {
  // The bundle directory's name is the id: <temp>/bundle.
  WriteConfig({"sleep", "1000"});
  ocitest::CommandResult start = InitScript({"start", "bundle"});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  ocitest::CommandResult status = InitScript({"status", "bundle"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_THAT(status.out, HasSubstr("bundle: running, supervisor "));
  EXPECT_EQ(InitScript({"start", "bundle"}).err, "bundle: already running\n");
  ocitest::CommandResult stop = InitScript({"stop", "bundle"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(InitScript({"status", "bundle"}).exit_code, 3);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  EXPECT_THAT(leaks_->Processes(), IsEmpty());
  EXPECT_THAT(leaks_->Cgroups(), IsEmpty());
}

}  // namespace
}  // namespace run_oci_test
