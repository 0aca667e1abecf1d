// The child's fds and its cwd (CVE-2024-21626): the runtime's fds are
// closed for real before the cwd is entered, the cwd is resolved inside
// the root without magic links, and what the waiting child and the
// run_as_init=false init hold, seen from outside through /proc/<pid>/fd.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/seccomp.h"
#include "minijail-shim/seccomp_policy.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/proc_fds.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

using ocitest::FdsOf;
using ocitest::WaitUntilBlockedIn;

constexpr char kMagicLinkHint[] =
    "Too many levels of symbolic links (a symlink loop, or a /proc magic "
    "link such as /proc/self/fd/N or /proc/self/exe, which is not followed)";

std::string Describe(const std::map<int, std::string>& fds) {
  std::string out;
  for (const auto& [fd, target] : fds)
    absl::StrAppend(&out, fd, "->", target, " ");
  return out;
}

TEST_F(JailTest, CwdThroughAMagicLinkIsRefused) {
  ASSERT_EQ(symlink("/proc/self/fd/1", (rootfs() + "/evil").c_str()), 0);
  ASSERT_EQ(symlink("proc/self/cwd", (rootfs() + "/evil2").c_str()), 0);
  for (const char* cwd : {"/proc/self/fd/1", "/proc/self/cwd",
                          "/proc/1/root/tmp", "/evil", "/evil2/tmp"}) {
    shim::JailSpec spec = ShellSpec("pwd");
    spec.cwd = cwd;
    EXPECT_EQ(StartFailure(spec),
              absl::StrCat("jail: process.cwd ", cwd,
                           ": resolve in root: ", kMagicLinkHint));
  }
}

TEST_F(JailTest, CwdSymlinksAndDotDotStayInTheRoot) {
  ASSERT_EQ(mkdir((rootfs() + "/tmp/inside").c_str(), 0755), 0);
  ASSERT_EQ(symlink("/../../../../tmp/inside", (rootfs() + "/abs").c_str()), 0);
  ASSERT_EQ(
      symlink("../../../../../tmp/inside", (rootfs() + "/root/rel").c_str()),
      0);
  for (const char* cwd : {"/abs", "/root/rel", "/../../tmp/inside/.",
                          "/tmp/inside/../../tmp/inside"}) {
    shim::JailSpec spec = ShellSpec("pwd -P");
    spec.cwd = cwd;
    absl::StatusOr<RunResult> r = RunJailed(spec);
    ASSERT_TRUE(r.ok()) << cwd << ": " << r.status();
    EXPECT_EQ(r->out, "/tmp/inside\n") << cwd;
  }
}

TEST_F(JailTest, WithoutOpenat2TheGetcwdCheckStillRefusesAHostCwd) {
  // A profile that refuses openat2 (EPERM) gets chdir and plain execve;
  // /proc/<this test>/cwd in the host's pid namespace is a host directory,
  // which chdir follows, and getcwd's "(unreachable)" stops it.
  absl::StatusOr<shim::CompiledSeccomp> bpf =
      shim::CompileSeccomp(AllowAllBut({"openat2"}, "SCMP_ACT_ERRNO", EPERM));
  ASSERT_TRUE(bpf.ok()) << bpf.status();
  shim::JailSpec spec = ShellSpec("pwd");
  spec.namespaces.erase(spec.namespaces.begin() + 1);  // no CLONE_NEWPID
  ASSERT_EQ(spec.namespaces.size(), 4u);
  spec.seccomp_bpf = bpf->program;  // loaded before the cwd: no NNP
  spec.cwd = absl::StrCat("/proc/", getpid(), "/cwd");
  EXPECT_EQ(StartFailure(spec),
            absl::StrCat("jail: process.cwd ", spec.cwd,
                         ": resolves outside the container's root"));
  // The same fallbacks with an ordinary cwd: chdir, then execve by path.
  spec.cwd = "/tmp";
  EXPECT_EQ(OutputOf(spec), "/tmp\n");
}

TEST_F(JailTest, CwdInANonDirectoryFails) {
  shim::JailSpec spec = ShellSpec("true");
  spec.cwd = "/etc/passwd";
  EXPECT_EQ(StartFailure(spec),
            "jail: process.cwd /etc/passwd: chdir: Not a directory");
}

TEST_F(JailTest, ParentDirectoryFdsAreClosedBeforeTheCwd) {
  // Directories outside the rootfs, held the way the runtime holds its
  // (close-on-exec) and one without the flag.
  ASSERT_TRUE(ocitest::WriteFile(dir().Sub("canary"), "host secret").ok());
  base::ScopedFd cloexec(
      open(dir().path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  base::ScopedFd inherited(open(dir().path().c_str(), O_RDONLY | O_DIRECTORY));
  base::ScopedFd path_fd(open(dir().path().c_str(), O_PATH | O_CLOEXEC));
  ASSERT_TRUE(cloexec && inherited && path_fd);
  for (int fd : {cloexec.get(), inherited.get(), path_fd.get()}) {
    shim::JailSpec spec = ShellSpec("cat ../canary; cat canary; pwd");
    spec.cwd = absl::StrCat("/proc/self/fd/", fd);
    const std::string failure = StartFailure(spec);
    // Closed: ENOENT; or the number was reused by the child for one of its
    // own fds, which the lookup refuses as a magic link.
    const std::string prefix = absl::StrCat("jail: process.cwd /proc/self/fd/",
                                            fd, ": resolve in root: ");
    EXPECT_TRUE(failure == prefix + "No such file or directory" ||
                failure == prefix + kMagicLinkHint)
        << fd << ": " << failure;
  }
}

TEST_F(JailTest, WaitingChildHoldsOnlyStdioSyncStartAndKeepFds) {
  base::ScopedFd start_read = ListenForStart();
  ASSERT_TRUE(start_read);
  base::ScopedFd stray_dir(open("/", O_RDONLY | O_DIRECTORY));
  base::ScopedFd stray_cloexec(open("/", O_PATH | O_CLOEXEC));
  base::ScopedFd kept(open("/dev/null", O_RDONLY));
  ASSERT_TRUE(stray_dir && stray_cloexec && kept);
  shim::JailSpec spec = ShellSpec("true");
  spec.start_fd = start_read.get();
  spec.keep_fds = {kept.get()};
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  start_read.reset();  // the child holds the listening socket now
  // Past kReady every checkpoint is done: the child blocks in accept.
  std::map<int, std::string> fds = FdsOf(jail->pid());
  const std::string all = Describe(fds);
  int sockets = 0;
  for (const auto& [fd, target] : fds) {
    if (fd <= 2 || fd == kept.get()) continue;
    // The sync socket and the listening start socket.
    EXPECT_TRUE(absl::StartsWith(target, "socket:")) << all;
    ++sockets;
  }
  EXPECT_EQ(sockets, 2) << all;
  EXPECT_EQ(fds.size(), 6u) << all;
  EXPECT_EQ(fds[kept.get()], "/dev/null") << all;
  ASSERT_TRUE(ReleaseStart("true").ok());
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->code, 0);
}

TEST_F(JailTest, InitWithoutRunAsInitHoldsOnlyStdio) {
  int in[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  base::ScopedFd in_read(in[0]), in_write(in[1]);
  base::ScopedFd kept(open("/dev/null", O_RDONLY));
  ASSERT_TRUE(kept);
  // The program waits for a line on stdin, then lists its own fds.
  shim::JailSpec spec = ShellSpec("read line; exec ls /proc/self/fd");
  spec.run_as_init = false;
  spec.stdin_fd = in_read.get();
  spec.keep_fds = {kept.get()};
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  base::ScopedFd out_read(out[0]), out_write(out[1]);
  spec.stdout_fd = out_write.get();
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  out_write.reset();
  in_read.reset();
  // Once the init sits in sigwaitinfo it is past everything it does first.
  ASSERT_TRUE(WaitUntilBlockedIn(jail->pid(), SYS_rt_sigtimedwait));
  std::map<int, std::string> fds = FdsOf(jail->pid());
  EXPECT_EQ(fds.size(), 3u) << Describe(fds);
  for (int fd : {0, 1, 2}) EXPECT_EQ(fds.count(fd), 1u) << Describe(fds);
  ASSERT_EQ(write(in_write.get(), "go\n", 3), 3);
  in_write.reset();
  const std::string listing = ReadToEof(out_read.get());
  // The program: stdio, its keep fd, and ls's own directory fd (3).
  std::set<int> program_fds;
  for (absl::string_view line :
       absl::StrSplit(listing, '\n', absl::SkipEmpty())) {
    int fd = -1;
    EXPECT_TRUE(absl::SimpleAtoi(line, &fd)) << listing;
    program_fds.insert(fd);
  }
  EXPECT_EQ(program_fds, (std::set<int>{0, 1, 2, 3, kept.get()})) << listing;
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->code, 0);
}

}  // namespace
}  // namespace shimtest
