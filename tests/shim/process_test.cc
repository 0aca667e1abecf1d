// Process attributes: capabilities and securebits, no_new_privs, seccomp,
// rlimits, umask, cwd, env, OOM score, personality, sysctls, Chromium's
// alt-syscall, SELinux, fds and the start fd.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/seccomp.h"
#include "minijail-shim/start_channel.h"
#include "tests/shim/jail_fixture.h"

namespace shimtest {
namespace {

using ::testing::StartsWith;

constexpr uint64_t kChown = 1ull << 0;
constexpr uint64_t kKill = 1ull << 5;
constexpr uint64_t kNetBind = 1ull << 10;
constexpr uint64_t kThree = kChown | kKill | kNetBind;  // 0x421
// The sets as /proc/<pid>/status shows them.
constexpr char kThreeHex[] = "0000000000000421";
constexpr char kKillHex[] = "0000000000000020";
constexpr char kNoneHex[] = "0000000000000000";
constexpr char kPrintCaps[] = "grep -E '^Cap' /proc/self/status";

std::string Field(const std::string& out, const std::string& name) {
  const size_t pos = out.find(name + ":");
  if (pos == std::string::npos) return "";
  size_t start = out.find_first_not_of(" \t", pos + name.size() + 1);
  return out.substr(start, out.find('\n', start) - start);
}

// Expects each of `want`'s fields to have its value in `out`.
void ExpectFields(
    const std::string& out,
    const std::vector<std::pair<std::string, std::string>>& want) {
  for (const auto& [name, value] : want) {
    EXPECT_EQ(Field(out, name), value) << name << " in:\n" << out;
  }
}

shim::CapSpec AllSets(uint64_t bits) {
  shim::CapSpec caps;
  caps.bounding = caps.effective = caps.permitted = caps.inheritable =
      caps.ambient = bits;
  return caps;
}

TEST_F(JailTest, CapabilitiesWithAmbientSurviveExecAsRoot) {
  shim::JailSpec spec = ShellSpec(kPrintCaps);
  spec.caps = AllSets(kThree);
  ExpectFields(OutputOf(spec), {{"CapInh", kThreeHex},
                                {"CapPrm", kThreeHex},
                                {"CapEff", kThreeHex},
                                {"CapBnd", kThreeHex},
                                {"CapAmb", kThreeHex}});
}

TEST_F(JailTest, CapabilitiesForNonRootUser) {
  shim::JailSpec spec = ShellSpec(absl::StrCat("id -u; ", kPrintCaps));
  spec.caps = AllSets(kKill);
  spec.uid = 1000;
  spec.gid = 1000;
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StartsWith(out, "1000\n")) << out;
  ExpectFields(
      out, {{"CapEff", kKillHex}, {"CapBnd", kKillHex}, {"CapAmb", kKillHex}});
}

TEST_F(JailTest, SecurebitsNorootMeansNoImplicitRootCaps) {
  // Minijail semantics: without ambient caps a root program keeps nothing.
  shim::JailSpec spec = ShellSpec(kPrintCaps);
  spec.caps = AllSets(kThree);
  spec.caps->ambient = 0;
  ExpectFields(OutputOf(spec), {{"CapEff", kNoneHex}, {"CapBnd", kThreeHex}});
}

TEST_F(JailTest, SecurebitsSkipMaskRestoresRootSemantics) {
  shim::JailSpec spec = ShellSpec(kPrintCaps);
  spec.caps = AllSets(kThree);
  spec.caps->ambient = 0;
  spec.securebits_skip_mask = 0x3;  // SECBIT_NOROOT | SECBIT_NOROOT_LOCKED
  ExpectFields(OutputOf(spec), {{"CapEff", kThreeHex}, {"CapPrm", kThreeHex}});
}

TEST_F(JailTest, CapabilitiesInUserNamespace) {
  shim::JailSpec spec = ShellSpec("grep -E '^Cap(Eff|Bnd)' /proc/self/status");
  AddUserNamespace(&spec, 100000, 100000);
  spec.caps = AllSets(kThree);
  ExpectFields(OutputOf(spec), {{"CapEff", kThreeHex}, {"CapBnd", kThreeHex}});
}

TEST_F(JailTest, SysctlFailureNamesTheKey) {
  shim::JailSpec spec = ShellSpec("true");
  spec.sysctls = {{"net.ipv4.no_such_knob", "1"}};
  EXPECT_EQ(StartFailure(spec),
            "jail: sysctls[0] (net.ipv4.no_such_knob): open: No such file or "
            "directory");
}

TEST_F(JailTest, AmbientOutsideInheritableIsSkippedLikeRunc) {
  // `runc spec`'s default: ambient listed, inheritable empty.
  shim::JailSpec spec = ShellSpec(kPrintCaps);
  spec.caps = AllSets(kThree);
  spec.caps->inheritable = 0;
  spec.securebits_skip_mask = 0x3;  // SECBIT_NOROOT | SECBIT_NOROOT_LOCKED
  ExpectFields(OutputOf(spec), {{"CapAmb", kNoneHex},
                                {"CapInh", kNoneHex},
                                {"CapEff", kThreeHex},
                                {"CapBnd", kThreeHex}});
}

TEST_F(JailTest, EffectiveOutsidePermittedIsRejected) {
  shim::JailSpec spec = ShellSpec("true");
  spec.caps = AllSets(kKill);
  spec.caps->effective = kThree;
  EXPECT_EQ(StartFailure(spec),
            "jail: capabilities: effective must be a subset of permitted");
}

shim::SeccompPolicy DenyMkdir() {
  shim::SeccompPolicy policy =
      AllowAllBut({"mkdir", "mkdirat"}, "SCMP_ACT_ERRNO", EPERM);
  policy.architectures = {"SCMP_ARCH_X86_64"};
  return policy;
}

TEST_F(JailTest, SeccompDeniesWithConfiguredErrno) {
  absl::StatusOr<shim::CompiledSeccomp> bpf = shim::CompileSeccomp(DenyMkdir());
  ASSERT_TRUE(bpf.ok()) << bpf.status();
  shim::JailSpec spec = ShellSpec(
      "grep -E '^(NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status; "
      "mkdir /tmp/x 2>&1; true");
  spec.seccomp_bpf = bpf->program;
  spec.seccomp_flags = bpf->flags;
  spec.no_new_privs = true;
  const std::string out = OutputOf(spec);
  ExpectFields(
      out, {{"NoNewPrivs", "1"}, {"Seccomp", "2"}, {"Seccomp_filters", "1"}});
  EXPECT_TRUE(absl::StrContains(out, "Operation not permitted")) << out;
}

TEST_F(JailTest, SeccompWithoutNoNewPrivsLoadsBeforeDroppingCaps) {
  absl::StatusOr<shim::CompiledSeccomp> bpf = shim::CompileSeccomp(DenyMkdir());
  ASSERT_TRUE(bpf.ok()) << bpf.status();
  shim::JailSpec spec = ShellSpec(
      "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; id -u; "
      "mkdir /tmp/x 2>&1; true");
  spec.seccomp_bpf = bpf->program;
  spec.caps = shim::CapSpec{};  // no capabilities at all
  spec.uid = 1000;
  const std::string out = OutputOf(spec);
  ExpectFields(out, {{"NoNewPrivs", "0"}, {"Seccomp", "2"}});
  EXPECT_TRUE(absl::StrContains(out, "1000\n"));
  EXPECT_TRUE(absl::StrContains(out, "Operation not permitted")) << out;
}

TEST_F(JailTest, ChildKilledDuringSetupIsReported) {
  // Kill the process on its first socket send after the filter: the kReady
  // report. Start must fail with the signal and leave nothing behind.
  absl::StatusOr<shim::CompiledSeccomp> c = shim::CompileSeccomp(
      AllowAllBut({"sendto", "sendmsg"}, "SCMP_ACT_KILL_PROCESS"));
  ASSERT_TRUE(c.ok()) << c.status();
  shim::JailSpec spec = ShellSpec("true");
  spec.seccomp_bpf = c->program;
  spec.no_new_privs = true;
  EXPECT_EQ(StartFailure(spec),
            "jail: the child exited during setup without reporting why "
            "(killed by signal 31)");
}

TEST_F(JailTest, RlimitsUmaskCwdEnv) {
  shim::JailSpec spec =
      ShellSpec("ulimit -n; ulimit -c; umask; pwd; echo \"$FOO\"");
  spec.rlimits = {{RLIMIT_NOFILE, 1234, 1234},
                  {RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY}};
  spec.umask = 027;
  spec.cwd = "/tmp";
  spec.env.push_back("FOO=bar baz");
  EXPECT_EQ(OutputOf(spec), "1234\nunlimited\n0027\n/tmp\nbar baz\n");
}

// The parent sets rlimits with prlimit(2) while the child still has its
// ids: for a process that switched ids it would need CAP_SYS_RESOURCE,
// which a root runtime may lack (the CI host does).
TEST_F(JailTest, RlimitsApplyToAnotherUser) {
  shim::JailSpec spec = ShellSpec("id -u; id -g; ulimit -n");
  spec.uid = 65534;
  spec.gid = 65534;
  spec.rlimits = {{RLIMIT_NOFILE, 512, 512}};
  EXPECT_EQ(OutputOf(spec), "65534\n65534\n512\n");
}

// Without a user namespace the child sets its rlimits and OOM score on
// itself, before kCloned; a refusal is still one line naming the entry.
TEST_F(JailTest, RlimitRefusedByTheKernelNamesTheEntry) {
  shim::JailSpec spec = ShellSpec("true");
  // Above fs.nr_open: refused whatever the capabilities.
  spec.rlimits = {{RLIMIT_CORE, 0, 0},
                  {RLIMIT_NOFILE, 1024, RLIM_INFINITY - 1}};
  EXPECT_EQ(StartFailure(spec),
            "jail: rlimits[1] (resource 7): syscall: Operation not permitted");
}

// In a user namespace the child has no say over them: the parent still
// sets both at kCloned, before the id maps make the child another user.
TEST_F(JailTest, RlimitsAndOomScoreInAUserNamespace) {
  shim::JailSpec spec =
      ShellSpec("id -u; ulimit -n; cat /proc/self/oom_score_adj");
  AddUserNamespace(&spec, 0, 0);
  spec.rlimits = {{RLIMIT_NOFILE, 777, 777}};
  spec.oom_score_adj = 321;
  EXPECT_EQ(OutputOf(spec), "0\n777\n321\n");
}

TEST_F(JailTest, HomeComesFromPasswdWhenUnset) {
  shim::JailSpec spec = ShellSpec("echo \"$HOME\"");
  spec.env = {"PATH=/bin"};
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "/root\n");  // root's entry in the busybox rootfs
  spec.uid = 4242;               // no entry
  r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "/\n");
  spec.env.push_back("HOME=/custom");
  r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "/custom\n");
}

TEST_F(JailTest, MissingCwdFails) {
  shim::JailSpec spec = ShellSpec("true");
  spec.cwd = "/no/such/dir";
  EXPECT_EQ(StartFailure(spec),
            "jail: process.cwd /no/such/dir: resolve in root: No such file or "
            "directory");
}

TEST_F(JailTest, OomScorePersonalitySysctlsCoreSched) {
  shim::JailSpec spec = ShellSpec(
      "cat /proc/self/oom_score_adj; uname -m; "
      "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced");
  spec.oom_score_adj = 500;
  spec.personality = PER_LINUX32;
  spec.sysctls = {{"net.ipv4.ip_forward", "1"},
                  {"kernel.shm_rmid_forced", "1"}};
  spec.core_sched = true;
  EXPECT_EQ(OutputOf(spec), "500\ni686\n1\n1\n");
}

TEST_F(JailTest, AltSyscallIsNotSupportedHere) {
  shim::JailSpec spec = ShellSpec("true");
  spec.alt_syscall_table = "android";
  EXPECT_EQ(StartFailure(spec),
            "jail: alt-syscall table android: not supported by this kernel");
}

TEST_F(JailTest, SelinuxLabelWithoutSelinuxFails) {
  ASSERT_NE(access("/sys/fs/selinux/enforce", F_OK), 0)
      << "this test expects a host without SELinux";
  shim::JailSpec spec = ShellSpec("true");
  spec.selinux_label = "system_u:system_r:container_t:s0";
  EXPECT_THAT(StartFailure(spec),
              StartsWith("jail: selinux label set but SELinux is not enabled"));
}

TEST_F(JailTest, OnlyStdioAndKeepFdsReachTheProgram) {
  int in[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  base::ScopedFd in_read(in[0]), in_write(in[1]);
  ASSERT_EQ(write(in_write.get(), "from-stdin\n", 11), 11);
  in_write.reset();
  // One kept fd and one stray, both without O_CLOEXEC.
  base::ScopedFd kept(fcntl(STDERR_FILENO, F_DUPFD, 20));
  base::ScopedFd stray(open("/dev/null", O_RDONLY));
  ASSERT_TRUE(kept && stray);
  // exec: ls sees exactly the fds the shell got, plus its own directory fd.
  shim::JailSpec spec = ShellSpec("cat; exec ls /proc/self/fd");
  spec.stdin_fd = in_read.get();
  spec.keep_fds = {kept.get()};
  EXPECT_EQ(OutputOf(spec),
            absl::StrCat("from-stdin\n0\n1\n2\n", kept.get(), "\n3\n"));
}

TEST_F(JailTest, StartFdHoldsTheProgramUntilReleased) {
  base::ScopedFd dir_fd(open(dir().path().c_str(), O_PATH | O_DIRECTORY));
  absl::StatusOr<base::ScopedFd> listening =
      shim::ListenForStart(dir_fd.get(), "start.sock");
  ASSERT_TRUE(listening.ok()) << listening.status();
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  base::ScopedFd out_read(out[0]), out_write(out[1]);
  shim::JailSpec spec = ShellSpec("echo started");
  spec.start_fd = listening->get();
  spec.stdout_fd = out_write.get();
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  out_write.reset();
  listening->reset();
  struct pollfd pfd = {out_read.get(), POLLIN, 0};
  EXPECT_EQ(poll(&pfd, 1, 300), 0) << "the program ran before start";
  ASSERT_TRUE(shim::ReleaseWaitingChild(dir_fd.get(), "start.sock", "sh").ok());
  char buf[64];
  ssize_t n = read(out_read.get(), buf, sizeof(buf));
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, n), "started\n");
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->code, 0);
}

}  // namespace
}  // namespace shimtest
