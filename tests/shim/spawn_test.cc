// Spawn (hooks), EnterNewMountNamespace and the pidfd helpers.
#include "minijail-shim/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/mount_namespace.h"
#include "minijail-shim/pidfd.h"
#include "minijail-shim/scoped_fd.h"
#include "tests/shim/jail_fixture.h"
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
  shim::ScopedFd r(fds[0]), w(fds[1]);
  spec.stdout_fd = w.get();
  absl::StatusOr<pid_t> pid = shim::Spawn(spec);
  EXPECT_TRUE(pid.ok()) << pid.status();
  if (!pid.ok()) return result;
  w.reset();
  char buf[256];
  ssize_t n;
  while ((n = read(r.get(), buf, sizeof(buf))) > 0) result.out.append(buf, n);
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

TEST_F(JailTest, SpawnJoinsContainerNamespaces) {
  shim::JailSpec jspec = ShellSpec("sleep 100");
  jspec.hostname = "insidebox";
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(jspec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  shim::SpawnSpec spec;
  // Resolved in the container's mount namespace: the busybox rootfs.
  spec.argv = {"/bin/sh", "-c", "hostname; test -e /usr/share || echo inroot"};
  spec.join_namespaces_of = jail->pid();
  SpawnOutput out = SpawnAndCollect(spec);
  EXPECT_EQ(out.out, "insidebox\ninroot\n");
  ASSERT_TRUE(jail->Kill(SIGKILL).ok());
  ASSERT_TRUE(jail->Wait().ok());
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
  absl::StatusOr<shim::ScopedFd> fd = shim::PidfdOpen(pid);
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
