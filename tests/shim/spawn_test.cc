// Spawn (hooks), EnterNewMountNamespace and the pidfd helpers.
#include "minijail-shim/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/mount_namespace.h"
#include "minijail-shim/pidfd.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/command.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

struct SpawnOutput {
  int status = -1;
  std::string out;
};

SpawnOutput SpawnAndCollect(shim::SpawnSpec spec) {
  SpawnOutput result;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return result;
  base::ScopedFd r(fds[0]), w(fds[1]);
  spec.stdout_fd = w.get();
  absl::StatusOr<pid_t> pid = shim::Spawn(spec);
  EXPECT_TRUE(pid.ok()) << pid.status();
  if (!pid.ok()) return result;
  w.reset();
  result.out = ReadToEof(r.get());
  int status = 0;
  EXPECT_EQ(waitpid(*pid, &status, 0), *pid);
  result.status = status;
  return result;
}

TEST(SpawnTest, RunsProgramWithArgsAndEnv) {
  shim::SpawnSpec spec;
  spec.argv = {"/bin/busybox",          "sh", "-c",
               "echo \"$1-$GREETING\"", "sh", "arg"};
  spec.env = {"GREETING=hello"};
  SpawnOutput out = SpawnAndCollect(spec);
  EXPECT_EQ(out.out, "arg-hello\n");
  EXPECT_TRUE(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0);
}

// An OCI hook's args[0] is its own: the program comes from `path`.
TEST(SpawnTest, PathIsExecutedWithArgvZeroAsGiven) {
  shim::SpawnSpec spec;
  spec.path = "/bin/busybox";
  spec.argv = {"sh", "-c", "echo \"$0\"", "hook-name"};
  SpawnOutput out = SpawnAndCollect(spec);
  EXPECT_EQ(out.out, "hook-name\n");
  EXPECT_TRUE(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0);
}

TEST(SpawnTest, StdinDefaultsToDevNull) {
  shim::SpawnSpec spec;
  spec.argv = {"/bin/busybox", "wc", "-c"};
  SpawnOutput out = SpawnAndCollect(spec);
  EXPECT_EQ(out.out, "0\n");
}

TEST(SpawnTest, ExecFailureNamesProgram) {
  shim::SpawnSpec spec;
  spec.argv = {"/no/such/hook"};
  absl::StatusOr<pid_t> pid = shim::Spawn(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().message(),
            "spawn /no/such/hook: execve: No such file or directory");
  spec.argv = {"relative"};
  pid = shim::Spawn(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(pid.status()));
}

// Joining a container, the namespaces are the container's but the program
// is the runtime's: the same path in the container's root names another
// file, which must not be the one that runs.
TEST_F(JailTest, SpawnJoinsContainerNamespacesWithTheRuntimesProgram) {
  const std::string prog = dir().Sub("prog");
  ASSERT_TRUE(ocitest::RunCommand({"cp", "/bin/busybox", prog}).ok());
  const std::string in_root = rootfs() + prog;
  ASSERT_TRUE(
      ocitest::RunCommand({"mkdir", "-p", rootfs() + dir().path()}).ok());
  ASSERT_TRUE(
      ocitest::WriteFile(in_root, "#!/bin/sh\necho image\n", 0755).ok());
  shim::JailSpec jspec = ShellSpec("sleep 100");
  jspec.hostname = "insidebox";
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(jspec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  shim::SpawnSpec spec;
  spec.path = prog;
  spec.argv = {"sh", "-c",
               "echo host; hostname; test -e /usr/share || echo inroot"};
  spec.join_namespaces_of = jail->pid();
  SpawnOutput out = SpawnAndCollect(spec);
  EXPECT_EQ(out.out, "host\ninsidebox\ninroot\n");

  // A dynamically linked program would get its loader (and libraries) from
  // the container's root, which is no longer the runtime's: refused.
  spec.path = "/bin/dash";
  absl::StatusOr<pid_t> pid = shim::Spawn(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(pid.status())) << pid.status();
  EXPECT_TRUE(absl::StrContains(pid.status().message(), "ELF interpreter"))
      << pid.status();

  // Not something to open blindly: a FIFO would block the runtime.
  const std::string fifo = dir().Sub("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0700), 0);
  spec.path = fifo;
  pid = shim::Spawn(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().message(),
            absl::StrCat("spawn ", fifo, ": not a regular file"));
  ASSERT_TRUE(jail->Kill(SIGKILL).ok());
  ASSERT_TRUE(jail->Wait().ok());
}

// Before pivot_root (createContainer, prechroot) the container's root is
// still a copy of the runtime's, so dynamically linked hooks and scripts
// run: their loaders are the host's.
TEST_F(JailTest, SpawnBeforePivotRootRunsDynamicProgramsAndScripts) {
  const std::string script = dir().Sub("hook.sh");
  ASSERT_TRUE(
      ocitest::WriteFile(script, "#!/bin/sh\necho script \"$1\"\n", 0755).ok());
  std::string outs;
  shim::JailSpec jspec = ShellSpec("true");
  absl::StatusOr<RunResult> r =
      RunJailed(jspec, [&](shim::SyncPoint point, pid_t pid) -> absl::Status {
        if (point != shim::SyncPoint::kPreChroot) return absl::OkStatus();
        shim::SpawnSpec spec;
        spec.path = "/bin/dash";
        spec.argv = {"dash", "-c", "echo dynamic"};
        spec.join_namespaces_of = pid;
        outs += SpawnAndCollect(spec).out;
        spec.path = script;
        spec.argv = {"hook.sh", "arg"};
        outs += SpawnAndCollect(spec).out;
        return absl::OkStatus();
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(outs, "dynamic\nscript arg\n");
}

// Each spawn leads its own process group when asked, so that a timeout can
// kill what it started too.
TEST(SpawnTest, NewProcessGroup) {
  shim::SpawnSpec spec;
  spec.argv = {"/bin/busybox", "sh", "-c",
               "cut -d' ' -f5 /proc/$$/stat; echo $$"};
  spec.new_process_group = true;
  SpawnOutput out = SpawnAndCollect(spec);
  std::vector<std::string> lines =
      absl::StrSplit(out.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out.out;
  EXPECT_EQ(lines[0], lines[1]) << "pgid is not the pid";
  spec.new_process_group = false;
  out = SpawnAndCollect(spec);
  lines = absl::StrSplit(out.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out.out;
  EXPECT_EQ(lines[0], absl::StrCat(getpgrp()));
}

TEST(MountNamespaceTest, MountsDoNotReachTheParent) {
  absl::StatusOr<ocitest::TempDir> dir = ocitest::TempDir::Create("shimns");
  ASSERT_TRUE(dir.ok());
  const std::string target = dir->path();
  // In a forked child: unsharing would change this test process for good.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    absl::Status s = shim::EnterNewMountNamespace();
    if (!s.ok()) _exit(2);
    if (mount("tmpfs", target.c_str(), "tmpfs", 0, nullptr) != 0) _exit(3);
    if (access((target + "/.").c_str(), F_OK) != 0) _exit(4);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  absl::StatusOr<std::string> info = ocitest::ReadFile("/proc/self/mountinfo");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(absl::StrContains(*info, target));
}

TEST(PidfdTest, OpenSignalAndMissingProcess) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    pause();
    _exit(0);
  }
  absl::StatusOr<base::ScopedFd> fd = shim::PidfdOpen(pid);
  ASSERT_TRUE(fd.ok()) << fd.status();
  EXPECT_TRUE(shim::PidfdSendSignal(fd->get(), SIGTERM).ok());
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  absl::Status s = shim::PidfdSendSignal(fd->get(), SIGTERM);
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_TRUE(absl::IsNotFound(shim::PidfdOpen(pid).status()));
}

}  // namespace
}  // namespace shimtest
