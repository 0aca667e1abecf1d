// The command line container engines use, through the binary: runc's
// global flags and log file, ps, list, kill --all, features, spec, delete
// --force, --help probes, and run_oci installed under the name runc, the
// way podman (through conmon), containerd's runc shim and buildah call it.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "run_oci/features.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

struct LogLine {
  std::string level;
  std::string msg;
  std::string time;
};

// Every line of a --log-format json file, each checked to be one object
// with exactly level, msg and time, as containerd's decoder reads it.
std::vector<LogLine> ReadJsonLog(const std::string& path) {
  std::vector<LogLine> lines;
  absl::StatusOr<std::string> text = ocitest::ReadFile(path);
  EXPECT_TRUE(text.ok()) << path;
  if (!text.ok()) return lines;
  EXPECT_TRUE(text->empty() || absl::EndsWith(*text, "\n"));
  for (absl::string_view line :
       absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    rapidjson::Document doc;
    doc.Parse(line.data(), line.size());
    EXPECT_FALSE(doc.HasParseError()) << line;
    if (doc.HasParseError() || !doc.IsObject()) continue;
    EXPECT_EQ(doc.MemberCount(), 3u) << line;
    for (const char* key : {"level", "msg", "time"}) {
      EXPECT_TRUE(doc.HasMember(key) && doc[key].IsString()) << line;
      if (!doc.HasMember(key) || !doc[key].IsString()) return lines;
    }
    LogLine parsed{doc["level"].GetString(), doc["msg"].GetString(),
                   doc["time"].GetString()};
    EXPECT_THAT(parsed.time,
                MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                             "[0-9]{2}Z"));
    lines.push_back(parsed);
  }
  return lines;
}

// containerd's getLastRuntimeError: the msg of the last "error" line.
std::string LastError(const std::vector<LogLine>& lines) {
  std::string last;
  for (const LogLine& line : lines) {
    if (line.level == "error") last = line.msg;
  }
  return last;
}

std::vector<pid_t> ParsePidArray(const std::string& json) {
  std::vector<pid_t> pids;
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_TRUE(!doc.HasParseError() && doc.IsArray()) << json;
  if (doc.HasParseError() || !doc.IsArray()) return pids;
  for (const auto& pid : doc.GetArray()) {
    EXPECT_TRUE(pid.IsInt()) << json;
    if (pid.IsInt()) pids.push_back(pid.GetInt());
  }
  return pids;
}

std::string Cmdline(pid_t pid) {
  absl::StatusOr<std::string> text =
      ocitest::ReadFile(absl::StrCat("/proc/", pid, "/cmdline"));
  if (!text.ok()) return "";
  std::replace(text->begin(), text->end(), '\0', ' ');
  return *text;
}

class EngineCliTest : public RunOciE2eTest {
 protected:
  // run_oci <args> with stderr on a new pseudo-terminal and stdout on
  // /dev/null; returns its exit code.
  int RunWithTerminalStderr(const std::vector<std::string>& args, int* master) {
    if (*master < 0) {
      *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
      EXPECT_GE(*master, 0);
      EXPECT_EQ(grantpt(*master), 0);
      EXPECT_EQ(unlockpt(*master), 0);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, ptsname(*master),
                                     O_RDWR | O_NOCTTY, 0);
    pid_t pid = SpawnRunOci(args, actions);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // What reached the terminal: everything is written by the time the
  // writers exited; reading ends at EIO (no slave open any more), or when
  // nothing more is there.
  static std::string ReadTerminal(int master) {
    std::string out;
    char buffer[512];
    for (;;) {
      struct pollfd pfd = {master, POLLIN, 0};
      if (poll(&pfd, 1, 1000) != 1) break;
      ssize_t n = read(master, buffer, sizeof(buffer));
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    close(master);
    return out;
  }

  std::string Symlink(const std::string& name) {
    std::string dir = temp_->Sub("bin");
    mkdir(dir.c_str(), 0755);
    std::string link = absl::StrCat(dir, "/", name);
    EXPECT_EQ(symlink(RUN_OCI_BINARY, link.c_str()), 0);
    return link;
  }

  ocitest::CommandResult Run(const std::vector<std::string>& argv) {
    absl::StatusOr<ocitest::CommandResult> r = ocitest::RunCommand(argv);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ocitest::CommandResult();
  }
};

TEST_F(EngineCliTest, ErrorsGoToStderrAndTheJsonLog) {
  std::string log = temp_->Sub("log.json");
  // Parse errors after --log reach it too: containerd shows nothing else.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"--log", log, "--log-format", "json", "state", "nope"},
           {"--log-format=json", "--log=" + log, "kill", "nope", "9"},
           {"--log", log, "--log-format", "json", "--bogus", "state", "x"},
           {"state", "nope", "--log", log, "--log-format=json"},
           {"--log", log, "--log-format", "json", "--systemd-cgroup", "state",
            "x"}}) {
    ocitest::CommandResult r = RunOci(args);
    EXPECT_EQ(r.exit_code, 1) << absl::StrJoin(args, " ");
    EXPECT_THAT(r.err, StartsWith("run_oci: "));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.out, "");
    std::vector<LogLine> lines = ReadJsonLog(log);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(absl::StrCat("run_oci: ", LastError(lines), "\n"), r.err);
  }
  std::vector<LogLine> lines = ReadJsonLog(log);
  ASSERT_EQ(lines.size(), 5u);  // appended, one error line per call
  EXPECT_EQ(lines[0].msg, "container does not exist: nope");
  EXPECT_EQ(lines[2].msg, "unknown flag: --bogus");
  EXPECT_THAT(lines[4].msg,
              StartsWith("--systemd-cgroup: run_oci has no systemd cgroup "
                         "driver"));
}

TEST_F(EngineCliTest, TextLogIsLogrusText) {
  std::string log = temp_->Sub("log.txt");
  EXPECT_EQ(RunOci({"--log", log, "delete", "nope"}).exit_code, 1);
  absl::StatusOr<std::string> text = ocitest::ReadFile(log);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, MatchesRegex("time=\"[0-9TZ:-]+\" level=error "
                                  "msg=\"container does not exist: nope\"\n"));
}

// containerd's shim: every call with --root, --log B/log.json and
// --log-format json; create --bundle B --pid-file B/init.pid, start,
// ps --format json, kill, delete, then delete --force of what is gone.
TEST_F(EngineCliTest, ContainerdShimCalls) {
  WriteConfig({"sleep", "1000"});
  std::string log = bundle_ + "/log.json";
  std::vector<std::string> global = {
      RUN_OCI_BINARY, "--root", root_, "--log", log, "--log-format", "json"};
  auto call = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = global;
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv);
  };
  ocitest::CommandResult created =
      call({"create", "--bundle", bundle_, "--pid-file", bundle_ + "/init.pid",
            "c1"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "");
  EXPECT_EQ(created.err, "");
  absl::StatusOr<std::string> pid_text =
      ocitest::ReadFile(bundle_ + "/init.pid");
  ASSERT_TRUE(pid_text.ok());
  pid_t init = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(*pid_text), &init));
  EXPECT_EQ(call({"start", "c1"}).exit_code, 0);
  ocitest::CommandResult ps = call({"ps", "--format", "json", "c1"});
  EXPECT_EQ(ps.exit_code, 0) << ps.err;
  EXPECT_THAT(ParsePidArray(ps.out), ElementsAre(init));
  EXPECT_EQ(call({"kill", "c1", "9"}).exit_code, 0);
  EXPECT_TRUE(WaitForStatus("c1", "stopped"));
  // The init is gone: containerd's checkKillError wants "container not
  // running" (or "no such process") to call that success.
  ocitest::CommandResult again = call({"kill", "c1", "15"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("container not running"));
  EXPECT_EQ(call({"delete", "c1"}).exit_code, 0);
  ocitest::CommandResult gone = call({"delete", "--force", "c1"});
  EXPECT_EQ(gone.exit_code, 0) << gone.err;
  EXPECT_EQ(gone.err, "");
  // Its kill and delete without --force say "does not exist".
  EXPECT_THAT(call({"kill", "c1", "9"}).err, HasSubstr("does not exist"));
  EXPECT_THAT(call({"delete", "c1"}).err, HasSubstr("does not exist"));
  // Only warnings and errors without --debug; all of it JSON.
  for (const LogLine& line : ReadJsonLog(log)) {
    EXPECT_NE(line.level, "info") << line.msg;
  }
  EXPECT_EQ(LastError(ReadJsonLog(log)), "container does not exist: c1");
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// podman via conmon, with run_oci installed as `runc` (podman then adds
// --log-format=json --log F itself); buildah's create/start/state/delete.
TEST_F(EngineCliTest, InvokedAsRuncLikePodmanAndBuildah) {
  WriteConfig({"sleep", "1000"});
  std::string runc = Symlink("runc");
  std::string log = temp_->Sub("oci-log");
  auto call = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {
        runc, "--log-format=json", "--log", log, "--root", root_};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv);
  };
  ocitest::CommandResult created =
      call({"create", "--bundle", bundle_, "--pid-file", temp_->Sub("pid"),
            "--no-new-keyring", "c1"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(call({"start", "c1"}).exit_code, 0);
  ocitest::CommandResult state = call({"state", "c1"});
  EXPECT_EQ(state.exit_code, 0);
  EXPECT_THAT(state.out, HasSubstr("\"status\":\"running\""));
  // podman's stop: 15, then 9 (sleep as the pid namespace's init ignores
  // SIGTERM).
  EXPECT_EQ(call({"kill", "c1", "15"}).exit_code, 0);
  EXPECT_EQ(call({"kill", "c1", "9"}).exit_code, 0);
  EXPECT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_EQ(call({"delete", "--force", "c1"}).exit_code, 0);
  EXPECT_EQ(call({"delete", "--force", "c1"}).exit_code, 0);
  ocitest::CommandResult version = Run({runc, "--version"});
  EXPECT_THAT(version.out, StartsWith("run_oci version "));
  // podman's probe for checkpointing.
  ocitest::CommandResult probe = Run({runc, "checkpoint", "--help"});
  EXPECT_EQ(probe.exit_code, 0);
  EXPECT_THAT(probe.out, StartsWith("Usage: run_oci [flags] checkpoint"));
  EXPECT_EQ(LastError(ReadJsonLog(log)), "");  // nothing failed
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(EngineCliTest, NoInfoOnATerminalUnlessDebug) {
  WriteConfig({"sleep", "1000"});
  int master = -1;
  EXPECT_EQ(RunWithTerminalStderr({"create", "c1"}, &master), 0);
  EXPECT_EQ(RunWithTerminalStderr({"delete", "c1"}, &master), 0);
  // Warnings still show (the converter's about /proc's options).
  EXPECT_THAT(ReadTerminal(master), Not(HasSubstr("INFO")));
  master = -1;
  std::string log = temp_->Sub("debug.json");
  EXPECT_EQ(RunWithTerminalStderr({"--debug", "--log", log, "--log-format",
                                   "json", "create", "c2"},
                                  &master),
            0);
  EXPECT_EQ(RunWithTerminalStderr({"delete", "c2", "--debug"}, &master), 0);
  std::string terminal = ReadTerminal(master);
  EXPECT_THAT(terminal, HasSubstr("INFO: container c2 created"));
  EXPECT_THAT(terminal, HasSubstr("INFO: container c2 destroyed"));
  bool info_logged = false;
  for (const LogLine& line : ReadJsonLog(log)) {
    if (line.level == "info" && absl::StrContains(line.msg, "c2 created")) {
      info_logged = true;
    }
  }
  EXPECT_TRUE(info_logged);
}

TEST_F(EngineCliTest, VersionAndHelp) {
  for (const char* flag : {"--version", "-v"}) {
    ocitest::CommandResult r = RunOciRaw({flag});
    EXPECT_EQ(r.exit_code, 0);
    std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
    ASSERT_GE(lines.size(), 2u);
    EXPECT_THAT(lines[0],
                MatchesRegex("run_oci version [0-9]+\\.[0-9]+\\.[0-9]+"));
    EXPECT_EQ(lines[1], "spec: 1.3.0");
  }
  for (const char* command :
       {"run", "start", "create", "state", "kill", "destroy", "delete", "ps",
        "list", "features", "spec", "pause", "resume", "update", "events",
        "checkpoint", "restore", "exec"}) {
    ocitest::CommandResult r = RunOciRaw({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_THAT(r.out,
                StartsWith(absl::StrCat("Usage: run_oci [flags] ", command)));
  }
  for (const char* command : {"execute", "checkpoints", "unpause"}) {
    ocitest::CommandResult r = RunOciRaw({command, "--help"});
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, absl::StrCat("run_oci: unknown command: ", command, "\n"));
  }
}

TEST_F(EngineCliTest, FeaturesAreWhatTheRuntimeDoes) {
  ocitest::CommandResult r = RunOciRaw({"features"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, run_oci::FeaturesJson(run_oci::SupportedFeatures()));
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["ociVersionMax"].GetString(), "1.3.0");
  // Every namespace it names runs a container here.
  for (const auto& ns : doc["linux"]["namespaces"].GetArray()) {
    std::string type = ns.GetString();
    std::string linux_section = R"("namespaces":[{"type":"mount"})";
    if (type != "mount") {
      absl::StrAppend(&linux_section, R"(,{"type":")", type, R"("})");
    }
    linux_section += "]";
    if (type == "user") {
      absl::StrAppend(
          &linux_section,
          R"(,"uidMappings":[{"containerID":0,"hostID":0,"size":65536}],)",
          R"("gidMappings":[{"containerID":0,"hostID":0,"size":65536}])");
    }
    std::string json =
        absl::StrCat(R"({"ociVersion":"1.3.0","root":{"path":"rootfs"},)",
                     R"("process":{"args":["true"],"cwd":"/",)",
                     R"("env":["PATH=/bin"],"user":{"uid":0,"gid":0}},)",
                     R"("linux":{)", linux_section, "}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
    ocitest::CommandResult run = RunOci({"run", "ns-" + type});
    EXPECT_EQ(run.exit_code, 0) << type << ": " << run.err;
  }
}

TEST_F(EngineCliTest, SpecWritesRuncsDefaultAndItRuns) {
  ASSERT_EQ(unlink((bundle_ + "/config.json").c_str()), 0);
  ocitest::CommandResult r = RunOciRaw({"spec", "--bundle", bundle_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  absl::StatusOr<std::string> written =
      ocitest::ReadFile(bundle_ + "/config.json");
  ASSERT_TRUE(written.ok());
  // Never over an existing one.
  ocitest::CommandResult again = RunOciRaw({"spec", "--bundle", bundle_});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, absl::StrCat("run_oci: ", bundle_,
                                    "/config.json: exists; remove it first\n"));
  EXPECT_EQ(*ocitest::ReadFile(bundle_ + "/config.json"), *written);
  // runc's default spec runs `sh` on the busybox root.
  ocitest::CommandResult run =
      RunOci({"run", "spec1", "--", "-c", "echo from-spec; hostname"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "from-spec\nrun_oci\n");
}

// Compared with what `runc spec` writes on this host: the same document
// but for ociVersion and the hostname.
TEST_F(EngineCliTest, SpecMatchesRuncSpec) {
  if (access("/usr/sbin/runc", X_OK) != 0 &&
      access("/usr/bin/runc", X_OK) != 0) {
    GTEST_SKIP() << "runc is not installed";
  }
  for (bool rootless : {false, true}) {
    std::string ours = temp_->Sub(rootless ? "ours-rootless" : "ours");
    std::string theirs = temp_->Sub(rootless ? "runc-rootless" : "runc");
    ASSERT_EQ(mkdir(ours.c_str(), 0755), 0);
    ASSERT_EQ(mkdir(theirs.c_str(), 0755), 0);
    std::vector<std::string> flags =
        rootless ? std::vector<std::string>{"--rootless"}
                 : std::vector<std::string>{};
    std::vector<std::string> ours_argv = {"spec", "--bundle", ours};
    ours_argv.insert(ours_argv.end(), flags.begin(), flags.end());
    ASSERT_EQ(RunOciRaw(ours_argv).exit_code, 0);
    std::vector<std::string> runc_argv = {"runc", "spec", "--bundle", theirs};
    runc_argv.insert(runc_argv.end(), flags.begin(), flags.end());
    ocitest::CommandResult runc = Run(runc_argv);
    ASSERT_EQ(runc.exit_code, 0) << runc.err;
    rapidjson::Document a, b;
    a.Parse(ocitest::ReadFile(ours + "/config.json")->c_str());
    b.Parse(ocitest::ReadFile(theirs + "/config.json")->c_str());
    ASSERT_FALSE(a.HasParseError());
    ASSERT_FALSE(b.HasParseError());
    EXPECT_STREQ(a["ociVersion"].GetString(), "1.3.0");
    EXPECT_STREQ(a["hostname"].GetString(), "run_oci");
    a["ociVersion"].SetString(b["ociVersion"].GetString(), a.GetAllocator());
    a["hostname"].SetString(b["hostname"].GetString(), a.GetAllocator());
    EXPECT_TRUE(a == b) << (rootless ? "--rootless" : "default");
  }
}

TEST_F(EngineCliTest, ListTableJsonAndQuiet) {
  // No root yet: nothing, as runc.
  ocitest::CommandResult empty = RunOci({"list"});
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out,
            "ID          PID         STATUS      BUNDLE      CREATED     "
            "OWNER\n");
  EXPECT_EQ(RunOci({"list", "--format", "json"}).out, "[]\n");
  WriteConfig({"sleep", "1000"});
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"create", "c2"}).exit_code, 0);
  ASSERT_EQ(RunOci({"start", "c2"}).exit_code, 0);
  EXPECT_EQ(RunOci({"list", "-q"}).out, "c1\nc2\n");

  ocitest::CommandResult json = RunOci({"list", "-f", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  ASSERT_TRUE(!doc.HasParseError() && doc.IsArray() && doc.Size() == 2)
      << json.out;
  std::map<std::string, std::string> status;
  for (const auto& c : doc.GetArray()) {
    for (const char* key : {"ociVersion", "id", "status", "bundle", "rootfs",
                            "created", "owner"}) {
      EXPECT_TRUE(c.HasMember(key) && c[key].IsString()) << key;
    }
    EXPECT_GT(c["pid"].GetInt(), 0);
    EXPECT_EQ(std::string(c["bundle"].GetString()), bundle_);
    EXPECT_EQ(std::string(c["owner"].GetString()), "root");
    status[c["id"].GetString()] = c["status"].GetString();
  }
  EXPECT_EQ(status["c1"], "created");
  EXPECT_EQ(status["c2"], "running");

  ASSERT_EQ(RunOci({"kill", "c2", "KILL"}).exit_code, 0);
  ASSERT_TRUE(WaitForStatus("c2", "stopped"));
  ocitest::CommandResult table = RunOci({"list"});
  std::vector<std::string> lines =
      absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << table.out;
  EXPECT_THAT(lines[0],
              MatchesRegex("ID +PID +STATUS +BUNDLE +CREATED +OWNER"));
  std::vector<std::string> c1 =
      absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  std::vector<std::string> c2 =
      absl::StrSplit(lines[2], ' ', absl::SkipEmpty());
  ASSERT_EQ(c1.size(), 6u);
  ASSERT_EQ(c2.size(), 6u);
  EXPECT_EQ(c1[0], "c1");
  EXPECT_NE(c1[1], "0");
  EXPECT_EQ(c1[2], "created");
  EXPECT_EQ(c1[3], bundle_);
  EXPECT_EQ(c1[5], "root");
  EXPECT_EQ(c2[1], "0");  // runc shows no pid for a stopped container
  EXPECT_EQ(c2[2], "stopped");
  // Columns line up: each starts where its header does.
  EXPECT_EQ(lines[1].find(c1[2]), lines[0].find("STATUS"));
  EXPECT_EQ(lines[2].rfind(c2[5]), lines[0].find("OWNER"));
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  EXPECT_EQ(RunOci({"delete", "c2"}).exit_code, 0);
}

TEST_F(EngineCliTest, PsListsTheCgroupsProcesses) {
  WriteConfig({"sh", "-c", "sleep 1000 & sleep 1001 & wait"});
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  // The shell's children are in the cgroup from their fork on, but run
  // sleep only once they have exec'd: wait for that, not just for three.
  const std::set<std::string> expected = {
      "sh -c sleep 1000 & sleep 1001 & wait ", "sleep 1000 ", "sleep 1001 "};
  std::vector<pid_t> pids;
  std::set<std::string> commands;
  for (int i = 0; i < 1000 && commands != expected; ++i) {
    pids = ParsePidArray(RunOci({"ps", "--format", "json", "c1"}).out);
    commands.clear();
    for (pid_t pid : pids) commands.insert(Cmdline(pid));
    if (commands != expected) usleep(10000);
  }
  ASSERT_EQ(pids.size(), 3u);
  EXPECT_THAT(commands, ElementsAre("sh -c sleep 1000 & sleep 1001 & wait ",
                                    "sleep 1000 ", "sleep 1001 "));
  ocitest::CommandResult table = RunOci({"ps", "c1"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines =
      absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << table.out;
  EXPECT_EQ(lines[0],
            "UID          PID    PPID  C STIME TTY          TIME CMD");
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_THAT(lines[i], StartsWith("root "));
    EXPECT_THAT(lines[i], MatchesRegex(".* [0-9][0-9]:[0-9][0-9]:[0-9][0-9] "
                                       "(sh -c sleep.*|sleep 100[01])"));
  }
  ExpectError({"ps", "nope"}, "container does not exist: nope");
  ExpectError({"ps", "-f", "xml", "c1"}, "--format xml: must be table or json");
  EXPECT_EQ(RunOci({"delete", "--force", "c1"}).exit_code, 0);
}

// A signal to the init of a pid namespace that has no handler for it is
// dropped; kill --all reaches the others, after which the shell's wait
// returns and the container stops.
TEST_F(EngineCliTest, KillAllSignalsEveryProcess) {
  WriteConfig({"sh", "-c", "sleep 1000 & sleep 1001 & wait"});
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  std::vector<pid_t> pids;
  for (int i = 0; i < 1000 && pids.size() < 3; ++i) {
    pids = ParsePidArray(RunOci({"ps", "--format", "json", "c1"}).out);
    if (pids.size() < 3) usleep(10000);
  }
  ASSERT_EQ(pids.size(), 3u);
  ASSERT_EQ(RunOci({"kill", "c1", "TERM"}).exit_code, 0);  // init only
  EXPECT_EQ(ParsePidArray(RunOci({"ps", "--format", "json", "c1"}).out), pids);
  ocitest::CommandResult all = RunOci({"kill", "--all", "c1", "TERM"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_THAT(ParsePidArray(RunOci({"ps", "--format", "json", "c1"}).out),
              IsEmpty());
  // Also for a stopped container (containerd's KillAll after the init).
  EXPECT_EQ(RunOci({"kill", "-a", "c1", "KILL"}).exit_code, 0);
  ExpectError({"kill", "c1", "KILL"}, "container not running: c1");
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
}

TEST_F(EngineCliTest, KillAllWithSigkillEmptiesTheCgroups) {
  WriteConfig({"sh", "-c", "trap '' TERM; sleep 1000 & sleep 1001 & wait"});
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
  ASSERT_EQ(RunOci({"kill", "--all", "c1", "9"}).exit_code, 0);
  // SIGKILL --all returns once the cgroups are empty.
  EXPECT_THAT(ParsePidArray(RunOci({"ps", "--format", "json", "c1"}).out),
              IsEmpty());
  EXPECT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
}

TEST_F(EngineCliTest, DeleteForceOfAGoneContainer) {
  ocitest::CommandResult r = RunOci({"delete", "--force", "nope"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(RunOci({"destroy", "-f", "nope"}).exit_code, 0);
  ExpectError({"delete", "nope"}, "container does not exist: nope");
}

TEST_F(EngineCliTest, CreateFlagsRefusedClearly) {
  ExpectError({"create", "--no-pivot", "c1"},
              "--no-pivot: not supported: run_oci always enters the root with "
              "pivot_root(2), so a root on ramfs or initramfs cannot be used");
  ExpectError({"create", "--preserve-fds", "1", "c1"},
              "--preserve-fds 1: not supported: run_oci passes no file "
              "descriptors beyond stdio into the container");
  ExpectError({"state", "--all", "c1"}, "flag --all is not a flag of state");
  ExpectError({"--systemd-cgroup", "create", "c1"},
              std::string("--systemd-cgroup: run_oci has no systemd cgroup "
                          "driver") +
                  (access("/run/systemd/system", F_OK) == 0
                       ? ""
                       : " (and PID 1 is not systemd here)") +
                  "; leave the flag out to use cgroupfs");
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

}  // namespace
}  // namespace run_oci_test
