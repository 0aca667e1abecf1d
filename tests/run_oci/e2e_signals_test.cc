// Termination requests while run_oci sets a container up: before the
// program runs, SIGTERM or SIGINT aborts the setup (the hook that blocks it
// is killed), everything is undone and run_oci says why; it must not wait
// for the hook to finish and then carry on.
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::IsEmpty;

// A hook that would keep run_oci busy for 1000 s once it has said it runs.
std::string BlockingHooks(const std::string& stage,
                          const std::string& started) {
  return absl::StrCat(
      R"({")", stage, R"(":[{"path":"/bin/sh","args":)",
      JsonArray(
          {"sh", "-c", absl::StrCat("touch ", started, " && exec sleep 1000")}),
      R"(}]})");
}

class SignalsTest : public RunOciE2eTest {
 protected:
  void ExpectAborted(const std::string& stage, const std::string& command,
                     int signal, const std::string& name) {
    SCOPED_TRACE(absl::StrCat(stage, " ", command, " ", name));
    std::string started = temp_->Sub(absl::StrCat(stage, command, signal));
    WriteConfig({"sleep", "1000"}, BlockingHooks(stage, started));
    Background bg = StartRunOci({command, "c1"});
    ASSERT_TRUE(WaitForFile(started));
    ASSERT_EQ(kill(bg.pid, signal), 0);
    // Far below the hook's 1000 s: a run_oci that waits for it fails here.
    EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(30)), 1);
    EXPECT_EQ(OutputOf(bg),
              absl::StrCat("run_oci: container c1: setup interrupted by ", name,
                           "\n"));
    EXPECT_THAT(StateRootEntries(), IsEmpty());
    EXPECT_THAT(leaks_->Processes(), IsEmpty());
    EXPECT_THAT(leaks_->Cgroups(), IsEmpty());
    EXPECT_THAT(leaks_->Mounts(), IsEmpty());
  }
};

TEST_F(SignalsTest, TermDuringAPrecreateHookAbortsTheSetup) {
  for (const char* command : {"run", "create", "start"}) {
    ExpectAborted("precreate", command, SIGTERM, "SIGTERM");
  }
}

TEST_F(SignalsTest, TermOrIntDuringACreateRuntimeHookUndoesTheContainer) {
  // By then the state directory, the cgroups and the container's process
  // exist.
  for (const char* command : {"run", "create", "start"}) {
    ExpectAborted("createRuntime", command, SIGTERM, "SIGTERM");
  }
  ExpectAborted("createRuntime", "create", SIGINT, "SIGINT");
}

TEST_F(SignalsTest, TheIdIsFreeAfterAnAbort) {
  ExpectAborted("createRuntime", "create", SIGTERM, "SIGTERM");
  WriteConfig({"sh", "-c", "echo again"});
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "again\n");
}

}  // namespace
}  // namespace run_oci_test
