#include "tests/engines/engine_test.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/engines/host_paths.h"
#include "tests/testing/rootfs.h"

namespace engines_test {
namespace {

// Far longer than any engine command here needs: a hang, not slowness.
constexpr char kCommandTimeout[] = "120";

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
  }
  return names;
}

// A shell word for `s`.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

void EngineTest::SetUp() {
  host_paths_before_ = SnapshotHostPaths();
  absl::StatusOr<ocitest::TempDir> temp =
      ocitest::TempDir::Create("ocitest-engines");
  ASSERT_TRUE(temp.ok()) << temp.status();
  temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
  cgroup_parent_ = ocitest::UniqueName("ocitest-engines");
  leaks_ = std::make_unique<ocitest::LeakChecker>(
      std::vector<std::string>{temp_->path(), cgroup_parent_});
  rootfs_ = Sub("rootfs");
  rootfs_tar_ = Sub("rootfs.tar");
  runtime_root_ = Sub("runtime-state");
  runtime_state_dir_ = runtime_root_;
  ASSERT_TRUE(ocitest::MakeBusyboxRootfs(rootfs_).ok());
  for (const char* dir :
       {"home", "tmp", "xdg", "config", "data", "bin", "varlib"}) {
    ASSERT_EQ(mkdir(Sub(dir).c_str(), 0700), 0) << dir;
  }
  env_ = {
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "HOME=" + Sub("home"),
      "TMPDIR=" + Sub("tmp"),
      "XDG_RUNTIME_DIR=" + Sub("xdg"),
      "XDG_CONFIG_HOME=" + Sub("config"),
      "XDG_DATA_HOME=" + Sub("data"),
  };
  ocitest::CommandResult tar =
      Run({"tar", "-C", rootfs_, "-cf", rootfs_tar_, "."});
  ASSERT_EQ(tar.exit_code, 0) << tar.err;
}

void EngineTest::TearDown() {
  if (temp_ == nullptr) return;
  StopEngine();
  EXPECT_EQ(absl::StrJoin(RuntimeStateEntries(), " "), "")
      << "run_oci state left in " << runtime_state_dir_;
  RemoveCgroupParent();
  EXPECT_EQ(leaks_->FindLeaks(), "");
  EXPECT_EQ(SnapshotHostPaths(), host_paths_before_)
      << "an engine wrote to the host's default paths";
}

ocitest::CommandResult EngineTest::Run(const std::vector<std::string>& argv,
                                       const std::string& input) {
  // In the test's directory: conmon writes an "oom" file into its working
  // directory when the container is OOM-killed.
  std::vector<std::string> full = {
      "timeout", "-k", "5", kCommandTimeout, "env", "-C", temp_->path()};
  full.insert(full.end(), argv.begin(), argv.end());
  absl::StatusOr<ocitest::CommandResult> result =
      ocitest::RunCommand(full, input, env_);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return ocitest::CommandResult{};
  EXPECT_NE(result->exit_code, 124)
      << absl::StrJoin(argv, " ") << ": timed out; stderr: " << result->err;
  return *std::move(result);
}

ocitest::CommandResult EngineTest::RunInTerminal(
    const std::vector<std::string>& argv, const std::string& input) {
  std::vector<std::string> words;
  for (const std::string& arg : argv) words.push_back(ShellQuote(arg));
  // -e: script exits with the command's status; /dev/null: no typescript.
  return Run({"script", "-qec", absl::StrJoin(words, " "), "/dev/null"}, input);
}

std::vector<std::string> EngineTest::WithPrivateVarLib(
    const std::vector<std::string>& argv) const {
  std::vector<std::string> full = {"unshare",
                                   "-m",
                                   "--propagation",
                                   "private",
                                   "sh",
                                   "-c",
                                   R"(mount --bind "$0" /var/lib && exec "$@")",
                                   Sub("varlib")};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

std::string EngineTest::WriteRuntimeWrapper(const std::string& dir,
                                            const std::string& name) {
  const std::string path = absl::StrCat(dir, "/", name);
  const std::string script =
      absl::StrCat("#!/bin/sh\nexec ", ShellQuote(RUN_OCI_BINARY), " --root ",
                   ShellQuote(runtime_root_), " \"$@\"\n");
  EXPECT_TRUE(ocitest::WriteFile(path, script, 0755).ok()) << path;
  return path;
}

std::vector<std::string> EngineTest::RuntimeStateEntries() const {
  // The seccomp filter cache stays by design (libcontainer/seccomp_cache.h);
  // anything else is a container's state left behind.
  std::vector<std::string> entries;
  for (std::string& entry : ListDir(runtime_state_dir_)) {
    if (entry != ".seccomp-cache") {  // libcontainer::kSeccompCacheDirName
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

void EngineTest::RemoveCgroupParent() const {
  // The engines remove the containers' cgroups, never the parent they were
  // given, nor podman the "conmon" cgroup it makes beside them (cgroupfs);
  // any other child left keeps the parent, which the leak check reports.
  // conmon (podman's, not ours) may still be exiting after `podman rm`
  // returned, and its cgroup cannot go before it: wait for that, bounded.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  bool left = true;
  while (left) {
    left = false;
    for (const std::string& controller : ListDir("/sys/fs/cgroup")) {
      const std::string parent =
          absl::StrCat("/sys/fs/cgroup/", controller, "/", cgroup_parent_);
      rmdir(absl::StrCat(parent, "/conmon").c_str());
      if (rmdir(parent.c_str()) != 0 && errno == EBUSY) left = true;
    }
    if (!left || absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

std::vector<std::string> LinesWith(const std::string& text,
                                   const std::string& needle) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) lines.emplace_back(line);
  }
  return lines;
}

std::string EngineTest::PrivateContainersConf(
    const std::string& engine_extra) const {
  return absl::StrCat(absl::Substitute(R"([network]
network_backend = "cni"
network_config_dir = "$0/cni"
cni_plugin_dirs = ["/usr/lib/cni"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$0/events.log"
lock_type = "file"
tmp_dir = "$0/libpod-tmp"
)",
                                       temp_->path()),
                      engine_extra);
}

}  // namespace engines_test
