// CVE-2024-21626 ("Leaky Vessels"): a config whose process.cwd is
// /proc/self/fd/N, or a rootfs symlink pointing there, for an N that the
// runtime still held in the child (the cgroup2 directory passed for
// CLONE_INTO_CGROUP, a cgroup v1 tasks file's directory, a namespace fd,
// the state directory, ...), started the program in a host directory, and
// `cd ../../..` reached the host's "/". Every N in 3..30, through `run` and
// `create`, directly and through absolute and relative rootfs symlinks:
// the start must fail with a clear error, and the canary the test placed
// on the host (outside the rootfs) must be neither read nor written.
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

constexpr char kSecret[] = "host canary 5b1f";
constexpr char kMagicLinkHint[] =
    "Too many levels of symbolic links (a symlink loop, or a /proc magic "
    "link such as /proc/self/fd/N or /proc/self/exe, which is not followed)";

class LeakedFdCwdTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    canary_ = temp_->Sub("canary");
    ASSERT_TRUE(ocitest::WriteFile(canary_, kSecret).ok());
    ASSERT_EQ(mkdir((Rootfs() + "/links").c_str(), 0755), 0);
    for (int n = 3; n <= 30; ++n) {
      const std::string fd = absl::StrCat("proc/self/fd/", n);
      ASSERT_EQ(symlink(("/" + fd).c_str(),
                        absl::StrCat(Rootfs(), "/links/abs", n).c_str()),
                0);
      ASSERT_EQ(symlink(("../" + fd).c_str(),
                        absl::StrCat(Rootfs(), "/links/rel", n).c_str()),
                0);
    }
  }

  // The payload: climb from wherever it starts to "/", read the canary,
  // overwrite it and leave a file next to it (paths relative, so that they
  // resolve from the host's "/" if the cwd is a host directory).
  void WriteAttack(const std::string& cwd) {
    std::string up;
    for (int i = 0; i < 32; ++i) up += "../";
    const std::string rel = canary_.substr(1);
    WriteConfig({"sh", "-c",
                 absl::StrCat("cd ", up, " && cat ", rel, "; echo pwned > ",
                              rel, "; echo x > ", rel, ".escaped")});
    const std::string path = bundle_ + "/config.json";
    std::string json = ocitest::ReadFile(path).value_or("");
    ASSERT_TRUE(absl::StrContains(json, R"("cwd":"/")"));
    absl::StrReplaceAll({{R"("cwd":"/")", "\"cwd\":" + JsonString(cwd)}},
                        &json);
    ASSERT_TRUE(ocitest::WriteFile(path, json).ok());
  }

  void ExpectRefused(const std::string& command, const std::string& cwd) {
    WriteAttack(cwd);
    ocitest::CommandResult r = RunOci({command, "c1"});
    const std::string what = absl::StrCat(command, " with cwd ", cwd);
    EXPECT_EQ(r.exit_code, 1) << what << ": " << r.out << r.err;
    // One line naming the field; ENOENT for a closed fd, the magic-link
    // refusal for an fd the child itself holds at that moment.
    const std::string prefix =
        absl::StrCat("run_oci: jail: process.cwd ", cwd, ": resolve in root: ");
    EXPECT_TRUE(r.err == prefix + "No such file or directory\n" ||
                r.err == prefix + kMagicLinkHint + "\n")
        << what << ": " << r.err;
    EXPECT_FALSE(absl::StrContains(r.out + r.err, kSecret)) << what;
    EXPECT_EQ(ocitest::ReadFile(canary_).value_or(""), kSecret) << what;
    EXPECT_NE(access((canary_ + ".escaped").c_str(), F_OK), 0) << what;
    EXPECT_TRUE(StateRootEntries().empty()) << what;
  }

  std::string canary_;
};

TEST_F(LeakedFdCwdTest, ProcSelfFdAsCwdIsRefused) {
  for (int n = 3; n <= 30; ++n) {
    for (const char* command : {"run", "create"}) {
      ExpectRefused(command, absl::StrCat("/proc/self/fd/", n));
    }
  }
}

TEST_F(LeakedFdCwdTest, RootfsSymlinkToProcSelfFdAsCwdIsRefused) {
  for (int n = 3; n <= 30; ++n) {
    ExpectRefused("run", absl::StrCat("/links/abs", n));
    ExpectRefused(n % 2 ? "run" : "create", absl::StrCat("/links/rel", n));
  }
}

TEST_F(LeakedFdCwdTest, TheSamePayloadFromAnInsideCwdStaysInside) {
  // The control: the payload works, and from a directory of the container
  // it reaches the container's "/" only. A copy of the canary's directory
  // inside the rootfs receives its writes.
  std::string inside = Rootfs();
  for (absl::string_view part :
       absl::StrSplit(temp_->path(), '/', absl::SkipEmpty())) {
    absl::StrAppend(&inside, "/", part);
    ASSERT_TRUE(mkdir(inside.c_str(), 0755) == 0 || errno == EEXIST) << inside;
  }
  WriteAttack("/links");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(absl::StrContains(r.out + r.err, kSecret));
  EXPECT_EQ(ocitest::ReadFile(Rootfs() + canary_).value_or(""), "pwned\n");
  EXPECT_EQ(access((Rootfs() + canary_ + ".escaped").c_str(), F_OK), 0);
  EXPECT_EQ(ocitest::ReadFile(canary_).value_or(""), kSecret);
  EXPECT_NE(access((canary_ + ".escaped").c_str(), F_OK), 0);
  EXPECT_TRUE(StateRootEntries().empty());
}

}  // namespace
}  // namespace run_oci_test
