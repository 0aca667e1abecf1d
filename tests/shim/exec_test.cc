// Executing the program (exec.cc): no magic links (CVE-2019-5736), #!
// scripts with the kernel's own argv, and execvp(3)'s PATH rules. Script
// expectations come from the kernel itself: the same script is executed by
// execve(2) in a chroot of the same rootfs and both outputs must match.
// Every case runs twice: executed by the child itself, and through the
// exec stub (exec_stub.h), which must not change what the program sees or
// what a failure says.
#include "minijail-shim/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/exec_stub.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

constexpr char kMagicLinkHint[] =
    "Too many levels of symbolic links (a symlink loop, or a /proc magic "
    "link such as /proc/self/fd/N or /proc/self/exe, which is not followed)";

// Prints "[$0][$1]..." : what an interpreter got as its argv.
constexpr char kArgvScript[] = "#!/bin/sh\nprintf '[%s]' \"$0\" \"$@\"\necho\n";

// The parameter: through the exec stub.
class ExecTest : public JailTest, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    JailTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(mkdir((rootfs() + "/s").c_str(), 0755), 0);
    Put("/s/argv.sh", kArgvScript);
    if (GetParam()) {
      absl::StatusOr<base::ScopedFd> stub = shim::MakeExecStub();
      ASSERT_TRUE(stub.ok()) << stub.status();
      stub_ = *std::move(stub);
    }
  }

  void TearDown() override {
    stub_.reset();
    JailTest::TearDown();
  }

  void Put(const std::string& path, const std::string& text, int mode = 0755) {
    ASSERT_TRUE(ocitest::WriteFile(rootfs() + path, text, mode).ok());
    ASSERT_EQ(chmod((rootfs() + path).c_str(), mode), 0);
  }

  shim::JailSpec ExecSpec(std::vector<std::string> argv) const {
    shim::JailSpec spec = ShellSpec("");
    spec.argv = std::move(argv);
    spec.cwd = "/s";
    spec.exec_stub_fd = stub_.get();
    return spec;
  }

  // The program's output, or "error: <errno text>" when the start failed.
  std::string InJail(const std::vector<std::string>& argv) {
    absl::StatusOr<RunResult> r = RunJailed(ExecSpec(argv));
    if (!r.ok()) {
      const std::string m(r.status().message());
      return absl::StrCat("error: ", m.substr(m.rfind(": ") + 2));
    }
    return r->out;
  }

  // The same through the kernel's execve(2), chrooted into the rootfs.
  std::string ByKernel(const std::vector<std::string>& argv) {
    int out[2];
    EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
    std::vector<char*> args = base::NullTerminated(argv);
    char env0[] = "PATH=/bin";
    char* env[] = {env0, nullptr};
    const std::string root = rootfs();
    const pid_t pid = fork();
    if (pid == 0) {
      if (chroot(root.c_str()) != 0 || chdir("/s") != 0 ||
          dup2(out[1], 1) < 0) {
        _exit(125);
      }
      execve(args[0], args.data(), env);
      const int err = errno;
      (void)!write(1, &err, sizeof(err));
      _exit(126);
    }
    close(out[1]);
    const std::string text = ReadToEof(out[0]);
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 126) {
      int err = 0;
      memcpy(&err, text.data(), sizeof(err));
      return absl::StrCat("error: ", strerror(err));
    }
    return text;
  }

  base::ScopedFd stub_;
};

TEST_P(ExecTest, ProcSelfExeIsRefused) {
  // Pid 1 of the new pid namespace is the child itself: /proc/1/exe is the
  // runtime too.
  for (const char* exe :
       {"/proc/self/exe", "/proc/1/exe", "/proc/thread-self/exe"}) {
    EXPECT_EQ(StartFailure(ExecSpec({exe, "--help"})),
              absl::StrCat("jail: exec (", exe, "): open: ", kMagicLinkHint));
  }
}

TEST_P(ExecTest, ImageSymlinkToProcSelfExeIsRefused) {
  ASSERT_EQ(symlink("/proc/self/exe", (rootfs() + "/bin/evil").c_str()), 0);
  ASSERT_EQ(symlink("../proc/self/exe", (rootfs() + "/s/rel").c_str()), 0);
  for (const char* prog : {"evil", "/bin/evil", "/s/rel", "./rel"}) {
    EXPECT_EQ(StartFailure(ExecSpec({prog})),
              absl::StrCat("jail: exec (", prog, "): open: ", kMagicLinkHint));
  }
}

TEST_P(ExecTest, ShebangProcSelfExeIsRefused) {
  // The original CVE-2019-5736 exploit: the image's /bin/sh rewritten as
  // "#!/proc/self/exe", so that the runtime executes itself.
  Put("/s/evil", "#!/proc/self/exe\n");
  Put("/s/evil2", "#!/s/evil --flag\n");
  EXPECT_EQ(StartFailure(ExecSpec({"/s/evil"})),
            absl::StrCat("jail: exec (/s/evil): #! interpreter 1: open: ",
                         kMagicLinkHint));
  EXPECT_EQ(StartFailure(ExecSpec({"/s/evil2"})),
            absl::StrCat("jail: exec (/s/evil2): #! interpreter 2: open: ",
                         kMagicLinkHint));
}

TEST_P(ExecTest, ScriptsGetTheKernelsArgv) {
  struct Case {
    std::string text;
    std::string expected;  // what Linux 6.x does, checked against it below
  };
  const std::string long_arg(300, 'a');
  const std::string long_name = "/s/" + std::string(300, 'x');
  const std::string tail = "[/s/t][a b][c]\n";
  const std::vector<Case> cases = {
      {"#!/s/argv.sh\n", "[/s/argv.sh]" + tail},
      {"#!/s/argv.sh one\n", "[/s/argv.sh][one]" + tail},
      {"#! \t/s/argv.sh\t one  two \t\nignored\n",
       "[/s/argv.sh][one  two]" + tail},
      {"#!/s/argv.sh", "[/s/argv.sh]" + tail},
      // No newline, a trailing blank: the kernel passes an empty argument.
      {"#!/s/argv.sh ", "[/s/argv.sh][]" + tail},
      {"#!argv.sh x\n", "[argv.sh][x]" + tail},  // from the cwd
      // Cut at the kernel's 256-byte buffer.
      {"#!/s/argv.sh " + long_arg + "\n",
       "[/s/argv.sh][" + std::string(255 - 13, 'a') + "]" + tail},
      {"#!" + long_name + "\n", "error: Exec format error"},
      {"#!\n", "error: Exec format error"},
      {"#! \t \n", "error: Exec format error"},
      {"#!/s/missing\n", "error: No such file or directory"},
      {"\x7f"
       "ELF-not-really\n",
       "error: Exec format error"},
      {"echo no interpreter line\n", "error: Exec format error"},
  };
  for (const Case& c : cases) {
    Put("/s/t", c.text);
    EXPECT_EQ(ByKernel({"/s/t", "a b", "c"}), c.expected) << c.text;
    EXPECT_EQ(InJail({"/s/t", "a b", "c"}), c.expected) << c.text;
  }
}

TEST_P(ExecTest, NestedInterpretersUpToTheLimit) {
  static_assert(shim::kMaxScriptDepth == 4, "the chain below has 4 scripts");
  // t -> i2 -> i1 -> argv.sh -> /bin/sh: each level puts its interpreter
  // and argument in front and its own path in argv[0]'s place.
  Put("/s/i1", "#!/s/argv.sh one\n");
  Put("/s/i2", "#!/s/i1 two\n");
  Put("/s/t", "#!/s/i2 three\n");
  const std::string expected =
      "[/s/argv.sh][one][/s/i1][two][/s/i2][three][/s/t][x]\n";
  EXPECT_EQ(ByKernel({"/s/t", "x"}), expected);
  EXPECT_EQ(InJail({"/s/t", "x"}), expected);

  // One script more is refused (Linux 5.8+ would still run it), never cut
  // short.
  Put("/s/u", "#!/s/t\n");
  EXPECT_EQ(StartFailure(ExecSpec({"/s/u"})),
            "jail: exec (/s/u): #! interpreter 4: execve: Too many levels of "
            "symbolic links");
}

TEST_P(ExecTest, PathSearchKeepsExecvpRules) {
  ASSERT_EQ(mkdir((rootfs() + "/p1").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((rootfs() + "/p2").c_str(), 0755), 0);
  Put("/p1/prog", "not executable\n", 0644);      // EACCES: remembered
  Put("/p0", "a file, not a directory\n", 0644);  // ENOTDIR: go on
  shim::JailSpec spec = ExecSpec({"prog", "x"});
  spec.env = {"PATH=/p0:/p1:/nowhere:/p2"};
  EXPECT_EQ(StartFailure(spec), "jail: exec (prog): execve: Permission denied");
  // A script found later in PATH runs, with the path it was found at.
  Put("/p2/prog", "#!/s/argv.sh\n");
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "[/s/argv.sh][/p2/prog][x]\n");
  // An ELF through a symlink runs too (busybox applets are symlinks).
  spec.argv = {"echo", "plain"};
  spec.env = {"PATH=/nowhere:/bin"};
  r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "plain\n");
}

TEST_P(ExecTest, CreateFailsWithTheErrorExecWouldGive) {
  // With a start fd (OCI create) the walk is checked before kReady, so
  // `create` reports what execve would report after `start`.
  Put("/s/plain", "data\n", 0644);
  Put("/s/evil", "#!/proc/self/exe\n");
  Put("/s/nointerp", "#!/s/missing\n");
  Put("/s/badline", "#!\n");
  Put("/s/i1", "#!/s/argv.sh\n");
  Put("/s/i2", "#!/s/i1\n");
  Put("/s/i3", "#!/s/i2\n");
  Put("/s/i4", "#!/s/i3\n");
  // One listening socket serves every create: each child accepts on its
  // own copy, and only the one alive at a time can take the release.
  base::ScopedFd start = ListenForStart();
  ASSERT_TRUE(start);
  for (const char* prog : {"/proc/self/exe", "nope", "/s/plain", "/s",
                           "/s/evil", "/s/nointerp", "/s/badline", "/s/i4"}) {
    absl::StatusOr<RunResult> run = RunJailed(ExecSpec({prog}));
    ASSERT_FALSE(run.ok()) << prog;
    shim::JailSpec spec = ExecSpec({prog});
    spec.start_fd = start.get();
    spec.exec_stub_fd = -1;  // never with a start fd
    absl::StatusOr<shim::Jail> created = shim::Jail::Start(spec, {});
    ASSERT_FALSE(created.ok()) << prog;
    EXPECT_EQ(created.status(), run.status()) << prog;
  }
  // A good script and a good binary pass the check.
  base::ScopedFd null(open("/dev/null", O_WRONLY | O_CLOEXEC));
  for (const char* prog : {"/s/i3", "echo"}) {
    shim::JailSpec spec = ExecSpec({prog});
    spec.start_fd = start.get();
    spec.exec_stub_fd = -1;
    spec.stdout_fd = null.get();
    absl::StatusOr<shim::Jail> created = shim::Jail::Start(spec, {});
    ASSERT_TRUE(created.ok()) << prog << ": " << created.status();
    ASSERT_TRUE(ReleaseStart(prog).ok()) << prog;
    absl::StatusOr<shim::ExitStatus> status = created->Wait();
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(status->code, 0) << prog;
  }
}

INSTANTIATE_TEST_SUITE_P(Exec, ExecTest, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "ThroughStub" : "Direct";
                         });

TEST(ParseShebangTest, KernelRules) {
  auto parse = [](const std::string& head, std::string* interp,
                  std::string* arg) {
    char buf[shim::kShebangBufSize] = {};
    memcpy(buf, head.data(), std::min(head.size(), sizeof(buf)));
    char* i = nullptr;
    char* a = nullptr;
    const int rc = shim::ParseShebang(buf, &i, &a);
    *interp = i ? i : "(null)";
    *arg = a ? a : "(null)";
    return rc;
  };
  std::string i, a;
  EXPECT_EQ(parse("#!/bin/sh\n", &i, &a), 0);
  EXPECT_EQ(i, "/bin/sh");
  EXPECT_EQ(a, "(null)");
  EXPECT_EQ(parse("#!  /bin/sh  -e -x  \n", &i, &a), 0);
  EXPECT_EQ(i, "/bin/sh");
  EXPECT_EQ(a, "-e -x");
  // A NUL ends the name, and the line: no argument.
  EXPECT_EQ(parse(std::string("#!/bin/sh\0 -e\n", 14), &i, &a), 0);
  EXPECT_EQ(i, "/bin/sh");
  EXPECT_EQ(a, "(null)");
  EXPECT_EQ(parse("#!" + std::string(300, 'x'), &i, &a), ENOEXEC);
  EXPECT_EQ(parse("#!\n", &i, &a), ENOEXEC);
  EXPECT_EQ(parse("# !/bin/sh\n", &i, &a), ENOEXEC);
}

}  // namespace
}  // namespace shimtest
