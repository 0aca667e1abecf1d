// create/start/state/kill/destroy and run, through the built binary.
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> DirEntries(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* entry = readdir(dir)) names.push_back(entry->d_name);
    closedir(dir);
  }
  return names;
}

// A container that runs until told otherwise and says when it got TERM.
const std::vector<std::string> kWaitForTerm = {
    "sh", "-c",
    "trap 'echo term > /term; exit 0' TERM; echo up > /up; "
    "while true; do sleep 0.05; done"};

struct State {
  std::string status;
  int pid = 0;
  bool has_pid = false;
  std::string bundle;
  std::string created;
  std::map<std::string, std::string> annotations;
  std::string id;
};

State ParseState(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  State s;
  EXPECT_FALSE(doc.HasParseError()) << json;
  if (doc.HasParseError() || !doc.IsObject()) return s;
  // runtime-spec 1.3.0 state: the spec version the state complies with.
  EXPECT_STREQ(doc["ociVersion"].GetString(), "1.3.0");
  s.id = doc["id"].GetString();
  s.status = doc["status"].GetString();
  s.has_pid = doc.HasMember("pid");
  if (s.has_pid) s.pid = doc["pid"].GetInt();
  s.bundle = doc["bundle"].GetString();
  s.created = doc["created"].GetString();
  for (const auto& m : doc["annotations"].GetObject()) {
    s.annotations[m.name.GetString()] = m.value.GetString();
  }
  return s;
}

class LifecycleTest : public RunOciE2eTest {
 protected:
  State GetState(const std::string& id) {
    ocitest::CommandResult r = RunOci({"state", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseState(r.out);
  }
};

TEST_F(LifecycleTest, RunPrintsAndLeavesNothing) {
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// The cgroup parent a background start created goes with its destroy, in
// every hierarchy; one that existed before is left alone.
TEST_F(LifecycleTest, DestroyRemovesTheCgroupParentStartCreated) {
  const std::string memory_parent =
      absl::StrCat("/sys/fs/cgroup/memory/", cgroup_parent_);
  WriteConfig({"sleep", "1000"});
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  struct stat st;
  ASSERT_EQ(stat(memory_parent.c_str(), &st), 0);
  ASSERT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
  EXPECT_NE(stat(memory_parent.c_str(), &st), 0);
  EXPECT_EQ(leaks_->Cgroups(), std::vector<std::string>{});

  ASSERT_EQ(mkdir(memory_parent.c_str(), 0755), 0);
  ASSERT_EQ(RunOci({"start", "c2"}).exit_code, 0);
  ASSERT_EQ(RunOci({"destroy", "--force", "c2"}).exit_code, 0);
  EXPECT_EQ(stat(memory_parent.c_str(), &st), 0);
  EXPECT_EQ(rmdir(memory_parent.c_str()), 0);
}

TEST_F(LifecycleTest, RunExitsWithTheContainersStatus) {
  WriteConfig({"sh", "-c", "exit 7"});
  EXPECT_EQ(RunOci({"run", "c1"}).exit_code, 7);
}

TEST_F(LifecycleTest, RunAppendsExtraArgsAfterDashDash) {
  WriteConfig({"sh", "-c", "echo \"$0|$1|$2\"", "a"});
  ocitest::CommandResult r = RunOci({"run", "c1", "--", "-b", "c d"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a|-b|c d\n");
}

TEST_F(LifecycleTest, FlagsAfterCommandAndIdAndLongForms) {
  ocitest::CommandResult r =
      RunOciRaw({"run", "--root=" + root_, "c1", "--cgroup_parent",
                 cgroup_parent_, "--container_path", bundle_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  r = RunOciRaw({"--bundle", bundle_, "run", "c2", "--root", root_, "-p",
                 cgroup_parent_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
}

TEST_F(LifecycleTest, BindMountFlag) {
  std::string host = temp_->Sub("shared");
  ASSERT_EQ(mkdir(host.c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(host + "/f", "bound\n").ok());
  WriteConfig({"cat", "/mnt/f"});
  ocitest::CommandResult r = RunOci({"run", "-b", host + ":/mnt", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "bound\n");
}

TEST_F(LifecycleTest, DontRunAsInitPutsAnInitAtPid1) {
  WriteConfig({"sh", "-c", "echo $$"});
  EXPECT_EQ(RunOci({"run", "c1"}).out, "1\n");
  ocitest::CommandResult r = RunOci({"run", "-i", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out, "1\n");
  r = RunOci({"run", "--dont_run_as_init", "c1"});
  EXPECT_NE(r.out, "1\n");
}

TEST_F(LifecycleTest, UseCurrentUserMapsUsToRoot) {
  WriteConfig({"sh", "-c", "id -u; cat /proc/self/uid_map"});
  ocitest::CommandResult r = RunOci({"run", "-u", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0], "0");
  // A user namespace mapping only our own uid, to 0.
  std::vector<std::string> map =
      absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  EXPECT_THAT(map, ::testing::ElementsAre("0", std::to_string(getuid()), "1"));
}

TEST_F(LifecycleTest, LogTagSendsContainerOutputToSyslog) {
  ocitest::CommandResult r = RunOci({"run", "-t", "e2e-tag", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");  // went to the forwarder, not to our stdout
  EXPECT_EQ(r.err, "");
}

// Catches what run_oci sends to syslog: in a private mount namespace, a
// tmpfs over /dev holds /dev/null and, at /dev/log, the test's socket.
TEST_F(LifecycleTest, LogTagSyslogLinesReachDevLog) {
  WriteConfig({"sh", "-c", "echo line one; echo line two >&2"});
  std::vector<std::string> messages;
  absl::StatusOr<ocitest::CommandResult> r =
      RunOciWithPrivateSyslog({"run", "-t", "e2e-tag", "c1"}, &messages);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_EQ(r->out, "");
  EXPECT_TRUE(AnyEndsWith(messages, "e2e-tag: line one"))
      << absl::StrJoin(messages, "\n");
  EXPECT_TRUE(AnyEndsWith(messages, "e2e-tag: line two"))
      << absl::StrJoin(messages, "\n");
  // run_oci's own log uses the same tag.
  bool own = false;
  for (const std::string& m : messages) {
    own |= absl::StrContains(m, "container c1 created");
  }
  EXPECT_TRUE(own) << absl::StrJoin(messages, "\n");
}

TEST_F(LifecycleTest, IntermediateNamespaceMountStaysOffTheHost) {
  extra_mounts_ = R"({"destination":"/mnt","type":"tmpfs","source":"tmpfs",)"
                  R"("performInIntermediateNamespace":true})";
  WriteConfig({"sh", "-c", "grep -c ' /mnt ' /proc/self/mountinfo"});
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
}

TEST_F(LifecycleTest, RunKilledBySignalExits128PlusSignal) {
  WriteConfig({"sleep", "1000"});
  Background bg = StartRunOci({"run", "c1"});
  std::string pid_file = StateDir("c1") + "/container.pid";
  ASSERT_TRUE(WaitForFile(pid_file));
  // The state dir is complete once the pid is recorded in state.json too.
  ASSERT_TRUE(WaitForStatus("c1", "running"));
  ocitest::CommandResult k = RunOci({"kill", "c1", "KILL"});
  EXPECT_EQ(k.exit_code, 0) << k.err;
  EXPECT_EQ(WaitRunOci(bg), 128 + SIGKILL);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(LifecycleTest, ACreateKilledHalfwayCanBeDestroyed) {
  // The createRuntime hook reports its pid and blocks: run_oci is then
  // inside Create, with cgroups made and no pid recorded.
  std::string hook_pid = temp_->Sub("hook.pid");
  WriteConfig({"true"}, BlockingCreateRuntimeHooks(hook_pid));
  Background bg;
  ASSERT_NO_FATAL_FAILURE(StartBlockedCreate("c1", hook_pid, &bg));
  EXPECT_EQ(GetState("c1").status, "creating");
  ASSERT_NO_FATAL_FAILURE(KillBlockedCreate(bg, hook_pid));

  // What the dead create left (cgroups, the state directory) is undone by
  // destroy from the record it wrote before making anything.
  ocitest::CommandResult r = RunOci({"destroy", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(LifecycleTest, RunForwardsTermToTheContainer) {
  WriteConfig(kWaitForTerm);
  Background bg = StartRunOci({"run", "c1"});
  ASSERT_TRUE(WaitForFile(Rootfs() + "/up"));
  kill(bg.pid, SIGTERM);
  EXPECT_EQ(WaitRunOci(bg), 0);
  EXPECT_EQ(ocitest::ReadFile(Rootfs() + "/term").value_or(""), "term\n");
}

TEST_F(LifecycleTest, SigstopWhenReady) {
  WriteConfig({"sh", "-c", "echo up > /up; sleep 1000"});
  Background bg = StartRunOci({"run", "-s", "c1"});
  int status = 0;
  ASSERT_EQ(waitpid(bg.pid, &status, WUNTRACED), bg.pid);
  EXPECT_TRUE(WIFSTOPPED(status));
  EXPECT_EQ(GetState("c1").status, "running");
  kill(bg.pid, SIGCONT);
  EXPECT_EQ(RunOci({"kill", "c1", "KILL"}).exit_code, 0);
  EXPECT_EQ(WaitRunOci(bg), 128 + SIGKILL);
}

TEST_F(LifecycleTest, CreateStartStateKillDelete) {
  WriteConfig(kWaitForTerm, "", R"(,"annotations":{"team":"e2e"})");
  std::string pid_file = temp_->Sub("pid");
  ocitest::CommandResult r = RunOci({"create", "--pid-file", pid_file, "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string dir = StateDir("c1");
  for (const char* name :
       {".run_oci", "state.json", "container.pid", "start.sock", "config.json",
        "mountpoints/container-root"}) {
    struct stat st;
    EXPECT_EQ(lstat((dir + "/" + name).c_str(), &st), 0) << name;
  }
  // The tag doubles as the lock file, and no temporary is left, here or
  // in the state root.
  for (const char* name : {".run_oci.new", ".lock", "state.json.tmp"}) {
    struct stat st;
    EXPECT_NE(lstat((dir + "/" + name).c_str(), &st), 0) << name;
  }
  EXPECT_EQ(StateRootEntries(), std::vector<std::string>{"c1"});
  for (const std::string& name : DirEntries(dir)) {
    EXPECT_FALSE(absl::EndsWith(name, ".tmp")) << name;
  }
  char link[4096] = {};
  ASSERT_GT(readlink((dir + "/mountpoints/container-root").c_str(), link,
                     sizeof(link) - 1),
            0);
  EXPECT_EQ(std::string(link), Rootfs());

  State created = GetState("c1");
  EXPECT_EQ(created.status, "created");
  EXPECT_EQ(created.id, "c1");
  EXPECT_GT(created.pid, 0);
  EXPECT_EQ(created.bundle, bundle_);
  // Exactly the config's annotations: run_oci's own data is not there.
  EXPECT_EQ(created.annotations,
            (std::map<std::string, std::string>{{"team", "e2e"}}));
  EXPECT_TRUE(std::regex_match(
      created.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)")))
      << created.created;
  // Bare digits, no newline: containerd parses it with strconv.Atoi.
  EXPECT_EQ(ocitest::ReadFile(pid_file).value_or(""),
            absl::StrCat(created.pid));
  EXPECT_EQ(ocitest::ReadFile(dir + "/container.pid").value_or(""),
            absl::StrCat(created.pid));
  // Not started yet: the program has not run.
  usleep(100000);
  EXPECT_NE(access((Rootfs() + "/up").c_str(), F_OK), 0);

  r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForFile(Rootfs() + "/up"));
  State running = GetState("c1");
  EXPECT_EQ(running.status, "running");
  EXPECT_EQ(running.pid, created.pid);
  EXPECT_EQ(running.created, created.created);

  r = RunOci({"kill", "c1"});  // TERM by default
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForFile(Rootfs() + "/term"));
  State stopped;
  for (int i = 0; i < 500; ++i) {
    stopped = GetState("c1");
    if (stopped.status == "stopped") break;
    usleep(10000);
  }
  EXPECT_EQ(stopped.status, "stopped");
  EXPECT_FALSE(stopped.has_pid);

  r = RunOci({"delete", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
  ExpectError({"state", "c1"}, "container does not exist: c1");
}

TEST_F(LifecycleTest, StartOfANewIdRunsItInTheBackground) {
  WriteConfig(kWaitForTerm);
  ocitest::CommandResult r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForFile(Rootfs() + "/up"));
  EXPECT_EQ(GetState("c1").status, "running");
  ExpectError({"destroy", "c1"}, "container c1 is still running");
  ExpectError({"start", "c1"}, "container with given ID already exists: c1");
  r = RunOci({"destroy", "--force", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(LifecycleTest, KillSignalForms) {
  WriteConfig({"sh", "-c",
               "trap 'echo usr1 >> /sig' USR1; trap 'echo usr2 >> /sig' USR2; "
               "echo up > /up; while true; do sleep 0.05; done"});
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  ASSERT_TRUE(WaitForFile(Rootfs() + "/up"));
  int expected_lines = 0;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"kill", "c1", "USR1"},
        {"kill", "c1", "SIGUSR2"},
        {"kill", "c1", std::to_string(SIGUSR1)},
        {"kill", "-S", "USR2", "c1"},
        {"kill", "--signal=SIGUSR1", "c1"}}) {
    ocitest::CommandResult r = RunOci(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ++expected_lines;
    std::string sig;
    for (int i = 0; i < 500; ++i) {
      sig = ocitest::ReadFile(Rootfs() + "/sig").value_or("");
      if (std::count(sig.begin(), sig.end(), '\n') == expected_lines) break;
      usleep(10000);
    }
    EXPECT_EQ(std::count(sig.begin(), sig.end(), '\n'), expected_lines);
  }
  EXPECT_EQ(ocitest::ReadFile(Rootfs() + "/sig").value_or(""),
            "usr1\nusr2\nusr1\nusr2\nusr1\n");
  ExpectError({"kill", "c1", "NOPE"}, "unknown signal: NOPE");
  ExpectError({"kill", "c1", "SIGNOPE"}, "unknown signal: SIGNOPE");
  EXPECT_EQ(RunOci({"destroy", "-f", "c1"}).exit_code, 0);
}

TEST_F(LifecycleTest, KillOfAStoppedOrRecycledContainerIsRefused) {
  WriteConfig({"sleep", "1000"});
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  // Pretend the pid was recycled: the recorded start time no longer
  // matches the process, which must then never be signalled.
  std::string record_path = StateDir("c1") + "/state.json";
  std::string record = ocitest::ReadFile(record_path).value_or("");
  std::regex start_time("\"pidStartTime\":(\\d+)");
  std::string tampered =
      std::regex_replace(record, start_time, "\"pidStartTime\":1");
  ASSERT_NE(tampered, record);
  ASSERT_TRUE(ocitest::WriteFile(record_path, tampered).ok());
  ExpectError({"kill", "c1", "KILL"}, "container not running: c1");
  EXPECT_EQ(GetState("c1").status, "stopped");
  ASSERT_TRUE(ocitest::WriteFile(record_path, record).ok());
  EXPECT_EQ(GetState("c1").status, "running");
  EXPECT_EQ(RunOci({"kill", "c1", "KILL"}).exit_code, 0);
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  ExpectError({"kill", "c1", "KILL"}, "container not running: c1");
  EXPECT_EQ(RunOci({"destroy", "c1"}).exit_code, 0);
}

TEST_F(LifecycleTest, DestroyOfACreatedContainerKillsIt) {
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  EXPECT_EQ(GetState("c1").status, "created");
  ocitest::CommandResult r = RunOci({"destroy", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(LifecycleTest, LogDirFileAndLinkSharedByLaterCommands) {
  std::string logs = temp_->Sub("logs");
  WriteConfig({"sleep", "1000"});
  ASSERT_EQ(RunOci({"create", "-l", logs, "c1"}).exit_code, 0);
  char link[4096] = {};
  ASSERT_GT(readlink((StateDir("c1") + "/log").c_str(), link, sizeof(link) - 1),
            0);
  std::string log_path = link;
  EXPECT_TRUE(absl::StartsWith(log_path, logs + "/c1.")) << log_path;
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
  std::string log = ocitest::ReadFile(log_path).value_or("");
  EXPECT_THAT(log, HasSubstr("container c1 created"));
  EXPECT_THAT(log, HasSubstr("container c1 started"));
  EXPECT_THAT(log, HasSubstr("container c1 destroyed"));
}

}  // namespace
}  // namespace run_oci_test
