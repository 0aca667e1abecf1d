// exec into a running container must not hand the container a way out
// through the runtime: no runtime fd in the new process (CVE-2024-21626's
// shape: the caller's fds, and a cwd of /proc/self/fd/N), a cwd that
// climbs with ".." stays inside the container's root, and /proc/self/exe
// as the program is refused as for the init (CVE-2019-5736). That the
// process is not dumpable until execve is checked where the process can
// be held before execve: tests/shim/join_test.cc (NotDumpableBeforeExecve).
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/command.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "host canary 71c3";

class ExecEscapeTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    canary_ = temp_->Sub("canary");
    ASSERT_TRUE(ocitest::WriteFile(canary_, kSecret).ok());
    WriteConfig({"sleep", "1000"});
    ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
    ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
    ASSERT_TRUE(WaitForStatus("c1", "running"));
  }
  void TearDown() override {
    EXPECT_EQ(ocitest::ReadFile(canary_).value_or(""), kSecret);
    EXPECT_FALSE(ocitest::ReadFile(canary_ + ".escaped").ok());
    EXPECT_EQ(RunOci({"delete", "--force", "c1"}).exit_code, 0);
    RunOciE2eTest::TearDown();
  }

  // run_oci exec through a shell (arguments without single quotes) that first
  // opens `redirections` (e.g. "7<file"), so that run_oci inherits those fds.
  ocitest::CommandResult ExecWithFds(const std::string& redirections,
                                     const std::vector<std::string>& args) {
    std::vector<std::string> quoted;
    for (const std::string& a :
         {std::string(RUN_OCI_BINARY), std::string("--root"), root_,
          std::string("exec")}) {
      quoted.push_back(absl::StrCat("'", a, "'"));
    }
    for (const std::string& a : args) {
      quoted.push_back(absl::StrCat("'", a, "'"));
    }
    absl::StatusOr<ocitest::CommandResult> r = ocitest::RunCommand(
        {"/bin/sh", "-c",
         absl::StrCat("exec ", redirections, " ", absl::StrJoin(quoted, " "))});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }

  // A payload that climbs to "/" from its cwd and goes for the canary by a
  // relative path, which names the host file only if the cwd is a host
  // directory.
  std::string Payload() const {
    std::string up;
    for (int i = 0; i < 32; ++i) up += "../";
    const std::string rel = canary_.substr(1);
    return absl::StrCat("cd ", up, " && cat ", rel, "; echo pwned > ", rel,
                        "; echo x > ", rel, ".escaped; true");
  }

  std::string canary_;
};

TEST_F(ExecEscapeTest, NoFdOfTheCallerOrTheRuntimeReachesTheProcess) {
  ocitest::CommandResult r =
      ExecWithFds(absl::StrCat("7<", canary_, " 8<", temp_->path()),
                  {"c1", "sh", "-c", "ls /proc/self/fd"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 3 is ls's own directory.
  EXPECT_EQ(r.out, "0\n1\n2\n3\n");
}

TEST_F(ExecEscapeTest, PreserveFdsPassesExactlyThose) {
  ocitest::CommandResult r =
      ExecWithFds(absl::StrCat("3<", canary_, " 4<", canary_),
                  {"--preserve-fds", "1", "c1", "sh", "-c",
                   "cat <&3; echo; ls /proc/self/fd"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // fd 3 is the caller's file, fd 4 is not passed (ls's directory is 4).
  EXPECT_EQ(r.out, absl::StrCat(kSecret, "\n0\n1\n2\n3\n4\n"));
  // Whatever the test runner left open there is closed first.
  r = ExecWithFds("3<&- 4<&-", {"--preserve-fds", "2", "c1", "true"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--preserve-fds 2: fd 3: "));
}

// CVE-2024-21626: a cwd of /proc/self/fd/N for any N the runtime may hold.
TEST_F(ExecEscapeTest, CwdThroughProcSelfFdNeverLeavesTheRoot) {
  for (int n = 3; n <= 20; ++n) {
    ocitest::CommandResult r =
        RunOci({"exec", "--cwd", absl::StrCat("/proc/self/fd/", n), "c1", "sh",
                "-c", Payload()});
    EXPECT_FALSE(absl::StrContains(r.out, kSecret)) << n;
    if (r.exit_code != 0) {
      EXPECT_THAT(r.err, HasSubstr("container c1: exec: ")) << n;
    }
  }
}

TEST_F(ExecEscapeTest, DotDotCwdStaysInTheContainersRoot) {
  ocitest::CommandResult r =
      RunOci({"exec", "--cwd", "/../../../../tmp/../..", "c1", "sh", "-c",
              absl::StrCat("pwd; ", Payload())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith("/\n"));
  EXPECT_FALSE(absl::StrContains(r.out, kSecret));
}

// CVE-2019-5736: the runtime's own binary as the program, by magic link
// or through an image symlink, is refused; the binary is untouched. The
// exec stub's child (minijail-shim/exec_stub.h) is outside the
// container's pid namespace while it looks the program up, so there
// /proc/self names nobody in the container's procfs: not found, instead
// of refused as a magic link.
TEST_F(ExecEscapeTest, ProcSelfExeIsRefused) {
  const std::string before = ocitest::ReadFile(RUN_OCI_BINARY).value_or("");
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(symlink("/proc/self/exe", (Rootfs() + "/bin/evil").c_str()), 0);
  for (const char* program : {"/proc/self/exe", "/proc/1/exe", "evil"}) {
    ocitest::CommandResult r = RunOci({"exec", "c1", program, "--help"});
    EXPECT_EQ(r.exit_code, 1) << program << ": " << r.out;
    const std::string prefix =
        absl::StrCat("container c1: exec: jail: exec (", program, "): ");
    EXPECT_THAT(r.err,
                ::testing::AnyOf(HasSubstr(prefix + "open: Too many levels"),
                                 HasSubstr(prefix + "execve: No such file")))
        << program;
    // /proc/1 is the container's init, a magic link either way.
    if (std::string(program) == "/proc/1/exe") {
      EXPECT_THAT(r.err, HasSubstr(prefix + "open: ")) << program;
    }
    EXPECT_FALSE(absl::StrContains(r.out, "Usage: run_oci")) << program;
  }
  EXPECT_EQ(ocitest::ReadFile(RUN_OCI_BINARY).value_or(""), before);
}

}  // namespace
}  // namespace run_oci_test
