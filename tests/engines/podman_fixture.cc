#include "tests/engines/podman_fixture.h"

#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"

namespace engines_test {

void PodmanTest::SetUp() {
  EngineTest::SetUp();
  if (HasFatalFailure()) return;
  runtime_ = WriteRuntimeWrapper(Sub("bin"), RuntimeName());
  for (const char* dir : {"storage", "runroot", "libpod-tmp", "cni"}) {
    ASSERT_EQ(mkdir(Sub(dir).c_str(), 0700), 0) << dir;
  }
  const std::string containers_conf = PrivateContainersConf(
      absl::Substitute("static_dir = \"$0/storage/libpod\"\nvolume_path = "
                       "\"$0/storage/volumes\"\n",
                       temp_->path()));
  const std::string storage_conf = absl::Substitute(
      R"([storage]
driver = "overlay"
graphroot = "$0/storage"
runroot = "$0/runroot"
)",
      temp_->path());
  ASSERT_TRUE(ocitest::WriteFile(Sub("containers.conf"), containers_conf).ok());
  ASSERT_TRUE(ocitest::WriteFile(Sub("storage.conf"), storage_conf).ok());
  env_.push_back("CONTAINERS_CONF=" + Sub("containers.conf"));
  env_.push_back("CONTAINERS_STORAGE_CONF=" + Sub("storage.conf"));

  // containers/image keeps its blob info cache for root in
  // /var/lib/containers/cache whatever the storage paths say.
  std::vector<std::string> import = {"podman"};
  for (const std::string& flag : GlobalFlags()) import.push_back(flag);
  for (const std::string& arg : {std::string("import"), std::string("-q"),
                                 rootfs_tar_, std::string(kPodmanImage)}) {
    import.push_back(arg);
  }
  ocitest::CommandResult imported = Run(WithPrivateVarLib(import));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
}

void PodmanTest::StopEngine() {
  if (runtime_.empty()) return;
  ocitest::CommandResult rm = Podman({"rm", "--all", "--force", "--time", "0"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  // Unmounts the storage's layers and removes the store (every path it
  // names is the test's own).
  ocitest::CommandResult reset = Podman({"system", "reset", "--force"});
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
}

std::vector<std::string> PodmanTest::GlobalFlags() const {
  return {"--root",
          Sub("storage"),
          "--runroot",
          Sub("runroot"),
          "--tmpdir",
          Sub("libpod-tmp"),
          "--network-config-dir",
          Sub("cni"),
          "--cgroup-manager=cgroupfs",
          "--events-backend=file",
          "--runtime",
          runtime_};
}

ocitest::CommandResult PodmanTest::Podman(const std::vector<std::string>& args,
                                          const std::string& input) {
  std::vector<std::string> argv = {"podman"};
  for (const std::string& flag : GlobalFlags()) argv.push_back(flag);
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, input);
}

ocitest::CommandResult PodmanTest::PodmanWithPrivateVarLib(
    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"podman"};
  for (const std::string& flag : GlobalFlags()) argv.push_back(flag);
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(WithPrivateVarLib(argv));
}

ocitest::CommandResult PodmanTest::PodmanInTerminal(
    const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"podman"};
  for (const std::string& flag : GlobalFlags()) argv.push_back(flag);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunInTerminal(argv, input);
}

std::vector<std::string> PodmanTest::RunFlags(bool network) const {
  std::vector<std::string> flags = {"--ulimit",        "nofile=1024:1024",
                                    "--ulimit",        "nproc=1024:1024",
                                    "--cgroup-parent", "/" + cgroup_parent_};
  if (!network) flags.push_back("--network=none");
  return flags;
}

ocitest::CommandResult PodmanTest::PodmanRun(
    const std::vector<std::string>& extra,
    const std::vector<std::string>& command) {
  std::vector<std::string> args = {"run"};
  for (const std::string& flag : RunFlags()) args.push_back(flag);
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(kPodmanImage);
  args.insert(args.end(), command.begin(), command.end());
  return Podman(args);
}

bool PodmanTest::RunDetached(const std::string& name, const std::string& script,
                             const std::vector<std::string>& extra) {
  std::vector<std::string> flags = {"-d", "--name", name};
  flags.insert(flags.end(), extra.begin(), extra.end());
  ocitest::CommandResult run = PodmanRun(flags, {"sh", "-c", script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return run.exit_code == 0;
}

std::string PodmanTest::Inspect(const std::string& name,
                                const std::string& format) {
  ocitest::CommandResult inspect =
      Podman({"inspect", "--format", format, name});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  return std::string(absl::StripAsciiWhitespace(inspect.out));
}

bool PodmanTest::WaitForLog(const std::string& name, const std::string& text) {
  for (int i = 0; i < 100; ++i) {
    ocitest::CommandResult logs = Podman({"logs", name});
    if (absl::StrContains(logs.out, text)) return true;
    usleep(100 * 1000);
  }
  return false;
}

}  // namespace engines_test
