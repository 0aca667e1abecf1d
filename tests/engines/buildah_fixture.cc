#include "tests/engines/buildah_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"

namespace engines_test {

void BuildahTest::SetUp() {
  EngineTest::SetUp();
  if (HasFatalFailure()) return;
  for (const char* dir :
       {"storage", "runroot", "cni", "cni-ipam", "libpod-tmp"}) {
    ASSERT_EQ(mkdir(Sub(dir).c_str(), 0700), 0) << dir;
  }
  absl::StatusOr<CniBridge> bridge =
      WriteCniBridge(Sub("cni"), Sub("cni-ipam"));
  ASSERT_TRUE(bridge.ok()) << bridge.status();
  bridge_ = *std::move(bridge);
  const std::string containers_conf = PrivateContainersConf("");
  ASSERT_TRUE(ocitest::WriteFile(Sub("containers.conf"), containers_conf).ok());
  env_.push_back("CONTAINERS_CONF=" + Sub("containers.conf"));
  started_ = true;
}

void BuildahTest::StopEngine() {
  if (!started_) return;
  ocitest::CommandResult rm = Buildah({"rm", "--all"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  ocitest::CommandResult rmi = Buildah({"rmi", "--all", "--force"});
  EXPECT_EQ(rmi.exit_code, 0) << rmi.err;
  EXPECT_EQ(absl::StrJoin(CniLeases(bridge_), " "), "")
      << "addresses still leased";
  EXPECT_EQ(RemoveCniBridge(bridge_), "");
}

ocitest::CommandResult BuildahTest::Buildah(
    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "buildah",      "--root",           Sub("storage"), "--runroot",
      Sub("runroot"), "--storage-driver", "overlay"};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(WithPrivateVarLib(argv));
}

ocitest::CommandResult BuildahTest::BuildahRun(
    const std::string& container, const std::vector<std::string>& extra,
    const std::vector<std::string>& command) {
  std::vector<std::string> args = {"run", "--runtime", RUN_OCI_BINARY,
                                   "--runtime-flag", "root=" + runtime_root_};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(container);
  args.push_back("--");
  args.insert(args.end(), command.begin(), command.end());
  return Buildah(args);
}

}  // namespace engines_test
