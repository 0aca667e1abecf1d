#include "run_oci/cli.h"

#include <signal.h>
#include <unistd.h>

#include "gflags/gflags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "run_oci/commands/commands.h"
#include "run_oci/container_id.h"
#include "run_oci/logging.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// gflags' values outlive a parse: each parse gets its own saver, as each
// run_oci process parses once.
absl::StatusOr<CommandLine> Parse(std::vector<std::string> args) {
  gflags::FlagSaver saver;
  args.insert(args.begin(), "run_oci");
  bool help = false;
  return ParseCommandLine(args, &help);
}

// For --help and --version: `help` and what to print.
struct HelpResult {
  bool help = false;
  absl::StatusOr<CommandLine> cl;
};

HelpResult ParseForHelp(std::vector<std::string> args) {
  gflags::FlagSaver saver;
  args.insert(args.begin(), "run_oci");
  HelpResult result;
  result.cl = ParseCommandLine(args, &result.help);
  return result;
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

TEST(NormalizeArgsTest, CommandShortFormsBeforeGlobalOnes) {
  // -f is --force for every command but ps and list, where runc reads it
  // as --format; -a and -q exist only for kill and list.
  EXPECT_THAT(
      NormalizeArgs({"run_oci", "-f", "list", "-q", "-f", "json"})->argv,
      ElementsAre("run_oci", "--force", "--quiet", "--format=json", "list"));
  EXPECT_THAT(NormalizeArgs({"run_oci", "kill", "-a", "x", "9"})->argv,
              ElementsAre("run_oci", "--all", "kill", "x", "9"));
  EXPECT_THAT(NormalizeArgs({"run_oci", "delete", "-f", "x"})->argv,
              ElementsAre("run_oci", "--force", "delete", "x"));
  EXPECT_EQ(NormalizeArgs({"run_oci", "state", "-a", "x"}).status().message(),
            "unknown flag: -a");
  EXPECT_EQ(NormalizeArgs({"run_oci", "ps", "-q", "x"}).status().message(),
            "unknown flag: -q");
}

TEST(NormalizeArgsTest, KeepsWhatWasReadBeforeAnError) {
  NormalizedArgs out;
  absl::Status status = NormalizeArgsInto(
      {"run_oci", "--log", "/l", "--log-format=json", "--bogus", "--debug"},
      &out);
  EXPECT_EQ(status.message(), "unknown flag: --bogus");
  EXPECT_THAT(out.argv,
              ElementsAre("run_oci", "--log=/l", "--log_format=json"));
  EXPECT_THAT(out.flags_seen, ElementsAre("log", "log_format"));
}

TEST(NormalizeArgsTest, VersionAndHelp) {
  EXPECT_TRUE(NormalizeArgs({"run_oci", "--version"})->version);
  EXPECT_TRUE(NormalizeArgs({"run_oci", "-v"})->version);
  EXPECT_TRUE(NormalizeArgs({"run_oci", "checkpoint", "--help"})->help);
}

// containerd's shim: every call starts with these three, then runc's
// create flags.
TEST(ParseCommandLineTest, ContainerdCreate) {
  gflags::FlagSaver saver;
  ocitest::TempDir temp = *ocitest::TempDir::Create("cli-test");
  std::string log = temp.Sub("log.json");
  absl::StatusOr<CommandLine> cl =
      Parse({"--root", "/r", "--log", log, "--log-format", "json", "create",
             "--bundle", "/b", "--pid-file", "/b/init.pid", "--console-socket",
             "/s", "--no-new-keyring", "c1"});
  CloseRuntimeLog();
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->command, Command::kCreate);
  EXPECT_EQ(cl->id, "c1");
  EXPECT_EQ(cl->root, "/r");
  EXPECT_EQ(cl->log, log);
  EXPECT_EQ(cl->log_format, LogFormat::kJson);
  EXPECT_EQ(cl->bundle, "/b");
  EXPECT_EQ(cl->pid_file, "/b/init.pid");
  EXPECT_EQ(cl->console_socket, "/s");
  EXPECT_TRUE(cl->no_new_keyring);
  EXPECT_FALSE(cl->debug);
  // --log took effect: the file exists (appended to, never truncated).
  EXPECT_EQ(access(log.c_str(), F_OK), 0);
}

// podman adds --log-format=json --log F when the runtime is called runc;
// global flags may also follow the command.
TEST(ParseCommandLineTest, PodmanFormsAndArgv0Runc) {
  gflags::FlagSaver saver;
  ocitest::TempDir temp = *ocitest::TempDir::Create("cli-test");
  bool help = false;
  absl::StatusOr<CommandLine> cl = ParseCommandLine(
      {"/usr/bin/runc", "--log-format=json", "--log=" + temp.Sub("oci-log"),
       "kill", "c1", "15", "--debug"},
      &help);
  CloseRuntimeLog();
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_FALSE(help);
  EXPECT_EQ(cl->command, Command::kKill);
  EXPECT_THAT(cl->args, ElementsAre("15"));
  EXPECT_EQ(cl->log_format, LogFormat::kJson);
  EXPECT_TRUE(cl->debug);
  SetDebugLogging(false);
}

TEST(ParseCommandLineTest, RuncCommandsAndFlags) {
  gflags::FlagSaver saver;
  absl::StatusOr<CommandLine> ps = Parse({"ps", "--format", "json", "c1"});
  ASSERT_TRUE(ps.ok()) << ps.status();
  EXPECT_EQ(ps->command, Command::kPs);
  EXPECT_EQ(ps->format, OutputFormat::kJson);
  absl::StatusOr<CommandLine> kill = Parse({"kill", "--all", "c1", "KILL"});
  ASSERT_TRUE(kill.ok()) << kill.status();
  EXPECT_TRUE(kill->all);
  absl::StatusOr<CommandLine> spec = Parse({"spec", "--rootless"});
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->command, Command::kSpec);
  EXPECT_TRUE(spec->rootless);
  EXPECT_EQ(Parse({"--preserve-fds", "0", "run", "c1"}).status(),
            absl::OkStatus());
}

TEST(ParseCommandLineTest, CommandsWithoutId) {
  gflags::FlagSaver saver;
  const std::pair<const char*, Command> kCommands[] = {
      {"list", Command::kList},
      {"features", Command::kFeatures},
      {"spec", Command::kSpec}};
  for (const auto& [name, command] : kCommands) {
    absl::StatusOr<CommandLine> cl = Parse({name});
    ASSERT_TRUE(cl.ok()) << name << ": " << cl.status();
    EXPECT_EQ(cl->command, command);
    EXPECT_EQ(cl->id, "");
    EXPECT_EQ(Parse({name, "x"}).status().message(), "unexpected argument: x");
  }
  absl::StatusOr<CommandLine> list = Parse({"list", "-q", "--format=json"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->quiet);
  EXPECT_EQ(list->format, OutputFormat::kJson);
}

TEST(ParseCommandLineTest, Refusals) {
  gflags::FlagSaver saver;
  EXPECT_EQ(Parse({"state", "--all", "c1"}).status().message(),
            "flag --all is not a flag of state");
  EXPECT_EQ(Parse({"create", "--rootless", "c1"}).status().message(),
            "flag --rootless is not a flag of create");
  EXPECT_EQ(Parse({"ps", "--format", "yaml", "c1"}).status().message(),
            "--format yaml: must be table or json");
  EXPECT_EQ(Parse({"--log-format", "xml", "state", "c1"}).status().message(),
            "--log-format xml: must be text or json");
  EXPECT_EQ(Parse({"create", "--no-pivot", "c1"}).status().message(),
            "--no-pivot: not supported: run_oci always enters the root with "
            "pivot_root(2), so a root on ramfs or initramfs cannot be used");
  EXPECT_EQ(Parse({"create", "--preserve-fds", "2", "c1"}).status().message(),
            "--preserve-fds 2: not supported: run_oci passes no file "
            "descriptors beyond stdio into the container");
  EXPECT_THAT(
      std::string(
          Parse({"--systemd-cgroup", "state", "c1"}).status().message()),
      testing::StartsWith(
          "--systemd-cgroup: run_oci has no systemd cgroup driver"));
  EXPECT_EQ(
      Parse({"--log", "/nonexistent-dir/x", "state", "c1"}).status().message(),
      "--log /nonexistent-dir/x: open: No such file or directory");
  EXPECT_EQ(Parse({"state", ".."}).status().message(), "invalid container id");
}

TEST(ParseCommandLineTest, HelpOnlyForCommandsThatExist) {
  gflags::FlagSaver saver;
  HelpResult general = ParseForHelp({"--help"});
  EXPECT_TRUE(general.help);
  ASSERT_TRUE(general.cl.ok());
  EXPECT_THAT(general.cl->help_text, testing::StartsWith("Usage: run_oci"));
  for (const char* command :
       {"run", "start", "create", "state", "kill", "destroy", "delete", "ps",
        "list", "features", "spec", "pause", "resume", "update", "events",
        "checkpoint", "restore", "exec"}) {
    HelpResult r = ParseForHelp({command, "--help"});
    EXPECT_TRUE(r.help) << command;
    ASSERT_TRUE(r.cl.ok()) << command;
    EXPECT_THAT(
        r.cl->help_text,
        testing::StartsWith(std::string("Usage: run_oci [flags] ") + command));
    EXPECT_THAT(general.cl->help_text,
                testing::HasSubstr(std::string("\n  ") + command));
  }
  // podman probes `checkpoint --help` to learn whether checkpointing exists.
  for (const char* missing : {"execute", "checkpoints", "unpause"}) {
    HelpResult r = ParseForHelp({missing, "--help"});
    EXPECT_FALSE(r.help) << missing;
    EXPECT_EQ(r.cl.status().message(),
              std::string("unknown command: ") + missing);
  }
}

TEST(ParseCommandLineTest, Version) {
  gflags::FlagSaver saver;
  for (const char* flag : {"--version", "-v"}) {
    HelpResult r = ParseForHelp({flag});
    EXPECT_TRUE(r.help);
    ASSERT_TRUE(r.cl.ok());
    EXPECT_THAT(r.cl->help_text, testing::MatchesRegex(
                                     "run_oci version [0-9.]+\nspec: 1.3.0\n"));
  }
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
        std::string("\xc3\xa9")}) {
    absl::Status status = ValidateContainerId(bad);
    EXPECT_EQ(status.message(), "invalid container id") << bad;
  }
  EXPECT_EQ(ValidateContainerId(too_long).message(),
            "invalid container id: longer than 255 bytes");
}

}  // namespace
}  // namespace run_oci
