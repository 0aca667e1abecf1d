// Every user error: one line "run_oci: <message>" on stderr, exit 1, and
// nothing left behind.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

class ErrorsTest : public RunOciE2eTest {};

TEST_F(ErrorsTest, CommandLine) {
  ExpectError({"frobnicate", "c1"}, "unknown command: frobnicate");
  ExpectError({}, "missing command");
  ExpectError({"run"}, "missing container id");
  ExpectError({"--bogus", "run", "c1"}, "unknown flag: --bogus");
  ExpectError({"-Z", "run", "c1"}, "unknown flag: -Z");
  ExpectError({"run", "c1", "--root"}, "flag --root needs a value");
  ExpectError({"state", "c1", "extra"}, "unexpected argument: extra");
  ExpectError({"run", "-b", "nocolon", "c1"},
              "--bind_mount nocolon: expected HOST_PATH:CONTAINER_PATH");
}

TEST_F(ErrorsTest, InvalidIds) {
  for (const std::string& id :
       {std::string(".."), std::string("a/b"), std::string("../x"),
        std::string(".hidden"), std::string("a..b"), std::string("tab\tid")}) {
    for (const char* command :
         {"run", "create", "start", "state", "kill", "destroy"}) {
      ExpectError({command, id}, "invalid container id");
    }
  }
  ExpectError({"run", ""}, "invalid container id");
  // One byte more than a directory name may have (NAME_MAX), and far more.
  for (size_t length : {256, 1025}) {
    for (const char* command : {"run", "create", "state", "destroy"}) {
      ExpectError({command, std::string(length, 'x')},
                  "invalid container id: longer than 255 bytes");
    }
  }
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// The shim mounts the config's /dev tmpfs as its own default /dev, so the
// mount after it is the shim's mounts[1]; the message names config.json's.
TEST_F(ErrorsTest, MountFailureNamesTheConfigsIndex) {
  extra_mounts_ =
      R"({"destination":"/dev","type":"tmpfs","source":"tmpfs"},)"
      R"({"destination":"/bad","type":"no-such-fs","source":"none"})";
  WriteConfig({"true"});
  ExpectError({"run", "c1"}, "jail: mounts[2] (/bad): mount: No such device");
}

// The longest id that passes is one the state root and the cgroup
// hierarchies take as a directory name.
TEST_F(ErrorsTest, LongestIdRuns) {
  WriteConfig({"true"});
  const std::string id(255, 'x');
  ocitest::CommandResult run = RunOci({"run", id});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(ErrorsTest, UnknownContainer) {
  for (const char* command : {"state", "kill", "destroy", "delete"}) {
    ExpectError({command, "nope"}, "container does not exist: nope");
  }
}

TEST_F(ErrorsTest, AlreadyExists) {
  WriteConfig({"sleep", "1000"});
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ExpectError({"create", "c1"}, "container with given ID already exists: c1");
  ExpectError({"run", "c1"}, "container with given ID already exists: c1");
  EXPECT_EQ(RunOci({"destroy", "c1"}).exit_code, 0);
}

TEST_F(ErrorsTest, DirectoryWithoutTagIsNotTouched) {
  ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
  std::string foreign = StateDir("foreign");
  ASSERT_EQ(mkdir(foreign.c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(foreign + "/precious", "x").ok());
  std::string message = absl::StrCat("container foreign: ", foreign,
                                     " is not a run_oci state directory");
  ExpectError({"state", "foreign"}, message);
  ExpectError({"kill", "foreign"}, message);
  ExpectError({"destroy", "--force", "foreign"}, message);
  ExpectError({"create", "foreign"},
              "container with given ID already exists: foreign");
  EXPECT_EQ(ocitest::ReadFile(foreign + "/precious").value_or(""), "x");
}

TEST_F(ErrorsTest, BadBundleLeavesNothing) {
  ASSERT_TRUE(
      ocitest::WriteFile(bundle_ + "/config.json", "{\"ociVersion\":").ok());
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("run_oci: "));
  EXPECT_THAT(r.err, HasSubstr("config.json"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_THAT(StateRootEntries(), IsEmpty());

  ocitest::CommandResult missing =
      RunOciRaw({"--root", root_, "-c", temp_->Sub("nobundle"), "run", "c1"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, StartsWith("run_oci: "));
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(ErrorsTest, ProgramThatCannotStartLeavesNothing) {
  WriteConfig({"/no/such/program"});
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(ErrorsTest, Help) {
  for (const char* flag : {"--help", "-h"}) {
    ocitest::CommandResult r = RunOciRaw({flag});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.out, StartsWith("Usage: run_oci"));
    EXPECT_THAT(r.out, HasSubstr("--container_path"));
    EXPECT_TRUE(r.err.empty());
  }
}

}  // namespace
}  // namespace run_oci_test
