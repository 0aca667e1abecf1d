// run_oci --timings: one line per start phase on stderr, in order, each with
// a time; the phases are contiguous, so they add up to the total.
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

struct Timing {
  std::string phase;
  double ms = 0;
  // False for "n/a": run_oci prints that for a phase whose start or end was
  // not recorded, or whose end lies before its start.
  bool measured = false;
};

// Every "run_oci: timing: <phase>: <ms> ms" or "...: n/a" line of `err`;
// other lines are checked to be no timing lines at all.
std::vector<Timing> ParseTimings(const std::string& err) {
  static const std::regex kLine(
      R"(run_oci: timing: ([a-z_ ]+): (([0-9]+\.[0-9]{3}) ms|n/a))");
  std::vector<Timing> timings;
  for (absl::string_view line : absl::StrSplit(err, '\n', absl::SkipEmpty())) {
    std::string text(line);
    std::smatch m;
    if (!std::regex_match(text, m, kLine)) {
      EXPECT_THAT(text, Not(HasSubstr("timing"))) << "malformed timing line";
      continue;
    }
    Timing t;
    t.phase = m[1];
    t.measured = m[2] != "n/a";
    if (t.measured) {
      EXPECT_TRUE(absl::SimpleAtod(m[3].str(), &t.ms)) << text;
    }
    timings.push_back(t);
  }
  return timings;
}

// With `seal_method` set (RUN_OCI_SEAL_METHOD), `run` re-executes itself
// from a sealed view; without, this plain bundle's program is executed
// through the exec stub (minijail-shim/exec_stub.h) and there is no
// re-exec to time.
class TimingsTest : public RunOciE2eTest {
 protected:
  void ExpectEveryPhaseTimed(const char* seal_method);
};

void TimingsTest::ExpectEveryPhaseTimed(const char* seal_method) {
  if (seal_method != nullptr) setenv("RUN_OCI_SEAL_METHOD", seal_method, 1);
  ocitest::CommandResult r = RunOci({"--timings", "run", "c1"});
  unsetenv("RUN_OCI_SEAL_METHOD");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  std::vector<Timing> timings = ParseTimings(r.err);
  std::vector<std::string> phases;
  for (const Timing& t : timings) phases.push_back(t.phase);
  EXPECT_THAT(phases,
              ElementsAreArray<std::string>(
                  {"sealed exec", "parse", "state dir", "cgroup setup",
                   "prepare", "clone", "cgroup attach", "id maps", "mounts",
                   "prechroot hooks", "pivot_root", "process attributes",
                   "seccomp", "exec", "wait", "destroy", "total"}))
      << r.err;
  ASSERT_FALSE(timings.empty());
  double sum = 0;
  for (size_t i = 0; i + 1 < timings.size(); ++i) {
    EXPECT_TRUE(timings[i].measured)
        << timings[i].phase << ": a boundary is missing or out of order\n"
        << r.err;
    sum += timings[i].ms;
  }
  ASSERT_TRUE(timings.back().measured) << r.err;
  const double total = timings.back().ms;
  EXPECT_GT(total, 0);
  // Each printed value is rounded to 1 us.
  EXPECT_NEAR(sum, total, 0.001 * timings.size()) << r.err;
  // A container start takes at least a clone and an exec.
  if (seal_method != nullptr) {
    EXPECT_GT(timings[0].ms, 0) << r.err;
  } else {
    EXPECT_EQ(timings[0].ms, 0) << r.err;
  }
  EXPECT_GT(timings[5].ms + timings[13].ms, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(TimingsTest, PrintsEveryPhaseWithATime) {
  ExpectEveryPhaseTimed(nullptr);
}

TEST_F(TimingsTest, ShowTheSealedReexec) { ExpectEveryPhaseTimed("overlay"); }

TEST_F(RunOciE2eTest, TimingsTimeTheSeccompLoad) {
  const std::string json =
      R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)"
      R"("process":{"args":["true"],"cwd":"/",)"
      R"("env":["PATH=/bin:/sbin:/usr/bin"],"user":{"uid":0,"gid":0}},)"
      R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)"
      R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"}],)"
      R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[)"
      R"({"names":["kexec_load"],"action":"SCMP_ACT_ERRNO"}]}}})";
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  ocitest::CommandResult r = RunOci({"--timings", "run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool found = false;
  for (const Timing& t : ParseTimings(r.err)) {
    if (t.phase != "seccomp") continue;
    found = true;
    EXPECT_GT(t.ms, 0) << r.err;
  }
  EXPECT_TRUE(found) << r.err;
}

TEST_F(RunOciE2eTest, NoTimingsWithoutTheFlag) {
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("timing")));
}

}  // namespace
}  // namespace run_oci_test
