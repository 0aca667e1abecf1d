// CVE-2019-5736, the exec half: until execve the container's process is
// the runtime's own binary, so `process.args[0] = "/proc/self/exe"` (or
// /proc/1/exe in the new pid namespace, an image symlink to either, or the
// original exploit's image /bin/sh rewritten as "#!/proc/self/exe") made
// the kernel run the runtime inside the container, where a process can
// reopen it through /proc/<pid>/exe and overwrite the host binary. Each
// shape must fail `run` and `create` with a clear error, the runtime must
// never run inside (no usage text, no exit 0), and the binary must be
// unchanged. The binary attacked is a copy the test makes.
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/command.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

constexpr char kMagicLinkHint[] =
    "Too many levels of symbolic links (a symlink loop, or a /proc magic "
    "link such as /proc/self/fd/N or /proc/self/exe, which is not followed)";

class ProcSelfExeTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    absl::StatusOr<std::string> binary = ocitest::ReadFile(RUN_OCI_BINARY);
    ASSERT_TRUE(binary.ok()) << binary.status();
    original_ = *binary;
    copy_ = temp_->Sub("run_oci.copy");
    ASSERT_TRUE(ocitest::WriteFile(copy_, original_, 0755).ok());
  }

  ocitest::CommandResult RunCopy(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {copy_,          "--root", root_,  "-p",
                                     cgroup_parent_, "-c",     bundle_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<ocitest::CommandResult> r = ocitest::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }

  // `args` as the process, through run and create: refused with
  // "jail: exec (<args[0]>)<where>: open: <hint>".
  void ExpectRefused(const std::vector<std::string>& args,
                     const std::string& where = "") {
    WriteConfig(args);
    for (const char* command : {"run", "create"}) {
      ocitest::CommandResult r = RunCopy({command, "c1"});
      const std::string what = absl::StrCat(command, " ", args[0]);
      EXPECT_EQ(r.exit_code, 1) << what << ": " << r.out << r.err;
      EXPECT_EQ(r.err, absl::StrCat("run_oci: jail: exec (", args[0], ")",
                                    where, ": open: ", kMagicLinkHint, "\n"))
          << what;
      EXPECT_FALSE(absl::StrContains(r.out + r.err, "Usage: run_oci")) << what;
      EXPECT_TRUE(StateRootEntries().empty()) << what;
      EXPECT_EQ(ocitest::ReadFile(copy_).value_or(""), original_) << what;
    }
  }

  std::string copy_;
  std::string original_;
};

TEST_F(ProcSelfExeTest, ArgsZeroIsTheRuntime) {
  ExpectRefused({"/proc/self/exe", "--help"});
  ExpectRefused({"/proc/1/exe", "--help"});
  ExpectRefused({"/proc/thread-self/exe", "--help"});
}

TEST_F(ProcSelfExeTest, ImageSymlinkToTheRuntime) {
  ASSERT_EQ(symlink("/proc/self/exe", (Rootfs() + "/bin/evil").c_str()), 0);
  ASSERT_EQ(symlink("../proc/1/exe", (Rootfs() + "/bin/evil1").c_str()), 0);
  ExpectRefused({"evil", "--help"});  // found through PATH
  ExpectRefused({"/bin/evil", "--help"});
  ExpectRefused({"evil1", "--help"});
}

TEST_F(ProcSelfExeTest, ImageShellRewrittenAsProcSelfExeScript) {
  // The published exploit: the image's /bin/sh is "#!/proc/self/exe".
  const std::string sh = Rootfs() + "/bin/sh";
  ASSERT_EQ(unlink(sh.c_str()), 0);
  ASSERT_TRUE(ocitest::WriteFile(sh, "#!/proc/self/exe\n", 0755).ok());
  ExpectRefused({"/bin/sh", "-c", "true"}, ": #! interpreter 1");
  ExpectRefused({"sh", "-c", "true"}, ": #! interpreter 1");
  // And through an image symlink as the interpreter.
  ASSERT_EQ(symlink("/proc/self/exe", (Rootfs() + "/bin/evil").c_str()), 0);
  ASSERT_TRUE(
      ocitest::WriteFile(Rootfs() + "/bin/entry", "#!/bin/evil\n", 0755).ok());
  ExpectRefused({"entry"}, ": #! interpreter 1");
}

TEST_F(ProcSelfExeTest, OrdinaryProgramsAndScriptsStillRun) {
  ASSERT_TRUE(ocitest::WriteFile(Rootfs() + "/bin/entry",
                                 "#!/bin/sh -e\necho \"entry $0 $*\"\n", 0755)
                  .ok());
  WriteConfig({"entry", "a", "b"});
  ocitest::CommandResult r = RunCopy({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "entry /bin/entry a b\n");
  EXPECT_TRUE(StateRootEntries().empty());
}

}  // namespace
}  // namespace run_oci_test
