// The state directory and record through the binary: what create fixes for
// the container's lifetime (runtime-spec: later edits of config.json must
// not affect it), the state's annotations, the pid file's bytes, poststop
// failure semantics, and what destroy --force does with the leftovers of a
// create that died.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "run_oci/proc_stat.h"
#include "run_oci/state_dir.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StateTest : public RunOciE2eTest {
 protected:
  // A host-side hook appending `word` to <rootfs>/order, then `tail`.
  std::string Hook(const std::string& word, const std::string& tail = "") {
    return absl::StrCat(R"({"path":"/bin/sh","args":)",
                        JsonArray({"sh", "-c",
                                   absl::StrCat("echo ", word, " >> ", Rootfs(),
                                                "/order; ", tail)}),
                        "}");
  }
  // The same from inside the container (startContainer).
  std::string InsideHook(const std::string& word) {
    return absl::StrCat(
        R"({"path":"/bin/sh","args":)",
        JsonArray({"sh", "-c", absl::StrCat("echo ", word, " >> /order")}),
        "}");
  }
  std::vector<std::string> Order() const {
    return absl::StrSplit(ocitest::ReadFile(Rootfs() + "/order").value_or(""),
                          '\n', absl::SkipEmpty());
  }
  std::map<std::string, std::string> Annotations(const std::string& id) {
    ocitest::CommandResult r = RunOci({"state", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    std::map<std::string, std::string> out;
    if (doc.HasParseError() || !doc.IsObject() ||
        !doc.HasMember("annotations")) {
      ADD_FAILURE() << r.out;
      return out;
    }
    for (const auto& m : doc["annotations"].GetObject()) {
      out[m.name.GetString()] = m.value.GetString();
    }
    return out;
  }
  int StatePid(const std::string& id) {
    rapidjson::Document doc;
    doc.Parse(RunOci({"state", id}).out.c_str());
    return !doc.HasParseError() && doc.IsObject() && doc.HasMember("pid")
               ? doc["pid"].GetInt()
               : -1;
  }
};

const std::vector<std::string> kSleep = {"sleep", "1000"};

TEST_F(StateTest, ConfigEditsAfterCreateChangeNothing) {
  WriteConfig(kSleep,
              absl::StrCat(R"({"startContainer":[)", InsideHook("start-v1"),
                           R"(],"poststart":[)", Hook("poststart-v1"),
                           R"(],"poststop":[)", Hook("poststop-v1"), "]}"),
              R"(,"annotations":{"version":"1"})");
  ocitest::CommandResult r = RunOci({"create", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // Other hooks, other annotations, then no usable config.json at all.
  WriteConfig(kSleep,
              absl::StrCat(R"({"startContainer":[)", InsideHook("start-v2"),
                           R"(],"poststart":[)", Hook("poststart-v2"),
                           R"(],"poststop":[)", Hook("poststop-v2"), "]}"),
              R"(,"annotations":{"version":"2"})");
  EXPECT_EQ(Annotations("c1"),
            (std::map<std::string, std::string>{{"version", "1"}}));
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", "{broken").ok());

  r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForStatus("c1", "running"));
  ASSERT_EQ(unlink((bundle_ + "/config.json").c_str()), 0);
  r = RunOci({"kill", "c1", "KILL"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  r = RunOci({"delete", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Order(), ElementsAre("start-v1", "poststart-v1", "poststop-v1"));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// create allows a config without a process and start refuses it; adding
// one to config.json afterwards does not change that.
TEST_F(StateTest, AProcessAddedAfterCreateIsNotStarted) {
  ASSERT_TRUE(
      ocitest::WriteFile(
          bundle_ + "/config.json",
          R"({"ociVersion":"1.2.0","root":{"path":"rootfs"},)"
          R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"}]}})")
          .ok());
  ocitest::CommandResult r = RunOci({"create", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  WriteConfig({"sh", "-c", "touch /started"});
  r = RunOci({"start", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "run_oci: config.json: process: required to start\n");
  EXPECT_NE(access((Rootfs() + "/started").c_str(), F_OK), 0);
  EXPECT_EQ(RunOci({"delete", "--force", "c1"}).exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(StateTest, AStartWhoseHookFailsLeavesNothingWaiting) {
  // The startContainer hook of create time fails; editing it away after
  // create does not help, and the failed start tears everything down.
  WriteConfig(kSleep, R"({"startContainer":[{"path":"/bin/false"}]})");
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  int pid = StatePid("c1");
  ASSERT_GT(pid, 0);
  WriteConfig(kSleep);
  ocitest::CommandResult r = RunOci({"start", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("hook startContainer[0] /bin/false"));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  // The waiting init is gone too (zombies reparented to us do not count).
  EXPECT_THAT(leaks_->Processes(), IsEmpty());
}

TEST_F(StateTest, StateShowsExactlyTheConfigsAnnotations) {
  WriteConfig(kSleep);
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  EXPECT_THAT(Annotations("c1"), IsEmpty());
  WriteConfig(kSleep, "", R"(,"annotations":{"a":"1","b.c/d":"x y"})");
  ASSERT_EQ(RunOci({"create", "c2"}).exit_code, 0);
  EXPECT_EQ(Annotations("c2"),
            (std::map<std::string, std::string>{{"a", "1"}, {"b.c/d", "x y"}}));
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  EXPECT_EQ(RunOci({"delete", "c2"}).exit_code, 0);
}

TEST_F(StateTest, PidFileIsBareDigitsReplacedAtomically) {
  WriteConfig(kSleep);
  std::string pid_file = temp_->Sub("pids/c1.pid");
  ASSERT_EQ(mkdir(temp_->Sub("pids").c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(pid_file, "stale contents\n").ok());
  ocitest::CommandResult r = RunOci({"create", "--pid-file", pid_file, "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string bytes = ocitest::ReadFile(pid_file).value_or("");
  int pid = 0;
  EXPECT_TRUE(absl::SimpleAtoi(bytes, &pid)) << bytes;
  EXPECT_EQ(bytes, absl::StrCat(StatePid("c1")));
  EXPECT_EQ(bytes.find_first_not_of("0123456789"), std::string::npos) << bytes;
  // Nothing but the pid file in its directory: the temporary was renamed.
  ocitest::CommandResult ls =
      *ocitest::RunCommand({"ls", "-A", temp_->Sub("pids")});
  EXPECT_EQ(ls.out, "c1.pid\n");
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
}

TEST_F(StateTest, PoststopFailureWarnsAndTheRestStillRun) {
  std::string logs = temp_->Sub("logs");
  std::string hooks = absl::StrCat(
      R"({"poststop":[)", Hook("first", "exit 3"), ",", Hook("second"), ",",
      Hook("third", "kill -KILL $$"), ",", Hook("fourth"), "]}");
  WriteConfig({"true"}, hooks);
  ocitest::CommandResult r = RunOci({"run", "-l", logs, "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Order(), ElementsAre("first", "second", "third", "fourth"));
  ASSERT_EQ(unlink((Rootfs() + "/order").c_str()), 0);

  WriteConfig(kSleep, hooks);
  ASSERT_EQ(RunOci({"start", "-l", logs, "c2"}).exit_code, 0);
  r = RunOci({"destroy", "--force", "c2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Order(), ElementsAre("first", "second", "third", "fourth"));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  absl::StatusOr<ocitest::CommandResult> log =
      ocitest::RunCommand({"sh", "-c", "cat " + logs + "/c2.*"});
  ASSERT_TRUE(log.ok());
  EXPECT_THAT(log->out,
              HasSubstr("WARNING: hook poststop[0] /bin/sh: exited with "
                        "status 3"));
  EXPECT_THAT(log->out,
              HasSubstr("WARNING: hook poststop[2] /bin/sh: killed by "
                        "signal 9"));
}

TEST_F(StateTest, DestroyForceRemovesTheTemporaryOfADeadCreate) {
  ASSERT_EQ(mkdir(root_.c_str(), 0711), 0);
  absl::StatusOr<run_oci::ProcStat> self = run_oci::ReadProcStat(getpid());
  ASSERT_TRUE(self.ok());
  const std::string prefix =
      root_ + "/" + run_oci::StateDir::TemporaryPrefix("c1");
  // What a create SIGKILLed between its mkdir and its rename leaves: pid
  // 2147483646 never exists (pid_max is at most 2^22).
  const std::string dead = prefix + "2147483646.77";
  ASSERT_EQ(mkdir(dead.c_str(), 0711), 0);
  ASSERT_TRUE(ocitest::WriteFile(dead + "/.run_oci", R"({"id":"c1"})").ok());
  // A live creator's (ours) stays.
  const std::string alive =
      absl::StrCat(prefix, getpid(), ".", self->start_time);
  ASSERT_EQ(mkdir(alive.c_str(), 0711), 0);

  // Without --force nothing is touched.
  ocitest::CommandResult r = RunOci({"destroy", "c1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "run_oci: container does not exist: c1\n");
  EXPECT_EQ(access(dead.c_str(), F_OK), 0);

  r = RunOci({"destroy", "--force", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(access(dead.c_str(), F_OK), 0);
  EXPECT_EQ(access(alive.c_str(), F_OK), 0);
  // Only the live one is left, and the id is free (`delete --force` of a
  // container that does not exist succeeds, as runc's).
  r = RunOci({"destroy", "--force", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(access(alive.c_str(), F_OK), 0);
  ASSERT_EQ(rmdir(alive.c_str()), 0);
  r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// A create killed after it made its cgroups (and the --cgroup_parent
// directory) but before it recorded them: its first record already named
// the parent it was going to make, so destroy removes that too.
TEST_F(StateTest, ADeadCreatesCgroupParentGoesWithItsDestroy) {
  std::string hook_pid = temp_->Sub("hook.pid");
  WriteConfig({"true"}, BlockingCreateRuntimeHooks(hook_pid));
  Background bg;
  ASSERT_NO_FATAL_FAILURE(StartBlockedCreate("c1", hook_pid, &bg));
  struct stat st;
  const std::string memory_parent =
      absl::StrCat("/sys/fs/cgroup/memory/", cgroup_parent_);
  ASSERT_EQ(stat(memory_parent.c_str(), &st), 0);
  ASSERT_NO_FATAL_FAILURE(KillBlockedCreate(bg, hook_pid));

  ocitest::CommandResult r = RunOci({"destroy", "--force", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  EXPECT_THAT(leaks_->Cgroups(), IsEmpty());
  EXPECT_NE(stat(memory_parent.c_str(), &st), 0);
  // The id is usable again.
  WriteConfig({"true"});
  r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace run_oci_test
