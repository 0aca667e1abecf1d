#include "run_oci/cli.h"

#include <signal.h>

#include "gflags/gflags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "run_oci/commands/commands.h"
#include "run_oci/container_id.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

absl::StatusOr<CommandLine> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "run_oci");
  bool help = false;
  return ParseCommandLine(args, &help);
}

TEST(NormalizeArgsTest, ShortAndDashedForms) {
  absl::StatusOr<NormalizedArgs> n =
      NormalizeArgs({"run_oci", "-c", "/b", "start", "--pid-file=/p", "-u", "x",
                     "-S", "KILL", "--log-dir", "/l", "--bundle=/b2"});
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_THAT(n->argv,
              ElementsAre("run_oci", "--container_path=/b", "--pid_file=/p",
                          "--use_current_user", "--signal=KILL", "--log_dir=/l",
                          "--container_path=/b2", "start", "x"));
}

TEST(NormalizeArgsTest, RepeatedBindMountsAndDashDash) {
  absl::StatusOr<NormalizedArgs> n =
      NormalizeArgs({"run_oci", "-b", "/a:/b", "run", "--bind_mount=/c:/d",
                     "id", "--", "-c", "--x"});
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_THAT(n->bind_mounts, ElementsAre("/a:/b", "/c:/d"));
  EXPECT_THAT(n->after_dashdash, ElementsAre("-c", "--x"));
  EXPECT_THAT(n->argv, ElementsAre("run_oci", "run", "id"));
}

TEST(NormalizeArgsTest, Errors) {
  EXPECT_EQ(NormalizeArgs({"run_oci", "--nope", "run", "x"}).status().message(),
            "unknown flag: --nope");
  EXPECT_EQ(NormalizeArgs({"run_oci", "-z"}).status().message(),
            "unknown flag: -z");
  EXPECT_EQ(NormalizeArgs({"run_oci", "run", "x", "--root"}).status().message(),
            "flag --root needs a value");
  EXPECT_EQ(
      NormalizeArgs({"run_oci", "--use_current_user=maybe"}).status().message(),
      "flag --use_current_user: invalid boolean value 'maybe'");
  EXPECT_TRUE(NormalizeArgs({"run_oci", "-u=false", "--force=YES"}).ok());
  EXPECT_EQ(NormalizeArgs({"run_oci", "create", "x", "--console-socket"})
                .status()
                .message(),
            "flag --console-socket needs a value");
}

TEST(NormalizeArgsTest, Help) {
  EXPECT_TRUE(NormalizeArgs({"run_oci", "--help"})->help);
  EXPECT_TRUE(NormalizeArgs({"run_oci", "run", "-h"})->help);
}

TEST(ParseCommandLineTest, FlagsAnywhere) {
  gflags::FlagSaver saver;
  absl::StatusOr<CommandLine> cl = Parse(
      {"--root", "/r", "run", "-p", "par", "id1", "-i", "-s", "--bind_mount",
       "/h:/c", "-t", "tag", "--console-socket", "/sock", "--", "extra", "-x"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->command, Command::kRun);
  EXPECT_EQ(cl->id, "id1");
  EXPECT_EQ(cl->root, "/r");
  EXPECT_EQ(cl->cgroup_parent, "par");
  EXPECT_FALSE(cl->run_as_init);
  EXPECT_TRUE(cl->sigstop_when_ready);
  EXPECT_EQ(cl->log_tag, "tag");
  EXPECT_EQ(cl->console_socket, "/sock");
  EXPECT_THAT(cl->bind_mounts, ElementsAre(Pair("/h", "/c")));
  EXPECT_THAT(cl->extra_program_args, ElementsAre("extra", "-x"));
  EXPECT_FALSE(cl->bundle.empty());  // the cwd
}

TEST(ParseCommandLineTest, Defaults) {
  gflags::FlagSaver saver;
  absl::StatusOr<CommandLine> cl = Parse({"state", "x"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->command, Command::kState);
  EXPECT_EQ(cl->root, "/run/containers");
  EXPECT_TRUE(cl->run_as_init);
  EXPECT_FALSE(cl->use_current_user);
  EXPECT_FALSE(cl->force);
  EXPECT_TRUE(cl->signal.empty());
  EXPECT_TRUE(cl->console_socket.empty());
}

TEST(ParseCommandLineTest, KillTakesOneSignalArgument) {
  gflags::FlagSaver saver;
  absl::StatusOr<CommandLine> cl = Parse({"kill", "x", "KILL"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_THAT(cl->args, ElementsAre("KILL"));
  EXPECT_EQ(Parse({"kill", "x", "KILL", "more"}).status().message(),
            "unexpected argument: more");
  EXPECT_EQ(Parse({"state", "x", "y"}).status().message(),
            "unexpected argument: y");
}

TEST(ParseCommandLineTest, DeleteIsDestroy) {
  gflags::FlagSaver saver;
  absl::StatusOr<CommandLine> cl = Parse({"delete", "--force", "x"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->command, Command::kDestroy);
  EXPECT_TRUE(cl->force);
}

TEST(ParseCommandLineTest, Errors) {
  gflags::FlagSaver saver;
  EXPECT_EQ(Parse({}).status().message(), "missing command");
  EXPECT_EQ(Parse({"frob", "x"}).status().message(), "unknown command: frob");
  EXPECT_EQ(Parse({"run"}).status().message(), "missing container id");
  EXPECT_EQ(Parse({"run", "-b", "nocolon", "x"}).status().message(),
            "--bind_mount nocolon: expected HOST_PATH:CONTAINER_PATH");
}

TEST(SignalArgTest, NamesWithAndWithoutSigAndNumbers) {
  EXPECT_EQ(ParseSignalArg("TERM").value_or(-1), SIGTERM);
  EXPECT_EQ(ParseSignalArg("SIGKILL").value_or(-1), SIGKILL);
  EXPECT_EQ(ParseSignalArg("usr1").value_or(-1), SIGUSR1);
  EXPECT_EQ(ParseSignalArg("9").value_or(-1), 9);
  EXPECT_EQ(ParseSignalArg("RTMIN+1").value_or(-1), SIGRTMIN + 1);
  for (const char* bad : {"", "NOPE", "SIG", "0", "-1", "65", "9x"}) {
    EXPECT_EQ(ParseSignalArg(bad).status().message(),
              std::string("unknown signal: ") + bad);
  }
}

TEST(ContainerIdTest, Validation) {
  for (const char* good : {"a", "my-container_1", "a.b", "a b", "A~"}) {
    EXPECT_TRUE(ValidateContainerId(good).ok()) << good;
  }
  std::string too_long(kMaxContainerIdLength + 1, 'a');
  std::string longest(kMaxContainerIdLength, 'a');
  EXPECT_TRUE(ValidateContainerId(longest).ok());
  for (const std::string& bad :
       {std::string(""), std::string("."), std::string(".hidden"),
        std::string(".."), std::string("a/b"), std::string("a..b"),
        std::string("tab\t"), std::string("nl\n"), std::string("\x7f"),
        std::string("\xc3\xa9"), too_long}) {
    absl::Status status = ValidateContainerId(bad);
    EXPECT_EQ(status.message(), "invalid container id") << bad;
  }
}

}  // namespace
}  // namespace run_oci
