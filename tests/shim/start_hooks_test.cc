// startContainer hooks run by the jailed process itself (JailSpec::
// start_hooks) and the create/start channel (start_channel.h): what a hook
// is (identity, namespaces, seccomp), what it gets (state, env, args), how
// its failures read, and that a timed-out hook's process group dies.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/seccomp.h"
#include "minijail-shim/start_channel.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

using ::testing::HasSubstr;

shim::StartHookSpec ShellHook(int index, const std::string& script) {
  shim::StartHookSpec hook;
  hook.name = absl::StrCat("hook startContainer[", index, "] /bin/sh");
  hook.path = "/bin/sh";
  hook.argv = {"sh", "-c", script};
  return hook;
}

// True once `pid` no longer runs (gone, or a zombie nobody reaped yet).
// Polled: SIGKILL is delivered at once, but the exit completes a moment
// later.
bool IsDead(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    std::string stat =
        ocitest::ReadFile(absl::StrCat("/proc/", pid, "/stat")).value_or("");
    const size_t paren = stat.rfind(')');
    if (stat.empty() ||
        (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0)) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

class StartHooksTest : public JailTest {
 protected:
  shim::JailSpec HookedSpec(const std::string& program,
                            std::vector<shim::StartHookSpec> hooks) {
    shim::JailSpec spec = ShellSpec(program);
    spec.start_hooks = std::move(hooks);
    spec.start_hooks_state = [](pid_t pid) {
      return absl::StrCat("{\"status\":\"created\",\"pid\":", pid, "}");
    };
    return spec;
  }
};

TEST_F(StartHooksTest, HooksRunInOrderWithTheStateArgsAndEnvBeforeTheProgram) {
  shim::StartHookSpec first = ShellHook(0, "cat; echo \" $0 $1 [$FOO]\"");
  first.argv = {"sh", "-c", "cat; echo \" $0 $1 [$FOO]\"", "name0", "arg1"};
  first.env = {"FOO=bar"};
  // Each hook reads the whole state, not what the first one left.
  shim::StartHookSpec second = ShellHook(1, "cat; echo \" [$FOO]\"");
  shim::JailSpec spec = HookedSpec("echo program", {first, second});
  pid_t pid_seen = 0;
  absl::StatusOr<RunResult> r =
      RunJailed(spec, [&](shim::SyncPoint, pid_t pid) {
        pid_seen = pid;
        return absl::OkStatus();
      });
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string state =
      absl::StrCat("{\"status\":\"created\",\"pid\":", pid_seen, "}");
  EXPECT_EQ(r->out, absl::StrCat(state, " name0 arg1 [bar]\n", state,
                                 " []\nprogram\n"));
}

// The point of running them here: a hook from the image is a process of
// the container, with its identity and restrictions, not the runtime's.
TEST_F(StartHooksTest, HooksHaveTheContainersIdentityAndRestrictions) {
  absl::StatusOr<shim::CompiledSeccomp> filter = shim::CompileSeccomp(
      AllowAllBut({"mkdir", "mkdirat"}, "SCMP_ACT_ERRNO", EPERM));
  ASSERT_TRUE(filter.ok()) << filter.status();
  const std::string probe =
      "grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status"
      " | tr -s '\\t' ' '; hostname; test $PPID = 1 && echo pidns; "
      "mkdir /tmp/x 2>/dev/null || echo no-mkdir; true";
  shim::JailSpec spec =
      HookedSpec("true", {ShellHook(0, "cat >/dev/null; " + probe)});
  spec.hostname = "inbox";
  spec.uid = 1000;
  spec.gid = 1001;
  spec.caps = shim::CapSpec{};  // none at all
  spec.no_new_privs = true;
  spec.seccomp_bpf = filter->program;
  EXPECT_EQ(OutputOf(spec),
            "Uid: 1000 1000 1000 1000\nGid: 1001 1001 1001 1001\n"
            "CapEff: 0000000000000000\nCapBnd: 0000000000000000\n"
            "NoNewPrivs: 1\nSeccomp: 2\ninbox\npidns\nno-mkdir\n");
}

TEST_F(StartHooksTest, FailuresNameTheHookAndStopTheProgram) {
  struct Case {
    shim::StartHookSpec hook;
    std::string error;
  };
  shim::StartHookSpec missing = ShellHook(1, "");
  missing.name = "hook startContainer[1] /no/such";
  missing.path = "/no/such";
  shim::StartHookSpec slow = ShellHook(1, "exec sleep 100");
  slow.timeout_seconds = 1;
  for (const Case& c : {
           Case{ShellHook(1, "exit 3"),
                "hook startContainer[1] /bin/sh: exited with status 3"},
           Case{ShellHook(1, "kill -9 $$"),
                "hook startContainer[1] /bin/sh: killed by signal 9"},
           Case{missing,
                "hook startContainer[1] /no/such: execve: No such file or "
                "directory"},
           Case{slow, "hook startContainer[1] /bin/sh: timed out after 1s"},
       }) {
    SCOPED_TRACE(c.error);
    shim::JailSpec spec = HookedSpec("echo program-ran",
                                     {ShellHook(0, "cat >/dev/null"), c.hook});
    EXPECT_EQ(StartFailure(spec), c.error);
  }
}

// A hook that times out dies with everything it started in its process
// group. Without a pid namespace here, so that the pids the hook writes are
// ours to check and nothing but the group kill can have ended them.
TEST_F(StartHooksTest, TimeoutKillsTheHooksProcessGroup) {
  shim::JailSpec spec = HookedSpec(
      "echo program-ran",
      {ShellHook(0, "sleep 1000 & echo $$ $! > /tmp/pids; exec sleep 1000")});
  spec.start_hooks[0].timeout_seconds = 1;
  spec.namespaces.erase(spec.namespaces.begin() + 1);  // CLONE_NEWPID
  spec.mounts.clear();  // a procfs needs the pid namespace it shows
  EXPECT_EQ(StartFailure(spec),
            "hook startContainer[0] /bin/sh: timed out after 1s");
  std::vector<std::string> pids =
      absl::StrSplit(ocitest::ReadFile(rootfs() + "/tmp/pids").value_or(""),
                     ' ', absl::SkipWhitespace());
  ASSERT_EQ(pids.size(), 2u);
  for (const std::string& text : pids) {
    pid_t pid = 0;
    ASSERT_TRUE(absl::SimpleAtoi(text, &pid)) << text;
    EXPECT_TRUE(IsDead(pid)) << "pid " << pid << " survived the timeout";
  }
}

class StartChannelTest : public StartHooksTest {
 protected:
  void SetUp() override {
    StartHooksTest::SetUp();
    dir_fd_.reset(open(dir().path().c_str(), O_PATH | O_DIRECTORY));
    ASSERT_TRUE(dir_fd_);
    absl::StatusOr<base::ScopedFd> fd =
        shim::ListenForStart(dir_fd_.get(), "start.sock");
    ASSERT_TRUE(fd.ok()) << fd.status();
    listening_ = *std::move(fd);
  }

  // Starts `spec` waiting on the socket, its output on a pipe.
  void Create(shim::JailSpec spec) {
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    out_.reset(fds[0]);
    base::ScopedFd write_end(fds[1]);
    spec.start_fd = listening_.get();
    spec.stdout_fd = write_end.get();
    spec.stderr_fd = write_end.get();
    absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, {});
    ASSERT_TRUE(jail.ok()) << jail.status();
    jail_.emplace(*std::move(jail));
    listening_.reset();  // the child holds the only one now
  }

  absl::Status Release() {
    return shim::ReleaseWaitingChild(dir_fd_.get(), "start.sock", "sh");
  }

  bool OutputPending(int ms) {
    struct pollfd pfd = {out_.get(), POLLIN, 0};
    return poll(&pfd, 1, ms) > 0;
  }

  std::string Output() { return ReadToEof(out_.get()); }

  void TearDown() override {
    if (jail_.has_value()) {
      (void)jail_->Kill(SIGKILL);
      (void)jail_->Wait();
    }
    StartHooksTest::TearDown();
  }

  base::ScopedFd dir_fd_, listening_, out_;
  std::optional<shim::Jail> jail_;
};

TEST_F(StartChannelTest, ReleaseRunsTheHooksThenTheProgram) {
  Create(HookedSpec("echo program", {ShellHook(0, "cat; echo")}));
  EXPECT_FALSE(OutputPending(200)) << "ran before start";
  // A connection that goes away before asking does not start it.
  {
    base::ScopedFd stray(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    const std::string path = absl::StrCat(dir().path(), "/start.sock");
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    ASSERT_EQ(
        connect(stray.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
        0);
  }
  EXPECT_FALSE(OutputPending(200)) << "a stray connection started it";
  ASSERT_TRUE(Release().ok());
  EXPECT_EQ(Output(), absl::StrCat("{\"status\":\"created\",\"pid\":",
                                   jail_->pid(), "}\nprogram\n"));
  absl::StatusOr<shim::ExitStatus> status = jail_->Wait();
  jail_.reset();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->code, 0);
  // Started once: nobody listens any more.
  EXPECT_TRUE(absl::IsFailedPrecondition(Release()));
}

TEST_F(StartChannelTest, ReleaseReportsAFailingHook) {
  Create(HookedSpec("echo program", {ShellHook(0, "exit 7")}));
  absl::Status s = Release();
  EXPECT_EQ(s.message(),
            "hook startContainer[0] /bin/sh: exited with status 7");
  absl::StatusOr<shim::ExitStatus> status = jail_->Wait();
  jail_.reset();
  ASSERT_TRUE(status.ok());
  EXPECT_NE(status->ToShellStatus(), 0);
  EXPECT_EQ(Output(), "");
}

TEST_F(StartChannelTest, ReleaseReportsAnExecFailure) {
  // The program exists at create (which checks it) and is gone by start.
  const std::string host_path = absl::StrCat(rootfs(), "/prog");
  ASSERT_EQ(
      link(absl::StrCat(rootfs(), "/bin/busybox").c_str(), host_path.c_str()),
      0);
  shim::JailSpec spec = ShellSpec("");
  spec.argv = {"/prog"};
  Create(spec);
  ASSERT_TRUE(jail_.has_value());  // a failed create has nobody to release
  ASSERT_EQ(unlink(host_path.c_str()), 0);
  absl::Status s =
      shim::ReleaseWaitingChild(dir_fd_.get(), "start.sock", "/prog");
  EXPECT_THAT(s.message(), HasSubstr("exec (/prog)"));
  EXPECT_THAT(s.message(), HasSubstr("No such file or directory"));
}

TEST_F(StartChannelTest, ReleaseOfADeadChildIsFailedPrecondition) {
  Create(ShellSpec("echo program"));
  ASSERT_TRUE(jail_->Kill(SIGKILL).ok());
  ASSERT_TRUE(jail_->Wait().ok());
  jail_.reset();
  absl::Status s = Release();
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
}

}  // namespace
}  // namespace shimtest
