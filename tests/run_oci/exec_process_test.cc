// exec's command line and process.json, laid over the init's process as
// the record keeps it (exec_process.h), and the record's copy of it.
#include "run_oci/exec_process.h"

#include <sys/resource.h>

#include "gflags/gflags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "run_oci/cli.h"
#include "run_oci/state_json.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;

absl::StatusOr<ExecFlags> ParseExec(std::vector<std::string> args) {
  gflags::FlagSaver saver;
  args.insert(args.begin(), "run_oci");
  bool help = false;
  absl::StatusOr<CommandLine> cl = ParseCommandLine(args, &help);
  if (!cl.ok()) return cl.status();
  EXPECT_EQ(cl->command, Command::kExec);
  return ExecFlagsFromCommandLine(*cl);
}

libcontainer::Config Init() {
  libcontainer::Config init;
  init.argv = {"sleep", "1000"};
  init.env = {"PATH=/bin", "A=1"};
  init.cwd = "/work";
  init.uid = 10;
  init.gid = 20;
  init.additional_gids = {30};
  init.capabilities = libcontainer::Capabilities{1, 1, 0, 1, 0};
  init.rlimits = {{RLIMIT_NOFILE, 100, 200}};
  init.no_new_privileges = true;
  init.seccomp.emplace();
  init.seccomp->default_action = "SCMP_ACT_ALLOW";
  init.securebits_skip_mask = 7;
  init.personality = 8;
  return init;
}

TEST(ExecFlagsTest, PodmanAndContainerdCalls) {
  absl::StatusOr<ExecFlags> f = ParseExec(
      {"--log-format=json", "exec", "--pid-file", "/p", "--process", "/f.json",
       "--detach", "--tty", "--console-socket", "/s", "c1"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->process_file, "/f.json");
  EXPECT_TRUE(f->detach);
  EXPECT_TRUE(f->tty);
  EXPECT_TRUE(f->args.empty());
  f = ParseExec({"--root", "/r", "exec", "--process", "/f", "-d", "c1"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->detach);
}

TEST(ExecFlagsTest, ArgsAfterTheIdAreTheProgramsEvenWhenTheyLookLikeFlags) {
  absl::StatusOr<ExecFlags> f =
      ParseExec({"exec", "c1", "sh", "-c", "echo hi", "--help"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->args, ElementsAre("sh", "-c", "echo hi", "--help"));
  f = ParseExec({"exec", "c1", "--", "ls", "-l"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->args, ElementsAre("ls", "-l"));
}

TEST(ExecFlagsTest, ShortFormsAndRepeatedFlags) {
  absl::StatusOr<ExecFlags> f = ParseExec({"exec",
                                           "-e",
                                           "A=2",
                                           "--env",
                                           "B=3",
                                           "-u",
                                           "5:6",
                                           "-g",
                                           "7",
                                           "-g",
                                           "8,9",
                                           "-c",
                                           "CAP_KILL",
                                           "--cap=CAP_CHOWN",
                                           "--cwd",
                                           "/tmp",
                                           "--no-new-privs",
                                           "--ignore-paused",
                                           "--preserve-fds",
                                           "2",
                                           "-t",
                                           "c1",
                                           "true"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->env, ElementsAre("A=2", "B=3"));
  EXPECT_EQ(f->user.value_or(""), "5:6");
  EXPECT_THAT(f->additional_gids, ElementsAre("7", "8", "9"));
  EXPECT_THAT(f->caps, ElementsAre("CAP_KILL", "CAP_CHOWN"));
  EXPECT_EQ(f->cwd.value_or(""), "/tmp");
  EXPECT_TRUE(f->no_new_privs);
  EXPECT_TRUE(f->ignore_paused);
  EXPECT_TRUE(f->tty);
  EXPECT_EQ(f->preserve_fds, 2);
}

TEST(ExecFlagsTest, OtherCommandsRefuseExecsFlagsAndPreserveFds) {
  gflags::FlagSaver saver;
  bool help = false;
  absl::StatusOr<CommandLine> cl =
      ParseCommandLine({"run_oci", "state", "--env", "A=1", "c1"}, &help);
  ASSERT_FALSE(cl.ok());
  EXPECT_EQ(cl.status().message(), "flag --env is not a flag of state");
  cl = ParseCommandLine({"run_oci", "run", "--preserve-fds", "1", "c1"}, &help);
  ASSERT_FALSE(cl.ok());
}

TEST(ExecFlagsTest, BadValues) {
  EXPECT_EQ(
      ParseExec({"exec", "-e", "NOEQUALS", "c1", "true"}).status().message(),
      "--env NOEQUALS: expected KEY=VALUE");
  EXPECT_EQ(
      ParseExec({"exec", "--cwd", "rel", "c1", "true"}).status().message(),
      "--cwd rel: must be an absolute path");
  EXPECT_EQ(ParseExec({"exec", "--preserve-fds", "-1", "c1", "true"})
                .status()
                .message(),
            "--preserve-fds -1: must not be negative");
}

TEST(ExecProcessTest, ArgsOnlyKeepTheInitsProcess) {
  ExecFlags flags;
  flags.args = {"sh"};
  absl::StatusOr<libcontainer::Config> c =
      ExecProcessConfig(Init(), std::nullopt, flags);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->argv, ElementsAre("sh"));
  EXPECT_THAT(c->env, ElementsAre("PATH=/bin", "A=1"));
  EXPECT_EQ(c->cwd, "/work");
  EXPECT_EQ(c->uid, 10u);
  EXPECT_EQ(c->gid, 20u);
  EXPECT_THAT(c->additional_gids, ElementsAre(30u));
  ASSERT_TRUE(c->capabilities.has_value());
  EXPECT_EQ(c->capabilities->bounding, 1u);
  ASSERT_EQ(c->rlimits.size(), 1u);
  EXPECT_EQ(c->rlimits[0].soft, 100u);
  EXPECT_TRUE(c->no_new_privileges);
  ASSERT_TRUE(c->seccomp.has_value());
  EXPECT_EQ(c->securebits_skip_mask, 7u);
  EXPECT_EQ(c->personality.value_or(0), 8u);
  EXPECT_FALSE(c->terminal);
}

TEST(ExecProcessTest, FlagsOverTheInit) {
  ExecFlags flags;
  flags.args = {"sh"};
  flags.env = {"A=2", "B=3"};
  flags.cwd = "/tmp";
  flags.user = "5:6";
  flags.additional_gids = {"7", "8"};
  flags.caps = {"CAP_KILL"};
  flags.tty = true;
  absl::StatusOr<libcontainer::Config> c =
      ExecProcessConfig(Init(), std::nullopt, flags);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->env, ElementsAre("PATH=/bin", "A=2", "B=3"));
  EXPECT_EQ(c->cwd, "/tmp");
  EXPECT_EQ(c->uid, 5u);
  EXPECT_EQ(c->gid, 6u);
  EXPECT_THAT(c->additional_gids, ElementsAre(7u, 8u));
  const uint64_t kill = uint64_t{1} << 5;  // CAP_KILL
  EXPECT_EQ(c->capabilities->bounding, 1u | kill);
  EXPECT_EQ(c->capabilities->effective, 1u | kill);
  EXPECT_EQ(c->capabilities->permitted, 1u | kill);
  EXPECT_EQ(c->capabilities->ambient, kill);
  EXPECT_TRUE(c->terminal);
  flags.user = "root";
  EXPECT_EQ(ExecProcessConfig(Init(), std::nullopt, flags).status().message(),
            "--user root: expected a number");
}

TEST(ExecProcessTest, ProcessJsonReplacesTheProcessButNotItsFloor) {
  ExecFlags flags;
  flags.env = {"C=4"};
  const std::string json =
      R"({"args":["ls","-l"],"env":["X=1"],"cwd":"/srv","terminal":true,)"
      R"("user":{"uid":3,"gid":4,"additionalGids":[9]},)"
      R"("capabilities":{"bounding":["CAP_CHOWN"]},)"
      R"("noNewPrivileges":false,"oomScoreAdj":5})";
  absl::StatusOr<libcontainer::Config> c =
      ExecProcessConfig(Init(), json, flags);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->argv, ElementsAre("ls", "-l"));
  EXPECT_THAT(c->env, ElementsAre("X=1", "C=4"));
  EXPECT_EQ(c->cwd, "/srv");
  EXPECT_EQ(c->uid, 3u);
  EXPECT_THAT(c->additional_gids, ElementsAre(9u));
  EXPECT_TRUE(c->terminal);
  EXPECT_EQ(c->capabilities->bounding, 1u);  // CAP_CHOWN is 0
  EXPECT_EQ(c->capabilities->effective, 0u);
  // No rlimits given: the init's. no_new_privs stays on; seccomp stays.
  ASSERT_EQ(c->rlimits.size(), 1u);
  EXPECT_TRUE(c->no_new_privileges);
  EXPECT_TRUE(c->seccomp.has_value());
  EXPECT_EQ(c->oom_score_adj.value_or(0), 5);
}

TEST(ExecProcessTest, ProcessJsonErrorsNameTheFileAndField) {
  ExecFlags flags;
  EXPECT_EQ(
      ExecProcessConfig(Init(), R"({"cwd":"/"})", flags).status().message(),
      "process.json: args: required");
  EXPECT_EQ(ExecProcessConfig(Init(), R"({"args":["x"],"cwd":"rel"})", flags)
                .status()
                .message(),
            "process.json: cwd: must be an absolute path, got \"rel\"");
  EXPECT_EQ(
      ExecProcessConfig(
          Init(),
          R"({"args":["x"],"cwd":"/","rlimits":[{"type":"RLIMIT_NOPE","soft":1,"hard":1}]})",
          flags)
          .status()
          .message(),
      "process.json: rlimits[0].type: unknown rlimit \"RLIMIT_NOPE\"");
  EXPECT_EQ(ExecProcessConfig(Init(), "{", flags).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ExecProcessTest, RecordKeepsTheInitsProcess) {
  StateRecord record;
  record.id = "c1";
  record.init_process = Init();
  record.init_process->seccomp->syscalls.push_back(
      {{"mkdir"}, "SCMP_ACT_ERRNO", 1, {{0, 1, 2, "SCMP_CMP_EQ"}}});
  absl::StatusOr<StateRecord> back =
      ParseStateRecord(StateRecordToJson(record), "state.json");
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_TRUE(back->init_process.has_value());
  const libcontainer::Config& p = *back->init_process;
  EXPECT_THAT(p.env, ElementsAre("PATH=/bin", "A=1"));
  EXPECT_EQ(p.cwd, "/work");
  EXPECT_EQ(p.uid, 10u);
  EXPECT_THAT(p.additional_gids, ElementsAre(30u));
  EXPECT_EQ(p.capabilities->permitted, 1u);
  ASSERT_EQ(p.rlimits.size(), 1u);
  EXPECT_EQ(p.rlimits[0].hard, 200u);
  EXPECT_TRUE(p.no_new_privileges);
  EXPECT_EQ(p.securebits_skip_mask, 7u);
  EXPECT_EQ(p.personality.value_or(0), 8u);
  ASSERT_TRUE(p.seccomp.has_value());
  ASSERT_EQ(p.seccomp->syscalls.size(), 1u);
  EXPECT_EQ(p.seccomp->syscalls[0].names[0], "mkdir");
  EXPECT_EQ(p.seccomp->syscalls[0].errno_ret.value_or(0), 1u);
  EXPECT_EQ(p.seccomp->syscalls[0].args[0].value_two, 2u);
  // Older records have none.
  record.init_process.reset();
  back = ParseStateRecord(StateRecordToJson(record), "state.json");
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->init_process.has_value());
}

}  // namespace
}  // namespace run_oci
