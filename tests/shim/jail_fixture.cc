#include "tests/shim/jail_fixture.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/start_channel.h"
#include "tests/testing/rootfs.h"

namespace shimtest {

std::string ReadToEof(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, n);
  }
}

absl::StatusOr<RunResult> RunJailed(shim::JailSpec spec,
                                    const shim::SyncCallback& on_sync) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", strerror(errno)));
  }
  base::ScopedFd read_end(fds[0]);
  base::ScopedFd write_end(fds[1]);
  spec.stdout_fd = write_end.get();
  if (spec.stderr_fd < 0) spec.stderr_fd = write_end.get();
  ASSIGN_OR_RETURN(shim::Jail jail, shim::Jail::Start(spec, on_sync));
  write_end.reset();
  RunResult result;
  result.out = ReadToEof(read_end.get());
  ASSIGN_OR_RETURN(result.status, jail.Wait());
  return result;
}

std::string OutputOf(const shim::JailSpec& spec) {
  absl::StatusOr<RunResult> r = RunJailed(spec);
  if (!r.ok()) {
    ADD_FAILURE() << r.status();
    return "";
  }
  return r->out;
}

std::string StartFailure(const shim::JailSpec& spec) {
  absl::StatusOr<RunResult> r = RunJailed(spec);
  if (r.ok()) {
    ADD_FAILURE() << "the jail started; it printed: " << r->out;
    return "";
  }
  return std::string(r.status().message());
}

shim::MountSpec MakeMount(const std::string& source, const std::string& target,
                          const std::string& type, unsigned long flags,
                          const std::string& data) {
  return shim::MountSpec{source, target, type, flags, /*propagation=*/0, data};
}

shim::MountSpec Bind(const std::string& source, const std::string& target,
                     unsigned long flags) {
  return MakeMount(source, target, "bind", MS_BIND | MS_REC | flags);
}

void AddUserNamespace(shim::JailSpec* spec, uint32_t uid_base,
                      uint32_t gid_base) {
  spec->namespaces.push_back({CLONE_NEWUSER, ""});
  spec->uid_map = {{0, uid_base, 65536}};
  spec->gid_map = {{0, gid_base, 65536}};
}

shim::SeccompPolicy AllowAll() {
  shim::SeccompPolicy policy;
  policy.default_action = "SCMP_ACT_ALLOW";
  return policy;
}

shim::SeccompPolicy AllowAllBut(std::vector<std::string> names,
                                const std::string& action,
                                std::optional<uint32_t> errno_ret) {
  shim::SeccompPolicy policy = AllowAll();
  shim::SeccompRule rule;
  rule.names = std::move(names);
  rule.action = action;
  rule.errno_ret = errno_ret;
  policy.syscalls.push_back(std::move(rule));
  return policy;
}

void JailTest::SetUp() {
  absl::StatusOr<ocitest::TempDir> dir = ocitest::TempDir::Create("shimtest");
  ASSERT_TRUE(dir.ok()) << dir.status();
  dir_ = std::make_unique<ocitest::TempDir>(std::move(*dir));
  leaks_ = std::make_unique<ocitest::LeakChecker>(
      std::vector<std::string>{dir_->path()});
  absl::Status s = ocitest::MakeBusyboxRootfs(rootfs());
  ASSERT_TRUE(s.ok()) << s;
}

void JailTest::TearDown() {
  if (leaks_ != nullptr) {
    EXPECT_EQ(leaks_->FindLeaks(), "");
  }
}

shim::JailSpec JailTest::ShellSpec(const std::string& script) const {
  shim::JailSpec spec;
  for (int flag :
       {CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET}) {
    spec.namespaces.push_back({flag, ""});
  }
  spec.rootfs = rootfs();
  spec.mounts.push_back(MakeMount("proc", "/proc", "proc"));
  spec.default_dev = true;
  spec.argv = {"sh", "-c", script};
  spec.env = {"PATH=/bin:/sbin", "HOME=/root"};
  return spec;
}

std::string JailTest::RunShell(const std::string& script) {
  absl::StatusOr<RunResult> r = RunJailed(ShellSpec(script));
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return "";
  EXPECT_EQ(r->status.ToShellStatus(), 0) << r->out;
  return r->out;
}

base::ScopedFd JailTest::ListenForStart() {
  base::ScopedFd dir(
      open(dir_->path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  EXPECT_TRUE(dir);
  absl::StatusOr<base::ScopedFd> fd =
      shim::ListenForStart(dir.get(), "start.sock");
  EXPECT_TRUE(fd.ok()) << fd.status();
  return fd.ok() ? *std::move(fd) : base::ScopedFd();
}

absl::Status JailTest::ReleaseStart(const std::string& program) {
  base::ScopedFd dir(
      open(dir_->path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  return shim::ReleaseWaitingChild(dir.get(), "start.sock", program);
}

}  // namespace shimtest
