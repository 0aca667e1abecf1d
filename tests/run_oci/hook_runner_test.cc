#include "run_oci/hook_runner.h"

#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/config_symbols.h"
#include "minijail-shim/base/c_strings.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

using libcontainer::Hook;
using libcontainer::HookStage;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Starts hooks with posix_spawn, recording each command; namespace joining
// is the real spawner's business and is only recorded here.
class FakeSpawner {
 public:
  absl::StatusOr<HookProcess> operator()(const HookCommand& command) {
    commands.push_back(command);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, command.stdin_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, command.stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, command.stderr_fd, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    if (command.new_process_group) {
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
      posix_spawnattr_setpgroup(&attr, 0);
    }
    std::vector<char*> argv = base::NullTerminated(command.argv);
    std::vector<char*> envp = base::NullTerminated(command.env);
    pid_t pid;
    int rc = posix_spawn(&pid, command.path.c_str(), &actions, &attr,
                         argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
      return absl::InternalError(absl::StrCat("posix_spawn: ", strerror(rc)));
    HookProcess process;
    process.pid = pid;
    process.pidfd.reset(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
    return process;
  }
  std::vector<HookCommand> commands;
};

class HookRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("hooks");
    ASSERT_TRUE(temp.ok());
    temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
  }
  HookRunner Runner() {
    return HookRunner(
        [this](const HookCommand& c) { return spawner_(c); },
        [this](absl::string_view line) { lines_.emplace_back(line); });
  }
  Hook Script(const std::string& body) {
    std::string path = temp_->Sub(absl::StrCat("hook", ++count_));
    EXPECT_TRUE(ocitest::WriteFile(path, "#!/bin/sh\n" + body, 0755).ok());
    Hook hook;
    hook.path = path;
    return hook;
  }

  std::unique_ptr<ocitest::TempDir> temp_;
  FakeSpawner spawner_;
  std::vector<std::string> lines_;
  int count_ = 0;
};

TEST_F(HookRunnerTest, StdinArgsEnvAndOutput) {
  std::string out = temp_->Sub("out");
  Hook hook = Script("cat > " + out + "; echo \"$0 $1 $FOO\"; echo err >&2\n");
  hook.args = {"name0", "arg1"};
  hook.env = {"FOO=bar"};
  ASSERT_TRUE(
      Runner().Run(HookStage::kCreateRuntime, {hook}, "{\"s\":1}", 7).ok());
  EXPECT_EQ(ocitest::ReadFile(out).value_or(""), "{\"s\":1}");
  std::string prefix = absl::StrCat("hook createRuntime[0] ", hook.path, ": ");
  EXPECT_THAT(lines_,
              ElementsAre(prefix + hook.path + " arg1 bar", prefix + "err"));
  ASSERT_EQ(spawner_.commands.size(), 1u);
  EXPECT_EQ(spawner_.commands[0].join_namespaces_of, -1);
  EXPECT_THAT(spawner_.commands[0].argv, ElementsAre("name0", "arg1"));
}

TEST_F(HookRunnerTest, EmptyArgsUsePathAndEmptyEnv) {
  Hook hook = Script("echo \"[$FOO][$HOME]\"; printf partial\n");
  setenv("FOO", "leak", 1);
  ASSERT_TRUE(Runner().Run(HookStage::kPoststop, {hook}, "{}", 0).ok());
  unsetenv("FOO");
  EXPECT_THAT(spawner_.commands[0].argv, ElementsAre(hook.path));
  EXPECT_TRUE(spawner_.commands[0].env.empty());
  EXPECT_THAT(lines_, ElementsAre(HasSubstr(": [][]"), HasSubstr(": partial")));
}

TEST_F(HookRunnerTest, ContainerNamespaceStagesJoinThePid) {
  Hook hook = Script("exit 0\n");
  for (HookStage stage : {HookStage::kCreateContainer, HookStage::kPrechroot}) {
    ASSERT_TRUE(Runner().Run(stage, {hook}, "{}", 4242).ok());
  }
  for (HookStage stage :
       {HookStage::kPrecreate, HookStage::kPrestart, HookStage::kCreateRuntime,
        HookStage::kPoststart, HookStage::kPoststop}) {
    ASSERT_TRUE(Runner().Run(stage, {hook}, "{}", 4242).ok());
  }
  ASSERT_EQ(spawner_.commands.size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(spawner_.commands[i].join_namespaces_of, i < 2 ? 4242 : -1) << i;
    EXPECT_TRUE(spawner_.commands[i].new_process_group) << i;
  }
}

// Their binaries come from the image: the container's process runs them
// (shim start_hooks), never the runtime.
TEST_F(HookRunnerTest, StartContainerHooksAreRefused) {
  Hook hook = Script("exit 0\n");
  absl::Status status =
      Runner().Run(HookStage::kStartContainer, {hook}, "{}", 4242);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(spawner_.commands.empty());
}

TEST_F(HookRunnerTest, FailureStopsTheStageAndNamesTheHook) {
  std::string marker = temp_->Sub("ran");
  Hook ok = Script("exit 0\n");
  Hook bad = Script("exit 3\n");
  Hook never = Script("touch " + marker + "\n");
  absl::Status status =
      Runner().Run(HookStage::kPrestart, {ok, bad, never}, "{}", 1);
  EXPECT_EQ(status.message(), absl::StrCat("hook prestart[1] ", bad.path,
                                           ": exited with status 3"));
  EXPECT_NE(access(marker.c_str(), F_OK), 0);
}

TEST_F(HookRunnerTest, KilledBySignal) {
  Hook hook = Script("kill -9 $$\n");
  EXPECT_THAT(Runner().Run(HookStage::kPoststart, {hook}, "{}", 1).message(),
              HasSubstr(": killed by signal 9"));
}

TEST_F(HookRunnerTest, TimeoutKills) {
  Hook hook = Script("echo started; exec sleep 30\n");
  hook.timeout_seconds = 1;
  absl::Time start = absl::Now();
  absl::Status status =
      Runner().Run(HookStage::kCreateRuntime, {hook}, "{}", 1);
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_EQ(status.message(), absl::StrCat("hook createRuntime[0] ", hook.path,
                                           ": timed out after 1s"));
  EXPECT_THAT(lines_, ElementsAre(HasSubstr(": started")));
}

// The timeout kills the hook's process group: its background child too.
TEST_F(HookRunnerTest, TimeoutKillsTheHooksProcessGroup) {
  std::string pid_file = temp_->Sub("pids");
  Hook hook =
      Script("sleep 1000 &\necho $$ $! > " + pid_file + "\nexec sleep 1000\n");
  hook.timeout_seconds = 1;
  absl::Status status =
      Runner().Run(HookStage::kCreateRuntime, {hook}, "{}", 1);
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  std::vector<std::string> pids = absl::StrSplit(
      ocitest::ReadFile(pid_file).value_or(""), ' ', absl::SkipWhitespace());
  ASSERT_EQ(pids.size(), 2u);
  // The hook was reaped by the runner; the orphaned child is reaped by
  // init once dead, so look until it is gone or a zombie.
  const pid_t child = std::stoi(pids[1]);
  bool dead = false;
  for (int i = 0; i < 500 && !dead; ++i) {
    std::string stat =
        ocitest::ReadFile(absl::StrCat("/proc/", child, "/stat")).value_or("");
    dead = stat.empty() || stat.find(") Z ") != std::string::npos;
    if (!dead) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(dead) << "background child " << child << " survived";
  if (!dead) kill(child, SIGKILL);
  EXPECT_NE(kill(std::stoi(pids[0]), 0), 0) << "the hook itself survived";
}

// A hook that exits by itself keeps what it started: its group is not
// killed (a helper may be meant to outlive it; see hook_runner.cc).
TEST_F(HookRunnerTest, BackgroundChildHoldingOutputDoesNotBlock) {
  std::string pid_file = temp_->Sub("bg.pid");
  Hook hook = Script("sleep 30 &\necho $! > " + pid_file + "\necho done\n");
  absl::Time start = absl::Now();
  EXPECT_TRUE(Runner().Run(HookStage::kPoststart, {hook}, "{}", 1).ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  // The background sleep is ours to clean up, by the pid it recorded.
  absl::StatusOr<std::string> pid = ocitest::ReadFile(pid_file);
  ASSERT_TRUE(pid.ok());
  EXPECT_EQ(kill(std::stoi(*pid), SIGKILL), 0);
}

TEST_F(HookRunnerTest, LargeStateFitsThePipe) {
  std::string out = temp_->Sub("big");
  Hook hook = Script("sleep 0.2; cat > " + out + "\n");
  std::string big(200000, 'x');
  ASSERT_TRUE(Runner().Run(HookStage::kPoststop, {hook}, big, 0).ok());
  EXPECT_EQ(ocitest::ReadFile(out)->size(), big.size());
}

TEST_F(HookRunnerTest, SpawnErrorNamesTheHook) {
  Hook hook;
  hook.path = "/nonexistent/hook";
  EXPECT_THAT(Runner().Run(HookStage::kPoststart, {hook}, "{}", 1).message(),
              HasSubstr("hook poststart[0] /nonexistent/hook: "));
}

TEST(HookStageTest, NamesAndStatuses) {
  EXPECT_EQ(libcontainer::HookStageName(HookStage::kCreateRuntime),
            "createRuntime");
  EXPECT_EQ(libcontainer::HookStageName(HookStage::kPrechroot), "prechroot");
  EXPECT_EQ(HookStageStatus(HookStage::kPrecreate), "creating");
  EXPECT_EQ(HookStageStatus(HookStage::kCreateContainer), "creating");
  EXPECT_EQ(HookStageStatus(HookStage::kStartContainer), "created");
  EXPECT_EQ(HookStageStatus(HookStage::kPoststart), "running");
  EXPECT_EQ(HookStageStatus(HookStage::kPoststop), "stopped");
}

}  // namespace
}  // namespace run_oci
