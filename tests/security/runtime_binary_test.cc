// CVE-2019-5736: a container overwrites the runtime's binary on the host.
// Between create and start the waiting init is a clone of run_oci, so its
// /proc/<pid>/exe is run_oci's binary; so is that of every run_oci process
// (and process.args[0] = "/proc/self/exe" would run it inside; the shim
// refuses that, proc_self_exe_test.cc). A container process that sees
// those pids (no pid namespace of its own) keeps an fd to the file and,
// once nothing executes it any more, reopens it for writing. run_oci
// re-executes itself from a sealed view of its binary first
// (minijail-shim/sealed_exe.h), so what the container reaches is that
// view, never the host's file, however it got the fd.
//
// The attacker (exe_attacker.cc) runs in a privileged container (every
// capability the host has, no seccomp) in the host's pid namespace. The
// binary under attack is a copy of the built run_oci in the test's temp
// dir; every run_oci command of these tests runs that copy.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/c_strings.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/rootfs.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

// Capability names by number, for "every capability the host has".
constexpr const char* kCapNames[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

// The names of the capabilities in this process's bounding set: a
// container cannot be given more.
std::vector<std::string> HostCapabilities() {
  std::vector<std::string> names;
  absl::StatusOr<std::string> status = ocitest::ReadFile("/proc/self/status");
  if (!status.ok()) return names;
  std::smatch m;
  if (!std::regex_search(*status, m, std::regex("CapBnd:\\s*([0-9a-f]+)"))) {
    return names;
  }
  uint64_t bits = 0;
  if (!absl::SimpleHexAtoi(m[1].str(), &bits)) return names;
  for (size_t i = 0; i < sizeof(kCapNames) / sizeof(kCapNames[0]); ++i) {
    if (bits & (uint64_t{1} << i)) names.push_back(kCapNames[i]);
  }
  return names;
}

class RuntimeBinaryTest : public RunOciE2eTest,
                          public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::string> bytes = ocitest::ReadFile(RUN_OCI_BINARY);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    original_ = *bytes;
    ASSERT_EQ(mkdir(temp_->Sub("bin").c_str(), 0755), 0);
    copy_ = temp_->Sub("bin/run_oci");
    ASSERT_TRUE(ocitest::WriteFile(copy_, original_, 0755).ok());
    shared_ = temp_->Sub("shared");
    ASSERT_EQ(mkdir(shared_.c_str(), 0755), 0);
    attacker_bundle_ = temp_->Sub("attacker");
    ASSERT_TRUE(ocitest::MakeBusyboxRootfs(attacker_bundle_ + "/rootfs").ok());
    absl::StatusOr<std::string> attacker = ocitest::ReadFile(EXE_ATTACKER);
    ASSERT_TRUE(attacker.ok()) << attacker.status();
    ASSERT_TRUE(ocitest::WriteFile(attacker_bundle_ + "/rootfs/exe_attacker",
                                   *attacker, 0755)
                    .ok());
    WriteAttackerConfig();
  }

  // The privileged attacker: no pid namespace, every capability, /proc of
  // the host's pid namespace, the shared directory at /shared.
  void WriteAttackerConfig() {
    const std::string caps = JsonArray(HostCapabilities());
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":["/exe_attacker","/shared"],"cwd":"/",)",
        R"("env":["PATH=/bin"],"user":{"uid":0,"gid":0},)",
        R"("capabilities":{"bounding":)", caps, R"(,"effective":)", caps,
        R"(,"permitted":)", caps, R"(}},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"},)",
        R"({"destination":"/shared","type":"bind","source":)",
        JsonString(shared_), R"(,"options":["rbind","rw"]}],)",
        R"("linux":{"namespaces":[{"type":"mount"}]}})");
    ASSERT_TRUE(
        ocitest::WriteFile(attacker_bundle_ + "/config.json", json).ok());
  }

  // The environment of every run_oci: ours, plus the seal method under test.
  std::vector<std::string> Env() const {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
    env.push_back(absl::StrCat("RUN_OCI_SEAL_METHOD=", GetParam()));
    return env;
  }

  std::vector<std::string> CopyArgv(const std::string& bundle,
                                    const std::vector<std::string>& args) {
    std::vector<std::string> argv = {copy_,          "--root", root_, "-p",
                                     cgroup_parent_, "-c",     bundle};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // The copy of run_oci, never the built binary.
  ocitest::CommandResult Copy(const std::string& bundle,
                              const std::vector<std::string>& args) {
    absl::StatusOr<ocitest::CommandResult> r =
        ocitest::RunCommand(CopyArgv(bundle, args), "", Env());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }

  // The copy in the background, with `stdin_fd` (-1: /dev/null) as stdin.
  pid_t StartCopy(const std::string& bundle,
                  const std::vector<std::string>& args, int stdin_fd = -1) {
    std::vector<std::string> argv = CopyArgv(bundle, args);
    std::vector<std::string> env = Env();
    std::vector<char*> cargv = base::NullTerminated(argv);
    std::vector<char*> cenv = base::NullTerminated(env);
    const std::string out = temp_->Sub(absl::StrCat("out", ++spawned_));
    last_out_ = out;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (stdin_fd >= 0) {
      posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    }
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(),
                          cenv.data()),
              0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  static int Wait(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  bool WaitForCopyStatus(const std::string& bundle, const std::string& id,
                         const std::string& status) {
    const std::string wanted = absl::StrCat("\"status\":\"", status, "\"");
    for (int i = 0; i < 1000; ++i) {
      if (absl::StrContains(Copy(bundle, {"state", id}).out, wanted)) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  void Signal(const std::string& name) const {
    ASSERT_TRUE(ocitest::WriteFile(shared_ + "/" + name, "").ok());
  }

  void Targets(int round, const std::vector<pid_t>& pids) {
    ASSERT_TRUE(
        ocitest::WriteFile(shared_ + "/targets.tmp", absl::StrJoin(pids, " "))
            .ok());
    ASSERT_EQ(rename((shared_ + "/targets.tmp").c_str(),
                     absl::StrCat(shared_, "/targets", round).c_str()),
              0);
    ASSERT_TRUE(WaitForFile(absl::StrCat(shared_, "/held", round)));
  }

  void StartAttacker() {
    ASSERT_EQ(Copy(attacker_bundle_, {"create", "attacker"}).exit_code, 0);
    ASSERT_EQ(Copy(attacker_bundle_, {"start", "attacker"}).exit_code, 0);
  }

  // Lets the attacker reopen what it holds, then checks its report: no
  // write got through, the control reads did, and the copy is unchanged.
  void FinishAttack() {
    Signal("go");
    ASSERT_TRUE(WaitForFile(shared_ + "/done"));
    absl::StatusOr<std::string> report = ocitest::ReadFile(shared_ + "/result");
    ASSERT_TRUE(report.ok()) << report.status();
    report_ = *report;
    int writes = 0, controls = 0;
    for (absl::string_view line :
         absl::StrSplit(report_, '\n', absl::SkipEmpty())) {
      if (absl::StartsWith(line, "write ")) {
        ++writes;
        EXPECT_FALSE(absl::EndsWith(line, ": ok")) << line;
        // The overlay view is read-only before anything else is checked.
        if (GetParam() == "overlay") {
          EXPECT_TRUE(absl::EndsWith(line, ": EROFS")) << line;
        }
      } else if (absl::StartsWith(line, "control ")) {
        ++controls;
        EXPECT_TRUE(absl::EndsWith(line, ": ok")) << line;
      }
    }
    EXPECT_GT(writes, 0) << report_;
    EXPECT_GT(controls, 0) << report_;
    absl::StatusOr<std::string> after = ocitest::ReadFile(copy_);
    ASSERT_TRUE(after.ok()) << after.status();
    // A modified copy cannot clean up; the fixture's teardown does, with
    // the built binary.
    ASSERT_TRUE(*after == original_) << "the copy of run_oci was modified";
    ASSERT_TRUE(WaitForCopyStatus(attacker_bundle_, "attacker", "stopped"));
    EXPECT_EQ(Copy(attacker_bundle_, {"destroy", "attacker"}).exit_code, 0);
  }

  std::string original_;
  std::string copy_;
  std::string shared_;
  std::string attacker_bundle_;
  std::string report_;
  int CreateUnderAttack(const std::vector<std::string>& args);

  std::string last_out_;  // stdout+stderr of the last StartCopy
  pid_t create_pid_ = -1;
  int spawned_ = 0;
};

pid_t PidFromState(const std::string& json) {
  std::smatch m;
  pid_t pid = -1;
  if (std::regex_search(json, m, std::regex("\"pid\":\\s*([0-9]+)"))) {
    absl::SimpleAtoi(m[1].str(), &pid);
  }
  return pid;
}

// `create victim` with `args` as its program, held in a createRuntime
// hook while the attacker takes the exe of the run_oci create process and
// of the waiting init (both clones of the runtime at that point). Returns
// create's exit status.
int RuntimeBinaryTest::CreateUnderAttack(const std::vector<std::string>& args) {
  StartAttacker();
  if (HasFatalFailure()) return -1;
  const std::string hook = absl::StrCat(
      "cat > ", shared_, "/state.json; touch ", shared_,
      "/hooked; while [ ! -e ", shared_, "/release ]; do sleep 0.01; done");
  WriteConfig(args,
              absl::StrCat(R"({"createRuntime":[{"path":"/bin/sh",)",
                           R"("args":["sh","-c",)", JsonString(hook), "]}]}"));
  const pid_t create = StartCopy(bundle_, {"create", "victim"});
  create_pid_ = create;
  EXPECT_TRUE(WaitForFile(shared_ + "/hooked"));
  absl::StatusOr<std::string> state =
      ocitest::ReadFile(shared_ + "/state.json");
  EXPECT_TRUE(state.ok()) << state.status();
  const pid_t init = PidFromState(state.value_or(""));
  EXPECT_GT(init, 0) << state.value_or("");
  Targets(1, {create, init});
  Signal("release");
  return Wait(create);
}

// After start nothing executes the file any more, which is when the
// original exploit reopened its fd for writing.
TEST_P(RuntimeBinaryTest, WaitingInitAndRuntimeProcessCannotWriteTheBinary) {
  ASSERT_EQ(CreateUnderAttack({"true"}), 0);
  ASSERT_EQ(Copy(bundle_, {"start", "victim"}).exit_code, 0);
  ASSERT_TRUE(WaitForCopyStatus(bundle_, "victim", "stopped"));
  ASSERT_NO_FATAL_FAILURE(FinishAttack());
  EXPECT_TRUE(absl::StrContains(report_, absl::StrCat("pid ", create_pid_)))
      << report_;
  EXPECT_EQ(Copy(bundle_, {"destroy", "victim"}).exit_code, 0);
}

// process.args[0] = "/proc/self/exe" names whatever the init runs. The
// shim refuses to exec through a magic link (proc_self_exe_test.cc); what
// the attacker held meanwhile must still be unwritable afterwards.
TEST_P(RuntimeBinaryTest, ProcSelfExeAsTheProgramCannotWriteTheBinary) {
  EXPECT_EQ(CreateUnderAttack({"/proc/self/exe", "--help"}), 1);
  absl::StatusOr<std::string> out = ocitest::ReadFile(last_out_);
  EXPECT_TRUE(absl::StrContains(out.value_or(""), "exec (/proc/self/exe)"))
      << out.value_or("");
  EXPECT_TRUE(StateRootEntries() == std::vector<std::string>{"attacker"});
  ASSERT_NO_FATAL_FAILURE(FinishAttack());
}

class SealedExecGuardTest : public RunOciE2eTest {
 protected:
  ocitest::CommandResult RunWithEnv(const std::string& extra,
                                    const std::vector<std::string>& args) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
    env.push_back(extra);
    std::vector<std::string> argv = {RUN_OCI_BINARY, "--root", root_,  "-p",
                                     cgroup_parent_, "-c",     bundle_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<ocitest::CommandResult> r =
        ocitest::RunCommand(argv, "", env);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }
};

// The re-exec marker ends the re-exec, so it must not be a way around the
// seal: with it set and the binary not sealed, nothing starts.
TEST_F(SealedExecGuardTest, MarkerWithoutASealedBinaryStartsNothing) {
  for (const char* command : {"run", "create", "start"}) {
    ocitest::CommandResult r =
        RunWithEnv("RUN_OCI_SEALED_EXEC=1", {command, "c1"});
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.err,
              "run_oci: RUN_OCI_SEALED_EXEC is set but /proc/self/exe is not "
              "a sealed view of run_oci (CVE-2019-5736)\n")
        << command;
    EXPECT_EQ(r.out, "") << command;
  }
  EXPECT_TRUE(StateRootEntries().empty());
  // Commands that start nothing do not care.
  EXPECT_EQ(RunWithEnv("RUN_OCI_SEALED_EXEC=1", {"state", "c1"}).err,
            "run_oci: container does not exist: c1\n");
}

TEST_F(SealedExecGuardTest, UnknownSealMethodIsAnError) {
  ocitest::CommandResult r =
      RunWithEnv("RUN_OCI_SEAL_METHOD=none", {"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: RUN_OCI_SEAL_METHOD=none: must be \"overlay\" or "
            "\"memfd\"\n");
  EXPECT_TRUE(StateRootEntries().empty());
}

INSTANTIATE_TEST_SUITE_P(SealMethods, RuntimeBinaryTest,
                         ::testing::Values("overlay", "memfd"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace run_oci_test
