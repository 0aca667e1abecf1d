// CompileSeccomp: name errors, skipped unknown syscalls, and argument
// conditions checked by a jailed program.
#include "minijail-shim/seccomp.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "tests/shim/jail_fixture.h"

namespace shimtest {
namespace {

TEST(CompileSeccompTest, MinimalPolicyCompiles) {
  absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(AllowAll());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->program.empty());
  EXPECT_EQ(c->flags, 0u);
}

TEST(CompileSeccompTest, UnknownNamesAreInvalidArgumentNamingThem) {
  // Each policy with the one name that is wrong in it.
  std::vector<std::pair<shim::SeccompPolicy, std::string>> cases;
  shim::SeccompPolicy p = AllowAll();
  p.default_action = "SCMP_ACT_BOGUS";
  cases.push_back({p, "SCMP_ACT_BOGUS"});
  p = AllowAll();
  p.architectures = {"SCMP_ARCH_VAX"};
  cases.push_back({p, "SCMP_ARCH_VAX"});
  p = AllowAll();
  p.flags = {"SECCOMP_FILTER_FLAG_NOPE"};
  cases.push_back({p, "SECCOMP_FILTER_FLAG_NOPE"});
  p = AllowAllBut({"chmod"}, "SCMP_ACT_ERRNO");
  p.syscalls[0].args.push_back({1, 0777, 0, "SCMP_CMP_ALMOST"});
  cases.push_back({p, "SCMP_CMP_ALMOST"});
  for (const auto& [policy, name] : cases) {
    absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(policy);
    ASSERT_FALSE(c.ok()) << name;
    EXPECT_TRUE(absl::IsInvalidArgument(c.status())) << c.status();
    EXPECT_TRUE(absl::StrContains(c.status().message(), name)) << c.status();
  }
}

TEST(CompileSeccompTest, UnknownSyscallNamesAreSkipped) {
  shim::SeccompPolicy p =
      AllowAllBut({"no_such_syscall_anywhere", "mkdir"}, "SCMP_ACT_ERRNO");
  p.flags = {"SECCOMP_FILTER_FLAG_LOG"};
  absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(p);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->flags, static_cast<unsigned int>(SECCOMP_FILTER_FLAG_LOG));
}

TEST(CompileSeccompTest, EveryFlagTheParserAccepts) {
  // run_oci's parser accepts these four (oci_names.cc); each must compile.
  for (const auto& [name, bit] :
       std::vector<std::pair<std::string, unsigned int>>{
           {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
           {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
           {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
           {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
            SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV}}) {
    shim::SeccompPolicy p = AllowAll();
    p.flags = {name};
    absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(p);
    ASSERT_TRUE(c.ok()) << name << ": " << c.status();
    EXPECT_EQ(c->flags, bit) << name;
  }
}

TEST(CompileSeccompTest, NotifyAsksForAListener) {
  absl::StatusOr<shim::CompiledSeccomp> c =
      shim::CompileSeccomp(AllowAllBut({"mkdir"}, "SCMP_ACT_NOTIFY"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->flags,
            static_cast<unsigned int>(SECCOMP_FILTER_FLAG_NEW_LISTENER));
}

TEST_F(JailTest, SeccompNotifyListenerComesBackFromStart) {
  absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(
      AllowAllBut({"mkdir", "mkdirat"}, "SCMP_ACT_NOTIFY"));
  ASSERT_TRUE(c.ok()) << c.status();
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  base::ScopedFd out_read(fds[0]), out_write(fds[1]);
  shim::JailSpec spec = ShellSpec("mkdir /tmp/x 2>&1; echo done");
  spec.seccomp_bpf = c->program;
  spec.seccomp_flags = c->flags;
  spec.no_new_privs = true;
  spec.stdout_fd = spec.stderr_fd = out_write.get();
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  out_write.reset();
  base::ScopedFd listener = jail->TakeSeccompListener();
  ASSERT_TRUE(listener.is_valid());
  // Answer the one notification (the program's mkdir) with EACCES.
  struct seccomp_notif req;
  memset(&req, 0, sizeof(req));
  ASSERT_EQ(ioctl(listener.get(), SECCOMP_IOCTL_NOTIF_RECV, &req), 0)
      << strerror(errno);
  struct seccomp_notif_resp resp;
  memset(&resp, 0, sizeof(resp));
  resp.id = req.id;
  resp.error = -EACCES;
  ASSERT_EQ(ioctl(listener.get(), SECCOMP_IOCTL_NOTIF_SEND, &resp), 0)
      << strerror(errno);
  const std::string out = ReadToEof(out_read.get());
  EXPECT_TRUE(absl::StrContains(out, "Permission denied")) << out;
  EXPECT_TRUE(absl::EndsWith(out, "done\n")) << out;
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->code, 0);
}

TEST_F(JailTest, SeccompArgumentConditions) {
  // chmod(2)/fchmodat(2) with mode 0777 denied (EACCES), other modes
  // allowed; a default-deny profile would also work but needs a long list.
  shim::SeccompPolicy p = AllowAll();
  p.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
  shim::SeccompRule chmod_rule;
  chmod_rule.names = {"chmod"};
  chmod_rule.action = "SCMP_ACT_ERRNO";
  chmod_rule.errno_ret = 13;
  chmod_rule.args.push_back({1, 0777, 0, "SCMP_CMP_EQ"});
  p.syscalls.push_back(chmod_rule);
  shim::SeccompRule fchmodat_rule = chmod_rule;
  fchmodat_rule.names = {"fchmodat", "fchmodat2"};
  fchmodat_rule.args = {{2, 0777, 0777, "SCMP_CMP_MASKED_EQ"}};
  p.syscalls.push_back(fchmodat_rule);
  absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(p);
  ASSERT_TRUE(c.ok()) << c.status();
  shim::JailSpec spec = ShellSpec(
      "touch /tmp/f; chmod 755 /tmp/f && echo ok755; chmod 777 /tmp/f 2>&1; "
      "stat -c %a /tmp/f");
  spec.seccomp_bpf = c->program;
  spec.no_new_privs = true;
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StartsWith(out, "ok755\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "Permission denied")) << out;
  EXPECT_TRUE(absl::EndsWith(out, "755\n")) << out;
}

}  // namespace
}  // namespace shimtest
