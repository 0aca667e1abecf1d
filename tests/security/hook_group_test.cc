// A hook that outlives its timeout through a child (issue 9, item 9): the
// runtime SIGKILLed the hook at its timeout, but what the hook had started
// lived on (on the host, for the runtime's own hooks). Every hook now leads
// a process group of its own and the timeout kills the group: for the
// runtime's hooks (createRuntime here) and for the startContainer hooks the
// container's process runs.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

// The hook's own pid and its background child's, then it sleeps past its
// timeout.
std::string LingeringHook(const std::string& pid_file) {
  return absl::StrCat(R"({"path":"/bin/sh","timeout":1,"args":)",
                      JsonArray({"sh", "-c",
                                 absl::StrCat("sleep 1000 & echo $$ $! > ",
                                              pid_file, "; exec sleep 1000")}),
                      "}");
}

// True once `pid` no longer runs: gone, or a zombie (this test is a child
// subreaper, see LeakChecker, and orphans end up here unreaped). SIGKILL
// takes effect at once but the exit completes a moment later: polled.
bool IsDead(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    const std::string stat =
        ocitest::ReadFile(absl::StrCat("/proc/", pid, "/stat")).value_or("");
    if (stat.empty() || stat.find(") Z ") != std::string::npos) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

class HookGroupTest : public RunOciE2eTest {
 protected:
  void ExpectAllDead(const std::string& pid_file) {
    std::vector<std::string> pids = absl::StrSplit(
        ocitest::ReadFile(pid_file).value_or(""), ' ', absl::SkipWhitespace());
    ASSERT_EQ(pids.size(), 2u) << "the hook did not record its pids";
    for (const std::string& text : pids) {
      pid_t pid = 0;
      ASSERT_TRUE(absl::SimpleAtoi(text, &pid)) << text;
      EXPECT_TRUE(IsDead(pid)) << "pid " << pid << " outlived the timeout";
    }
    EXPECT_TRUE(StateRootEntries().empty());
  }
};

TEST_F(HookGroupTest, RuntimeHookAndItsChildDieAtTheTimeout) {
  const std::string pid_file = temp_->Sub("pids");
  WriteConfig({"true"}, absl::StrCat(R"({"createRuntime":[)",
                                     LingeringHook(pid_file), "]}"));
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: hook createRuntime[0] /bin/sh: timed out after 1s\n");
  ExpectAllDead(pid_file);
}

// Without a pid namespace, so that the pids the hook writes are the host's
// and can be checked from here.
TEST_F(HookGroupTest, StartContainerHookAndItsChildDieAtTheTimeout) {
  std::string json = absl::StrCat(
      R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
      R"("process":{"args":["true"],"cwd":"/","env":["PATH=/bin"],)",
      R"("user":{"uid":0,"gid":0}},)",
      R"("linux":{"namespaces":[{"type":"mount"},{"type":"ipc"}]},)",
      R"("hooks":{"startContainer":[)", LingeringHook("/tmp/pids"), "]}}");
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  for (const char* way : {"run", "create"}) {
    SCOPED_TRACE(way);
    unlink((Rootfs() + "/tmp/pids").c_str());
    ocitest::CommandResult r = RunOci({way, "c1"});
    if (std::string(way) == "create") {
      ASSERT_EQ(r.exit_code, 0) << r.err;
      r = RunOci({"start", "c1"});
    }
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "run_oci: hook startContainer[0] /bin/sh: timed out after 1s\n");
    ExpectAllDead(Rootfs() + "/tmp/pids");
  }
}

}  // namespace
}  // namespace run_oci_test
