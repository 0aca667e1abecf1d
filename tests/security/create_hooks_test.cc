// A createContainer hook whose path the container's mounts cover (issue 9,
// escape 2, the createContainer half). OCI resolves a createContainer (and
// Chromium's prechroot) hook's path in the runtime namespace, and the hook
// runs as host root with every capability in the container's namespaces.
// run_oci used to setns into the container's mount namespace first and look
// the path up there, where the config's own bind mounts decide what it
// names: an image could swap in its own binary for the administrator's
// hook. Now the runtime opens the file before setns and runs that file.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

class CreateHookPathTest : public RunOciE2eTest {};

TEST_F(CreateHookPathTest, TheRuntimesFileRunsNotTheImages) {
  const std::string which = temp_->Sub("which");
  // The administrator's hook at a host path under the rootfs...
  const std::string hook_dir = Rootfs() + "/opt/hooks";
  ASSERT_TRUE(ocitest::RunCommand({"mkdir", "-p", hook_dir}).ok());
  ASSERT_TRUE(ocitest::WriteFile(hook_dir + "/hook",
                                 "#!/bin/sh\necho host > " + which + "\n", 0755)
                  .ok());
  // ... which the config covers, in the container's mount namespace, with
  // a directory of the image's holding another file of the same name.
  const std::string image_dir = bundle_ + "/image-hooks";
  ASSERT_TRUE(ocitest::RunCommand({"mkdir", "-p", image_dir}).ok());
  ASSERT_TRUE(ocitest::WriteFile(image_dir + "/hook",
                                 "#!/bin/sh\necho image > " + which + "\n",
                                 0755)
                  .ok());
  extra_mounts_ =
      absl::StrCat(R"({"destination":"/opt/hooks","type":"bind","source":)",
                   JsonString(image_dir), R"(,"options":["bind"]})");
  for (const char* stage : {"createContainer", "prechroot"}) {
    SCOPED_TRACE(stage);
    unlink(which.c_str());
    WriteConfig({"true"}, absl::StrCat(R"({")", stage, R"(":[{"path":)",
                                       JsonString(hook_dir + "/hook"), "}]}"));
    ocitest::CommandResult r = RunOci({"run", "c1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ocitest::ReadFile(which).value_or(""), "host\n");
    EXPECT_TRUE(StateRootEntries().empty());
  }
}

}  // namespace
}  // namespace run_oci_test
