// Which way `run` keeps run_oci's binary out of the container
// (run_oci/sealed_reexec.h): through the exec stub for a program that is
// pid 1 of its own pid namespace, by re-executing from a sealed view for
// everything the stub is not safe for. --timings tells them apart: the
// "sealed exec" phase takes no time without the re-exec.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kNoReexec[] = "run_oci: timing: sealed exec: 0.000 ms\n";

class ExecStubChoiceTest : public RunOciE2eTest {
 protected:
  void WriteShellConfig(const std::string& script,
                        const std::string& linux_rest) {
    ASSERT_TRUE(
        ocitest::WriteFile(bundle_ + "/config.json",
                           absl::StrCat(ShellConfigUpToNamespaces(script),
                                        linux_rest, R"("maskedPaths":[]}})"))
            .ok());
  }

  ocitest::CommandResult TimedRun() {
    ocitest::CommandResult r = RunOci({"--timings", "run", "c1"});
    EXPECT_THAT(r.err, HasSubstr("run_oci: timing: sealed exec: ")) << r.err;
    EXPECT_THAT(StateRootEntries(), IsEmpty());
    return r;
  }
};

TEST_F(ExecStubChoiceTest, PlainRunNeedsNoReexec) {
  WriteShellConfig("echo $$ $(cat /proc/self/comm)", "");
  ocitest::CommandResult r = TimedRun();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1 cat\n");
  EXPECT_THAT(r.err, HasSubstr(kNoReexec));
  // A profile that lets the stub's calls through changes nothing.
  WriteShellConfig("echo ok",
                   R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":)"
                   R"([{"names":["kexec_load"],"action":"SCMP_ACT_ERRNO"}]},)");
  r = TimedRun();
  EXPECT_EQ(r.out, "ok\n") << r.err;
  EXPECT_THAT(r.err, HasSubstr(kNoReexec));
}

TEST_F(ExecStubChoiceTest, OthersReexecFromTheSealedView) {
  // The image's startContainer hook runs in the container's pid namespace
  // while the child is still run_oci's binary.
  WriteConfig({"echo", "hooked"},
              R"({"startContainer":[{"path":"/bin/true"}]})");
  ocitest::CommandResult r = TimedRun();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hooked\n");
  EXPECT_THAT(r.err, Not(HasSubstr(kNoReexec)));

  // A profile that refuses execveat: the program is executed by path, as
  // before, from the sealed view.
  WriteShellConfig("echo plain execve",
                   R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":)"
                   R"([{"names":["execveat"],"action":"SCMP_ACT_ERRNO",)"
                   R"("errnoRet":1}]},)");
  r = TimedRun();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "plain execve\n");
  EXPECT_THAT(r.err, Not(HasSubstr(kNoReexec)));

  // No pid namespace of its own: other processes of the host's can see it.
  ASSERT_TRUE(
      ocitest::WriteFile(bundle_ + "/config.json",
                         R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)"
                         R"("process":{"args":["echo","host pids"],"cwd":"/",)"
                         R"("env":["PATH=/bin"],"user":{"uid":0,"gid":0}},)"
                         R"("linux":{"namespaces":[{"type":"mount"}]}})")
          .ok());
  r = TimedRun();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "host pids\n");
  EXPECT_THAT(r.err, Not(HasSubstr(kNoReexec)));
}

// The one way left for a container to have the kernel execute
// /proc/self/exe while the runtime's child runs: a dynamic program whose
// ELF interpreter is a symlink to it. Through the stub that is the stub,
// which executes nothing when not called as itself (exit 126).
TEST_F(ExecStubChoiceTest, ElfInterpreterNamingProcSelfExeGetsTheStub) {
  ASSERT_EQ(
      system(absl::StrCat("cp /bin/true ", Rootfs(), "/dyn_true").c_str()), 0);
  // Debian's x86_64 and aarch64 loaders.
  for (const char* loader :
       {"/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"}) {
    const std::string path = Rootfs() + loader;
    ASSERT_EQ(system(absl::StrCat("mkdir -p $(dirname ", path, ")").c_str()),
              0);
    unlink(path.c_str());
    ASSERT_EQ(symlink("/proc/self/exe", path.c_str()), 0);
  }
  WriteConfig({"/dyn_true"});
  ocitest::CommandResult r = TimedRun();
  EXPECT_EQ(r.exit_code, 126) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(kNoReexec));
}

}  // namespace
}  // namespace run_oci_test
