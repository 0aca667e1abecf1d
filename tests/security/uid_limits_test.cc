// (uid_t)-1 as the container's uid or gid: setresuid(-1, -1, -1) leaves
// the ids unchanged, so a config asking for "user 4294967295" would run its
// program as root. It must be refused before anything is made.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

class UidLimitsTest : public RunOciE2eTest {};

TEST_F(UidLimitsTest, MinusOneIdsAreRefused) {
  const std::string kWhy =
      ": 4294967295 is not a valid id ((uid_t)-1 means \"unchanged\" to the "
      "kernel)";
  struct Case {
    const char* user;
    const char* field;
  };
  for (const Case& c : {
           Case{R"({"uid":4294967295,"gid":0})", "uid"},
           Case{R"({"uid":0,"gid":4294967295})", "gid"},
           Case{R"({"uid":0,"gid":0,"additionalGids":[4294967295]})",
                "additionalGids[0]"},
       }) {
    std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":["id"],"cwd":"/","user":)", c.user, "},",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"}]}})");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
    for (const char* command : {"run", "create", "start"}) {
      ExpectError({command, "c1"},
                  absl::StrCat("config.json: process.user.", c.field, kWhy));
    }
  }
}

}  // namespace
}  // namespace run_oci_test
