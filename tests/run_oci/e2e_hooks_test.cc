// OCI hooks through the binary: order, the state on stdin, env, timeouts,
// per-stage failure semantics, and cleanup of mounts hooks made.
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

const char* const kStages[] = {"precreate",       "prestart",  "createRuntime",
                               "createContainer", "prechroot", "startContainer",
                               "poststart",       "poststop"};

class HooksTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    hooks_dir_ = Rootfs() + "/hooks";
    ASSERT_EQ(mkdir(hooks_dir_.c_str(), 0777), 0);
  }

  // Where a hook of `stage` sees hooks_dir_: after pivot_root
  // (startContainer) it is inside the rootfs.
  std::string DirFor(const std::string& stage) const {
    return stage == "startContainer" ? "/hooks" : hooks_dir_;
  }

  // A hook that records its stage, stdin and $FOO, then runs `tail`.
  std::string Hook(const std::string& stage, const std::string& tail = "",
                   const std::string& extra = "") const {
    std::string dir = DirFor(stage);
    std::string script = absl::StrCat(
        "cat > ", dir, "/", stage, ".json; echo ", stage, " >> ", dir,
        "/order; echo \"[$FOO]\" > ", dir, "/", stage, ".env; ", tail);
    return absl::StrCat(R"({"path":"/bin/sh","args":)",
                        JsonArray({"sh", "-c", script}), extra, "}");
  }

  // {"stage":[hook], ...} for every stage, with `overrides` replacing some.
  std::string AllHooks(std::map<std::string, std::string> overrides = {}) {
    std::vector<std::string> members;
    for (const char* stage : kStages) {
      std::string hook =
          overrides.count(stage) ? overrides[stage] : Hook(stage);
      members.push_back(absl::StrCat("\"", stage, "\":[", hook, "]"));
    }
    return absl::StrCat("{", absl::StrJoin(members, ","), "}");
  }

  std::vector<std::string> Order() const {
    std::string text = ocitest::ReadFile(hooks_dir_ + "/order").value_or("");
    return absl::StrSplit(text, '\n', absl::SkipEmpty());
  }

  // `r` failed on hook <stage>[0] exiting with `status`, the last thing
  // that ran, and left nothing in the state root.
  void ExpectStoppedByHook(const ocitest::CommandResult& r,
                           const std::string& stage, int status) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              absl::StrCat("run_oci: hook ", stage,
                           "[0] /bin/sh: exited with status ", status, "\n"));
    std::vector<std::string> order = Order();
    EXPECT_FALSE(order.empty());
    if (!order.empty()) {
      EXPECT_EQ(order.back(), stage);
    }
    EXPECT_THAT(StateRootEntries(), IsEmpty());
  }

  rapidjson::Document StateSeenBy(const std::string& stage) const {
    rapidjson::Document doc;
    std::string text =
        ocitest::ReadFile(hooks_dir_ + "/" + stage + ".json").value_or("");
    doc.Parse(text.c_str());
    EXPECT_FALSE(doc.HasParseError()) << stage << ": " << text;
    return doc;
  }

  std::string hooks_dir_;
};

TEST_F(HooksTest, RunCallsEveryStageInOrderWithTheState) {
  WriteConfig({"sh", "-c", "echo program >> /hooks/order"}, AllHooks());
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> order = Order();
  // poststart and the program race; the rest is fixed.
  std::vector<std::string> before(order.begin(), order.begin() + 6);
  EXPECT_THAT(before,
              ElementsAre("precreate", "prestart", "createRuntime",
                          "createContainer", "prechroot", "startContainer"));
  ASSERT_EQ(order.size(), 9u);
  EXPECT_EQ(order.back(), "poststop");
  EXPECT_THAT((std::vector<std::string>{order[6], order[7]}),
              ::testing::UnorderedElementsAre("program", "poststart"));

  std::map<std::string, std::string> status = {
      {"precreate", "creating"},     {"prestart", "creating"},
      {"createRuntime", "creating"}, {"createContainer", "creating"},
      {"prechroot", "creating"},     {"startContainer", "created"},
      {"poststart", "running"},      {"poststop", "stopped"}};
  int pid = 0;
  for (const char* stage : kStages) {
    rapidjson::Document doc = StateSeenBy(stage);
    if (!doc.IsObject()) continue;
    EXPECT_EQ(std::string(doc["status"].GetString()), status[stage]) << stage;
    EXPECT_STREQ(doc["id"].GetString(), "c1");
    EXPECT_EQ(std::string(doc["bundle"].GetString()), bundle_);
    // runtime-spec 1.3.0 state: the spec version the state complies with.
    EXPECT_STREQ(doc["ociVersion"].GetString(), "1.3.0");
    bool has_pid = doc.HasMember("pid");
    std::string s = stage;
    if (s == "precreate" || s == "poststop") {
      EXPECT_FALSE(has_pid) << stage;
    } else {
      ASSERT_TRUE(has_pid) << stage;
      if (pid == 0) pid = doc["pid"].GetInt();
      EXPECT_EQ(doc["pid"].GetInt(), pid) << stage;
    }
    // No env in the config: the hook's environment is empty.
    EXPECT_EQ(ocitest::ReadFile(hooks_dir_ + "/" + s + ".env").value_or(""),
              "[]\n");
  }
  EXPECT_GT(pid, 0);
}

// args[0] is the hook's own argv[0], not a copy of its path (OCI spec).
TEST_F(HooksTest, HookArgsZeroIsPassedAsGiven) {
  std::string hook = absl::StrCat(
      R"({"path":"/bin/sh","args":)",
      JsonArray({"my-hook-name", "-c",
                 absl::StrCat("echo \"$0\" > ", hooks_dir_, "/argv0")}),
      "}");
  WriteConfig({"true"}, absl::StrCat(R"({"createRuntime":[)", hook, "]}"));
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ocitest::ReadFile(hooks_dir_ + "/argv0").value_or(""),
            "my-hook-name\n");
}

TEST_F(HooksTest, CreateStartSplitRunsStartContainerOnStart) {
  WriteConfig({"sleep", "1000"}, AllHooks());
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  EXPECT_THAT(Order(), ElementsAre("precreate", "prestart", "createRuntime",
                                   "createContainer", "prechroot"));
  ocitest::CommandResult r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Order(), ElementsAre("precreate", "prestart", "createRuntime",
                                   "createContainer", "prechroot",
                                   "startContainer", "poststart"));
  EXPECT_STREQ(StateSeenBy("startContainer")["status"].GetString(), "created");
  // kill does not run poststop; destroy does.
  ASSERT_EQ(RunOci({"kill", "c1", "KILL"}).exit_code, 0);
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_EQ(Order().size(), 7u);
  ASSERT_EQ(RunOci({"destroy", "c1"}).exit_code, 0);
  EXPECT_EQ(Order().back(), "poststop");
}

TEST_F(HooksTest, HooksMayQueryTheRuntimeDuringStart) {
  // start holds the container's lock while poststart runs; state and kill
  // do not take it, so a hook calling back into run_oci does not deadlock.
  std::string query = absl::StrCat(RUN_OCI_BINARY, " --root ", root_,
                                   " state c1 > ", hooks_dir_, "/state.out");
  WriteConfig(
      {"sleep", "1000"},
      absl::StrCat(R"({"poststart":[{"path":"/bin/sh","args":)",
                   JsonArray({"sh", "-c", query}), R"(,"timeout":20}]})"));
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ocitest::CommandResult r = RunOci({"start", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ocitest::ReadFile(hooks_dir_ + "/state.out").value_or(""),
              HasSubstr("\"status\":\"running\""));
  EXPECT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
}

TEST_F(HooksTest, CreateRuntimeHooksSeeTheStateDirectory) {
  // The directory is filled in the background; hooks must find it complete.
  std::string query = absl::StrCat(
      RUN_OCI_BINARY, " --root ", root_, " state c1 > ", hooks_dir_,
      "/state.out && test -L ", root_,
      "/c1/mountpoints/container-root && echo ok > ", hooks_dir_, "/links.out");
  WriteConfig({"true"},
              absl::StrCat(R"({"createRuntime":[{"path":"/bin/sh","args":)",
                           JsonArray({"sh", "-c", query}), R"(}]})"));
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ocitest::ReadFile(hooks_dir_ + "/state.out").value_or(""),
              HasSubstr("\"id\":\"c1\""));
  EXPECT_EQ(ocitest::ReadFile(hooks_dir_ + "/links.out").value_or(""), "ok\n");
}

TEST_F(HooksTest, EnvIsPassed) {
  WriteConfig({"true"},
              AllHooks({{"createRuntime",
                         Hook("createRuntime", "",
                              R"(,"env":["FOO=bar baz","OTHER=1"])")}}));
  ASSERT_EQ(RunOci({"run", "c1"}).exit_code, 0);
  EXPECT_EQ(ocitest::ReadFile(hooks_dir_ + "/createRuntime.env").value_or(""),
            "[bar baz]\n");
}

TEST_F(HooksTest, TimeoutKillsTheHookAndFailsTheStart) {
  WriteConfig(
      {"sh", "-c", "echo program >> /hooks/order"},
      absl::StrCat(R"({"createRuntime":[)",
                   Hook("createRuntime", "exec sleep 30", R"(,"timeout":1)"),
                   "]}"));
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: hook createRuntime[0] /bin/sh: timed out after 1s\n");
  EXPECT_THAT(Order(), ElementsAre("createRuntime"));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(HooksTest, FailureBeforeTheProgramStopsTheStart) {
  for (const char* stage : {"precreate", "prestart", "createRuntime",
                            "createContainer", "prechroot", "startContainer"}) {
    SCOPED_TRACE(stage);
    unlink((hooks_dir_ + "/order").c_str());
    WriteConfig({"sh", "-c", "echo program >> /hooks/order"},
                AllHooks({{stage, Hook(stage, "exit 3")}}));
    ExpectStoppedByHook(RunOci({"run", "c1"}), stage, 3);
  }
}

TEST_F(HooksTest, StartContainerFailureOnStartTearsDown) {
  WriteConfig({"sh", "-c", "echo program >> /hooks/order; sleep 1000"},
              AllHooks({{"startContainer", Hook("startContainer", "exit 4")}}));
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  // Stopped before the program, and torn down (the fixture checks that no
  // process, mount or cgroup is left).
  ExpectStoppedByHook(RunOci({"start", "c1"}), "startContainer", 4);
}

// Chromium's `start` of a new id creates and starts at once; its
// startContainer hooks run in the container the same way.
TEST_F(HooksTest, StartContainerFailureFailsChromiumStart) {
  WriteConfig({"sh", "-c", "echo program >> /hooks/order; sleep 1000"},
              AllHooks({{"startContainer", Hook("startContainer", "exit 5")}}));
  ExpectStoppedByHook(RunOci({"start", "c1"}), "startContainer", 5);
}

// `start` learns about an execve that fails after a created container was
// released, instead of reporting success for a process that died.
TEST_F(HooksTest, StartReportsAnExecFailureAndTearsDown) {
  // create checks the program, so it must vanish between create and start.
  const std::string program = Rootfs() + "/prog";
  ASSERT_EQ(link((Rootfs() + "/bin/busybox").c_str(), program.c_str()), 0);
  WriteConfig({"/prog"});
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ASSERT_EQ(unlink(program.c_str()), 0);
  ocitest::CommandResult r = RunOci({"start", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("run_oci: jail: exec (/prog): "));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// The hooks are part of what `create` set up: editing config.json between
// create and start does not change them (OCI: later edits MUST NOT affect
// the container).
TEST_F(HooksTest, StartContainerHooksAreTheOnesCreateSaw) {
  WriteConfig({"sh", "-c", "echo program >> /hooks/order"},
              AllHooks({{"poststart", "{\"path\":\"/bin/true\"}"}}));
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  WriteConfig({"sh", "-c", "echo program >> /hooks/order"},
              AllHooks({{"startContainer", Hook("startContainer", "exit 4")},
                        {"poststart", "{\"path\":\"/bin/true\"}"}}));
  ocitest::CommandResult r = RunOci({"start", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_THAT(Order(), ElementsAre("precreate", "prestart", "createRuntime",
                                   "createContainer", "prechroot",
                                   "startContainer", "program"));
  EXPECT_EQ(RunOci({"destroy", "c1"}).exit_code, 0);
}

TEST_F(HooksTest, PoststartFailureKillsTheContainer) {
  WriteConfig({"sleep", "1000"},
              AllHooks({{"poststart", Hook("poststart", "exit 5")}}));
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: hook poststart[0] /bin/sh: exited with status 5\n");
  EXPECT_THAT(StateRootEntries(), IsEmpty());

  r = RunOci({"start", "c2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(HooksTest, PoststopFailureIsLoggedAndCleanupContinues) {
  std::string logs = temp_->Sub("logs");
  WriteConfig({"true"}, AllHooks({{"poststop", Hook("poststop", "exit 6")}}));
  ocitest::CommandResult r = RunOci({"run", "-l", logs, "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());

  WriteConfig(
      {"sleep", "1000"},
      AllHooks({{"poststop", Hook("poststop", "echo said-so; exit 6")}}));
  ASSERT_EQ(RunOci({"start", "-l", logs, "c2"}).exit_code, 0);
  r = RunOci({"destroy", "--force", "c2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  // Hook output and the failure went to the c2 log.
  absl::StatusOr<ocitest::CommandResult> log =
      ocitest::RunCommand({"sh", "-c", "cat " + logs + "/c2.*"});
  ASSERT_TRUE(log.ok());
  EXPECT_THAT(log->out, HasSubstr("hook poststop[0] /bin/sh: said-so"));
  EXPECT_THAT(log->out,
              HasSubstr("hook poststop[0] /bin/sh: exited with status 6"));
}

TEST_F(HooksTest, NestedMountsUnderTheStateDirAreCleanedUp) {
  // A createRuntime hook mounts a tmpfs under <state>/mountpoints and
  // another inside it, in run_oci's (here: the host's) mount namespace.
  std::string script =
      "d=$(sed 's/.*\"id\":\"\\([^\"]*\\)\".*/\\1/'); "
      "m=" +
      root_ +
      "/$d/mountpoints/t; mkdir -p $m && "
      "mount -t tmpfs none $m && mkdir $m/inner && "
      "mount -t tmpfs none $m/inner && touch $m/inner/f";
  WriteConfig({"sleep", "1000"},
              absl::StrCat(R"({"createRuntime":[{"path":"/bin/sh","args":)",
                           JsonArray({"sh", "-c", script}), "}]}"));
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  EXPECT_EQ(leaks_->Mounts().size(), 2u);
  ocitest::CommandResult r = RunOci({"destroy", "-f", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(leaks_->Mounts(), IsEmpty());
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// A config with the container's identity set apart from the runtime's: a
// non-root user, two capabilities (ambient, so that they survive execve
// for uid 1000), no_new_privs, a seccomp filter that refuses mkdir, and
// the fixture's namespaces. Both the startContainer hook and the program
// print what they are, so the test can compare them.
class StartContainerIdentityTest : public HooksTest {
 protected:
  void WriteIdentityConfig() {
    const std::string probe =
        "grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs|Seccomp):' "
        "/proc/self/status; for n in pid mnt uts ipc net; do readlink "
        "/proc/self/ns/$n; done; mkdir /tmp/probe-dir 2>/dev/null || echo "
        "no-mkdir";
    const std::string caps = R"(["CAP_KILL","CAP_NET_BIND_SERVICE"])";
    std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":)",
        JsonArray({"sh", "-c", absl::StrCat("(", probe, ") > /tmp/program")}),
        R"(,"cwd":"/","env":["PATH=/bin"],"user":{"uid":1000,"gid":1000},)",
        R"("noNewPrivileges":true,"capabilities":{"bounding":)", caps,
        R"(,"effective":)", caps, R"(,"inheritable":)", caps,
        R"(,"permitted":)", caps, R"(,"ambient":)", caps, R"(}},)",
        R"("hostname":"e2e",)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
        R"({"type":"uts"},{"type":"ipc"},{"type":"network"}],)",
        R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[)",
        R"({"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO",)",
        R"("errnoRet":1}]}},)",
        R"("hooks":{"startContainer":[{"path":"/bin/sh","args":)",
        JsonArray({"sh", "-c",
                   absl::StrCat("cat > /tmp/state.json; (", probe,
                                ") > /tmp/hook; echo hook-output; true")}),
        "}]}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  std::string Seen(const std::string& name) const {
    return ocitest::ReadFile(Rootfs() + "/tmp/" + name).value_or("");
  }

  void ExpectTheHookIsTheContainer(int pid) {
    const std::string hook = Seen("hook");
    EXPECT_EQ(hook, Seen("program"));
    EXPECT_THAT(hook, HasSubstr("Uid:\t1000\t1000\t1000\t1000\n"));
    EXPECT_THAT(hook, HasSubstr("CapEff:\t0000000000000420\n"));
    EXPECT_THAT(hook, HasSubstr("CapBnd:\t0000000000000420\n"));
    EXPECT_THAT(hook, HasSubstr("NoNewPrivs:\t1\nSeccomp:\t2\n"));
    EXPECT_THAT(hook, HasSubstr("no-mkdir"));
    // None of its namespaces is the runtime's (this test's).
    for (const char* ns : {"pid", "mnt", "uts", "ipc", "net"}) {
      char link[64] = {};
      ASSERT_GT(readlink(absl::StrCat("/proc/self/ns/", ns).c_str(), link,
                         sizeof(link) - 1),
                0);
      EXPECT_THAT(hook, Not(HasSubstr(link))) << ns;
    }
    rapidjson::Document state;
    state.Parse(Seen("state.json").c_str());
    ASSERT_TRUE(state.IsObject()) << Seen("state.json");
    EXPECT_STREQ(state["status"].GetString(), "created");
    EXPECT_STREQ(state["id"].GetString(), "c1");
    EXPECT_EQ(std::string(state["bundle"].GetString()), bundle_);
    EXPECT_EQ(state["pid"].GetInt(), pid);
  }
};

TEST_F(StartContainerIdentityTest, RunHooksRunAsTheContainer) {
  WriteIdentityConfig();
  ocitest::CommandResult r =
      RunOci({"--pid-file", temp_->Sub("pid"), "run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Its output goes to the container's stderr, here run_oci's.
  EXPECT_THAT(r.err, HasSubstr("hook-output\n"));
  int pid = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(absl::StripAsciiWhitespace(
                           ocitest::ReadFile(temp_->Sub("pid")).value_or("")),
                       &pid));
  ExpectTheHookIsTheContainer(pid);
}

TEST_F(StartContainerIdentityTest, CreateStartHooksRunAsTheContainer) {
  WriteIdentityConfig();
  ocitest::CommandResult r = RunOci({"create", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document state;
  state.Parse(RunOci({"state", "c1"}).out.c_str());
  ASSERT_TRUE(state.IsObject());
  EXPECT_STREQ(state["status"].GetString(), "created");
  const int pid = state["pid"].GetInt();
  EXPECT_EQ(Seen("hook"), "") << "ran before start";
  r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  ExpectTheHookIsTheContainer(pid);
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// kill and delete of a created container (waiting on its start socket).
TEST_F(HooksTest, KillAndDeleteOfACreatedContainer) {
  WriteConfig({"sh", "-c", "echo program >> /hooks/order"}, AllHooks());
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"kill", "c1", "KILL"}).exit_code, 0);
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  ocitest::CommandResult r = RunOci({"start", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"create", "c2"}).exit_code, 0);
  EXPECT_EQ(RunOci({"delete", "c2"}).exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  // Neither program ran, nor any startContainer hook.
  for (const std::string& stage : Order()) {
    EXPECT_NE(stage, "program");
    EXPECT_NE(stage, "startContainer");
  }
}

}  // namespace
}  // namespace run_oci_test
