// The exec stub (minijail-shim/exec_stub.h): the sealed memfd, the stub's
// own contract (stub_abi.h) run directly, what the shim accepts it with,
// the seccomp check, and the case it exists for: a program whose ELF
// interpreter is /proc/self/exe gets the stub, which executes nothing.
#include "minijail-shim/exec_stub.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/exec_format.h"
#include "minijail-shim/exec_stub/stub_abi.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/seccomp.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

namespace stub = shim::exec_stub;

std::string FdPath(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

base::ScopedFd MustMakeStub() {
  absl::StatusOr<base::ScopedFd> fd = shim::MakeExecStub();
  EXPECT_TRUE(fd.ok()) << fd.status();
  return fd.ok() ? *std::move(fd) : base::ScopedFd();
}

TEST(ExecStubImageTest, IsASealedElfNobodyCanWrite) {
  base::ScopedFd fd = MustMakeStub();
  ASSERT_TRUE(fd);
  const int seals = fcntl(fd.get(), F_GET_SEALS);
  const int wanted = F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL;
  EXPECT_EQ(seals & wanted, wanted);
  EXPECT_NE(fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0);
  char magic[4] = {};
  ASSERT_EQ(pread(fd.get(), magic, 4, 0), 4);
  EXPECT_EQ(std::string(magic, 4), "\177ELF");
  for (int flags : {O_WRONLY, O_RDWR}) {
    const int w = open(FdPath(fd.get()).c_str(), flags | O_CLOEXEC);
    if (w >= 0) {
      EXPECT_EQ(pwrite(w, "x", 1, 0), -1);
      EXPECT_EQ(errno, EPERM);
      close(w);
    }
  }
  // A static program with no interpreter: nothing else is loaded with it.
  absl::StatusOr<shim::ExecInfo> info = shim::ClassifyExecutable(fd.get());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->format, shim::ExecFormat::kStaticElf);
}

struct StubRun {
  int exit_code = -1;
  std::string out;
  ssize_t report_size = -1;  // 0: end of file, the program was executed
  stub::Report report = {};
};

// Forks, and executes the stub with `argv` ("PROGRAM" and "REPORT" in it
// replaced by the fd numbers) with stdout on a pipe.
StubRun RunStub(const std::vector<std::string>& argv, int program_fd) {
  StubRun run;
  base::ScopedFd stub_fd = MustMakeStub();
  int out[2], report[2];
  EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report), 0);
  std::vector<std::string> args;
  for (const std::string& a : argv) {
    args.push_back(
        absl::StrReplaceAll(a, {{"PROGRAM", absl::StrCat(program_fd)},
                                {"REPORT", absl::StrCat(report[1])}}));
  }
  std::vector<char*> cargv = base::NullTerminated(args);
  char env0[] = "PATH=/bin:/usr/bin";
  char* envp[] = {env0, nullptr};
  const pid_t pid = fork();
  if (pid == 0) {
    // As the child leaves them: not close-on-exec across the stub.
    if (dup2(out[1], 1) < 0 || fcntl(program_fd, F_SETFD, 0) != 0 ||
        fcntl(report[1], F_SETFD, 0) != 0) {
      _exit(125);
    }
    syscall(SYS_execveat, stub_fd.get(), "", cargv.data(), envp, AT_EMPTY_PATH);
    _exit(124);
  }
  close(out[1]);
  close(report[1]);
  run.out = ReadToEof(out[0]);
  close(out[0]);
  run.report_size = recv(report[0], &run.report, sizeof(run.report), 0);
  close(report[0]);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(ExecStubTest, ExecutesTheProgramWithNoneOfItsFds) {
  base::ScopedFd sh(open("/bin/sh", O_PATH | O_CLOEXEC));
  ASSERT_TRUE(sh);
  // The script checks that neither of the stub's fds reached it.
  const std::string script =
      "for fd in PROGRAM REPORT; do [ -e /proc/$$/fd/$fd ] && echo leaked "
      "$fd; done; echo \"$0|$1|$PATH\"";
  StubRun run = RunStub({stub::kArgv0, "PROGRAM", "REPORT", "7", "0", "sh",
                         "-c", script, "zero", "arg"},
                        sh.get());
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.report_size, 0);  // closed by the program's execve
  EXPECT_EQ(run.out, "zero|arg|/bin:/usr/bin\n");
}

TEST(ExecStubTest, ReportsAFailedExecveWithItsTag) {
  ocitest::TempDir dir = ocitest::TempDir::Create("stub").value();
  ASSERT_TRUE(ocitest::WriteFile(dir.Sub("data"), "data\n", 0644).ok());
  base::ScopedFd data(open(dir.Sub("data").c_str(), O_PATH | O_CLOEXEC));
  ASSERT_TRUE(data);
  StubRun run = RunStub(
      {stub::kArgv0, "PROGRAM", "REPORT", "3", "0", "/data", "x"}, data.get());
  EXPECT_EQ(run.exit_code, stub::kFailureExit);
  ASSERT_EQ(run.report_size, static_cast<ssize_t>(sizeof(stub::Report)));
  EXPECT_EQ(run.report.magic, stub::kReportMagic);
  EXPECT_EQ(run.report.stage, stub::kExecveat);
  EXPECT_EQ(run.report.err, EACCES);
  EXPECT_EQ(run.report.tag, 3);
  EXPECT_EQ(run.out, "");
}

TEST(ExecStubTest, AnythingButItsOwnArgvExecutesNothing) {
  base::ScopedFd sh(open("/bin/sh", O_PATH | O_CLOEXEC));
  ASSERT_TRUE(sh);
  const std::vector<std::vector<std::string>> argvs = {
      {"sh", "PROGRAM", "REPORT", "0", "0", "sh", "-c", "echo ran"},
      {stub::kArgv0, "PROGRAM", "REPORT", "0", "0"},  // no program argv
      {stub::kArgv0, "x", "REPORT", "0", "0", "sh", "-c", "echo ran"},
      {stub::kArgv0, "PROGRAM", "-1", "0", "0", "sh", "-c", "echo ran"},
      {stub::kArgv0, "PROGRAM", "REPORT", "99999999999", "0", "sh", "-c",
       "echo"},
      {stub::kArgv0, "PROGRAM", "REPORT", "0", "fork", "sh", "-c", "echo"},
  };
  for (const auto& argv : argvs) {
    StubRun run = RunStub(argv, sh.get());
    EXPECT_EQ(run.exit_code, stub::kFailureExit) << argv[1];
    EXPECT_EQ(run.out, "") << argv[1];
    EXPECT_EQ(run.report_size, 0) << argv[1];  // no report: fds unknown
  }
}

// kForkMode: the stub reports its fork, a child of the stub's parent
// (CLONE_PARENT), and exits; the fork executes the program.
TEST(ExecStubTest, ForkModeReportsTheForkWhichRunsTheProgram) {
  base::ScopedFd sh(open("/bin/sh", O_PATH | O_CLOEXEC));
  ASSERT_TRUE(sh);
  StubRun run = RunStub({stub::kArgv0, "PROGRAM", "REPORT", "2", "1", "sh",
                         "-c", "echo forked; exit 5"},
                        sh.get());
  EXPECT_EQ(run.exit_code, 0);  // the stub itself
  ASSERT_EQ(run.report_size, static_cast<ssize_t>(sizeof(stub::Report)));
  EXPECT_EQ(run.report.magic, stub::kReportMagic);
  EXPECT_EQ(run.report.stage, stub::kForked);
  EXPECT_EQ(run.report.tag, 2);
  const pid_t fork_pid = run.report.value;
  ASSERT_GT(fork_pid, 0);
  int status = 0;
  ASSERT_EQ(waitpid(fork_pid, &status, 0), fork_pid);  // our child
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 5);
  EXPECT_EQ(run.out, "forked\n");
}

shim::SeccompRule Rule(std::vector<std::string> names,
                       const std::string& action) {
  shim::SeccompRule rule;
  rule.names = std::move(names);
  rule.action = action;
  return rule;
}

TEST(SeccompAllowsExecStubTest, OnlyUnconditionalAllows) {
  EXPECT_TRUE(shim::SeccompAllowsExecStub(AllowAll()));
  EXPECT_TRUE(shim::SeccompAllowsExecStub(
      AllowAllBut({"kexec_load"}, "SCMP_ACT_ERRNO", 1)));
  // An allow-list profile, as docker's and podman's: fine when it names all
  // five without conditions.
  shim::SeccompPolicy list;
  list.default_action = "SCMP_ACT_ERRNO";
  list.syscalls.push_back(
      Rule({"read", "openat2", "fcntl", "execveat"}, "SCMP_ACT_ALLOW"));
  list.syscalls.push_back(Rule({"write", "exit_group"}, "SCMP_ACT_ALLOW"));
  EXPECT_TRUE(shim::SeccompAllowsExecStub(list));
  for (const char* name :
       {"openat2", "fcntl", "execveat", "write", "exit_group"}) {
    // Refused by the default action.
    shim::SeccompPolicy missing;
    missing.default_action = "SCMP_ACT_ERRNO";
    for (const char* other :
         {"openat2", "fcntl", "execveat", "write", "exit_group"}) {
      if (std::string(other) != name) {
        missing.syscalls.push_back(Rule({other}, "SCMP_ACT_ALLOW"));
      }
    }
    EXPECT_FALSE(shim::SeccompAllowsExecStub(missing)) << name;
    // Refused, notified or allowed only for some arguments.
    for (const char* action :
         {"SCMP_ACT_ERRNO", "SCMP_ACT_NOTIFY", "SCMP_ACT_KILL"}) {
      EXPECT_FALSE(shim::SeccompAllowsExecStub(AllowAllBut({name}, action, 1)))
          << name << " " << action;
    }
    shim::SeccompPolicy conditional = list;
    shim::SeccompRule rule = Rule({name}, "SCMP_ACT_ALLOW");
    rule.args.push_back({0, 1, 0, "SCMP_CMP_EQ"});
    conditional.syscalls.push_back(rule);
    EXPECT_FALSE(shim::SeccompAllowsExecStub(conditional)) << name;
  }
}

class ExecStubJailTest : public JailTest {
 protected:
  void SetUp() override {
    JailTest::SetUp();
    if (HasFatalFailure()) return;
    stub_ = MustMakeStub();
    ASSERT_TRUE(stub_);
  }
  void TearDown() override {
    stub_.reset();
    JailTest::TearDown();
  }
  shim::JailSpec StubSpec(const std::string& script) const {
    shim::JailSpec spec = ShellSpec(script);
    spec.exec_stub_fd = stub_.get();
    return spec;
  }
  base::ScopedFd stub_;
};

TEST_F(ExecStubJailTest, RefusedWhereOthersCouldReachTheChild) {
  const std::string refusal =
      "jail: exec_stub_fd: only for a program in a pid namespace apart from "
      "ours, started at once, without start hooks, an init, SELinux label "
      "or alt-syscall table";
  shim::JailSpec no_pid_ns = StubSpec("true");
  no_pid_ns.namespaces.erase(no_pid_ns.namespaces.begin() + 1);
  ASSERT_EQ(no_pid_ns.namespaces.size(), 4u);
  shim::JailSpec init = StubSpec("true");
  init.run_as_init = false;
  shim::JailSpec hooks = StubSpec("true");
  hooks.start_hooks.push_back({});
  shim::JailSpec alt = StubSpec("true");
  alt.alt_syscall_table = "android";
  for (const shim::JailSpec* spec : {&no_pid_ns, &init, &hooks, &alt}) {
    absl::StatusOr<shim::Jail> jail = shim::Jail::Start(*spec, {});
    ASSERT_FALSE(jail.ok());
    EXPECT_EQ(jail.status().message(), refusal);
  }
  base::ScopedFd start = ListenForStart();
  shim::JailSpec create = StubSpec("true");
  create.start_fd = start.get();
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(create, {});
  ASSERT_FALSE(jail.ok());
  EXPECT_EQ(jail.status().message(), refusal);
}

TEST_F(ExecStubJailTest, RunsUnderAFilterThatAllowsIt) {
  absl::StatusOr<shim::CompiledSeccomp> bpf =
      shim::CompileSeccomp(AllowAllBut({"kexec_load"}, "SCMP_ACT_ERRNO", 1));
  ASSERT_TRUE(bpf.ok()) << bpf.status();
  shim::JailSpec spec = StubSpec("echo \"$0\" $$; cat /proc/self/comm");
  spec.seccomp_bpf = bpf->program;
  spec.no_new_privs = true;
  EXPECT_EQ(OutputOf(spec), "sh 1\ncat\n");
}

// A dynamic program's ELF interpreter is loaded by path at execve time,
// where /proc/self/exe names what the process runs: the stub, not the
// runtime. The stub, started with the program's argv, executes nothing.
TEST_F(ExecStubJailTest, ElfInterpreterNamingProcSelfExeGetsTheStub) {
  base::ScopedFd host_true(open("/bin/true", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(host_true);
  absl::StatusOr<shim::ExecInfo> info =
      shim::ClassifyExecutable(host_true.get());
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->format, shim::ExecFormat::kDynamicElf)
      << "the host's /bin/true is expected to be dynamically linked";
  const std::string interp = rootfs() + info->interpreter;
  ASSERT_EQ(system(absl::StrCat("mkdir -p $(dirname ", interp, ")").c_str()),
            0);
  ASSERT_EQ(symlink("/proc/self/exe", interp.c_str()), 0);
  ASSERT_EQ(
      system(absl::StrCat("cp /bin/true ", rootfs(), "/dyn_true").c_str()), 0);
  shim::JailSpec spec = StubSpec("");
  spec.argv = {"/dyn_true"};
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.code, stub::kFailureExit);
  EXPECT_EQ(r->out, "");
}

// The stub's own failure comes back as the child's would: a program whose
// interpreter is missing passes the walk, and the stub's execveat fails.
TEST_F(ExecStubJailTest, StubFailureReadsAsAnExecFailure) {
  base::ScopedFd host_true(open("/bin/true", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(host_true);
  ASSERT_EQ(
      system(absl::StrCat("cp /bin/true ", rootfs(), "/dyn_true").c_str()), 0);
  shim::JailSpec spec = StubSpec("");
  spec.argv = {"/dyn_true"};
  const std::string through_stub = StartFailure(spec);
  spec.exec_stub_fd = -1;
  EXPECT_EQ(through_stub, StartFailure(spec));
  EXPECT_EQ(through_stub,
            "jail: exec (/dyn_true): execve: No such file or directory");
}

}  // namespace
}  // namespace shimtest
