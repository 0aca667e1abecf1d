// Namespaces: new ones in one clone3, joined ones by path, user namespace id
// maps, and the optional reaping init.
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace shimtest {
namespace {

using ::testing::StartsWith;

std::string NsLink(const std::string& proc_pid, const char* ns) {
  char buf[128];
  const std::string path = absl::StrCat(proc_pid, "/ns/", ns);
  const ssize_t n = readlink(path.c_str(), buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, n) : "";
}

// RunJailed(spec) with its namespace `ns` (of `clone_flag`) joined by path
// from a holder, a long-running jail of `holder_spec` killed afterwards;
// `holder_link` gets the holder's link for that namespace.
absl::StatusOr<RunResult> RunJoiningHolder(const shim::JailSpec& holder_spec,
                                           shim::JailSpec spec, int clone_flag,
                                           const char* ns,
                                           std::string* holder_link) {
  ASSIGN_OR_RETURN(shim::Jail holder, shim::Jail::Start(holder_spec, {}));
  const std::string holder_proc = absl::StrCat("/proc/", holder.pid());
  *holder_link = NsLink(holder_proc, ns);
  for (shim::NamespaceSpec& joined : spec.namespaces) {
    if (joined.clone_flag == clone_flag) {
      joined.path = absl::StrCat(holder_proc, "/ns/", ns);
    }
  }
  absl::StatusOr<RunResult> r = RunJailed(spec);
  RETURN_IF_ERROR(holder.Kill(SIGKILL));
  RETURN_IF_ERROR(holder.Wait().status());
  return r;
}

// A program that prints its links for the namespaces `joined` and `fresh`,
// then its pid.
std::string LinksAndPid(const char* joined, const char* fresh) {
  return absl::StrCat("readlink /proc/self/ns/", joined,
                      "; readlink /proc/self/ns/", fresh, "; echo $$");
}

// Runs `spec`, a LinksAndPid(joined, fresh) program, with `joined` (of
// `joined_flag`) taken from a holder of `holder_spec`: it must see the
// holder's `joined`, a `fresh` of its own, and be pid 1 of a new pid
// namespace (made by the extra fork).
void ExpectJoinedAndFresh(const shim::JailSpec& holder_spec,
                          const shim::JailSpec& spec, int joined_flag,
                          const char* joined, const char* fresh) {
  std::string want;
  absl::StatusOr<RunResult> r =
      RunJoiningHolder(holder_spec, spec, joined_flag, joined, &want);
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> lines =
      absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << r->out;
  EXPECT_EQ(lines[0], want);
  EXPECT_NE(lines[1], NsLink("/proc/self", fresh));
  EXPECT_EQ(lines[2], "1");
}

TEST_F(JailTest, EveryNamespaceIsNew) {
  shim::JailSpec spec = ShellSpec(
      "for n in mnt pid uts ipc net cgroup time; do readlink /proc/self/ns/$n; "
      "done");
  spec.namespaces.push_back({CLONE_NEWCGROUP, ""});
  spec.namespaces.push_back({CLONE_NEWTIME, ""});
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  std::vector<std::string> lines =
      absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  const char* names[] = {"mnt", "pid", "uts", "ipc", "net", "cgroup", "time"};
  ASSERT_EQ(lines.size(), 7u) << r->out;
  for (int i = 0; i < 7; ++i) {
    EXPECT_TRUE(absl::StartsWith(lines[i], names[i])) << lines[i];
    EXPECT_NE(lines[i], NsLink("/proc/self", names[i])) << names[i];
  }
}

TEST_F(JailTest, HostnameAndDomainname) {
  shim::JailSpec spec = ShellSpec("hostname; cat /proc/sys/kernel/domainname");
  spec.hostname = "jailhost";
  spec.domainname = "jaildomain";
  EXPECT_EQ(OutputOf(spec), "jailhost\njaildomain\n");
}

TEST_F(JailTest, HostnameNeedsNewUtsNamespace) {
  shim::JailSpec spec = ShellSpec("true");
  spec.namespaces.erase(spec.namespaces.begin() + 2);  // CLONE_NEWUTS
  spec.hostname = "x";
  EXPECT_EQ(StartFailure(spec),
            "jail: hostname/domainname: needs a new UTS namespace");
}

TEST_F(JailTest, UserNamespaceMaps) {
  shim::JailSpec spec =
      ShellSpec("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g");
  AddUserNamespace(&spec, 100000, 200000);
  // The rootfs must be reachable by the mapped root.
  ASSERT_EQ(chown(rootfs().c_str(), 100000, 200000), 0);
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  std::vector<std::string> lines =
      absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << r->out;
  EXPECT_EQ(
      absl::StrJoin(absl::StrSplit(lines[0], ' ', absl::SkipEmpty()), " "),
      "0 100000 65536");
  EXPECT_EQ(
      absl::StrJoin(absl::StrSplit(lines[1], ' ', absl::SkipEmpty()), " "),
      "0 200000 65536");
  EXPECT_EQ(lines[2], "0");
  EXPECT_EQ(lines[3], "0");
}

// Until execve the child is non-dumpable, so at every sync point its
// /proc/<pid> files belong to host root, not to the container's root
// (100000 here): a container process cannot open the half-set-up child
// through /proc. (The shim's PR_SET_DUMPABLE covers the steps before the
// uid switch; the kernel also clears it on the switch itself.) After execve
// the program is dumpable again and owns them, seen inside as uid 0 (host
// root would show as the overflow uid 65534).
TEST_F(JailTest, ChildIsNonDumpableUntilExecve) {
  shim::JailSpec spec = ShellSpec("stat -c %u /proc/self/environ");
  AddUserNamespace(&spec, 100000, 100000);
  ASSERT_EQ(chown(rootfs().c_str(), 100000, 100000), 0);
  std::vector<std::string> owners;
  absl::StatusOr<RunResult> r =
      RunJailed(spec, [&](shim::SyncPoint point, pid_t pid) {
        struct stat st;
        std::string path = absl::StrCat("/proc/", pid, "/environ");
        if (stat(path.c_str(), &st) != 0) {
          return absl::InternalError(absl::StrCat("stat ", path));
        }
        owners.push_back(absl::StrCat(st.st_uid));
        return absl::OkStatus();
      });
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  EXPECT_EQ(owners, (std::vector<std::string>{"0", "0", "0"}));
  EXPECT_EQ(r->out, "0\n");
}

TEST_F(JailTest, UserNamespaceWithUidChangeSeesMappedIds) {
  shim::JailSpec spec = ShellSpec("id -u; id -g; id -G");
  AddUserNamespace(&spec, 100000, 100000);
  spec.uid = 1000;
  spec.gid = 1001;
  spec.additional_gids = {1002, 1003};
  EXPECT_EQ(OutputOf(spec), "1000\n1001\n1001 1002 1003\n");
}

TEST_F(JailTest, JoinNetworkNamespaceByPathWithNewUserNamespace) {
  // A long-running holder of a fresh network namespace to join.
  shim::JailSpec spec = ShellSpec(LinksAndPid("net", "user"));
  AddUserNamespace(&spec, 0, 0);
  ExpectJoinedAndFresh(ShellSpec("sleep 100"), spec, CLONE_NEWNET, "net",
                       "user");
}

TEST_F(JailTest, JoinPidNamespaceByPath) {
  std::string want;
  absl::StatusOr<RunResult> r = RunJoiningHolder(
      ShellSpec("sleep 100"), ShellSpec("readlink /proc/self/ns/pid"),
      CLONE_NEWPID, "pid", &want);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, want + "\n");
}

TEST_F(JailTest, JoinedNamespaceWithNewTimeAndPidNamespaces) {
  shim::JailSpec spec = ShellSpec(LinksAndPid("uts", "time"));
  spec.namespaces.push_back({CLONE_NEWTIME, ""});
  ExpectJoinedAndFresh(ShellSpec("sleep 100"), spec, CLONE_NEWUTS, "uts",
                       "time");
}

TEST_F(JailTest, TimeNamespaceOffsets) {
  shim::JailSpec spec = ShellSpec("cut -d. -f1 /proc/uptime; echo $$");
  spec.namespaces.push_back({CLONE_NEWTIME, ""});
  spec.time_offsets = {{"boottime", 10000000, 0}, {"monotonic", 5, 500}};
  const std::string out = OutputOf(spec);
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out;
  int64_t uptime = 0;
  ASSERT_TRUE(absl::SimpleAtoi(lines[0], &uptime)) << lines[0];
  EXPECT_GE(uptime, 10000000);
  EXPECT_EQ(lines[1], "1");  // still pid 1 of a new pid namespace
}

TEST_F(JailTest, TimeOffsetsNeedNewTimeNamespace) {
  shim::JailSpec spec = ShellSpec("true");
  spec.time_offsets = {{"boottime", 1, 0}};
  EXPECT_EQ(StartFailure(spec),
            "jail: time offsets: need a new time namespace");
}

TEST_F(JailTest, JoinMissingNamespaceFails) {
  shim::JailSpec spec = ShellSpec("true");
  spec.namespaces[4].path = dir().Sub("no-such-ns");
  EXPECT_THAT(StartFailure(spec), StartsWith("jail: namespaces[4] ("));
}

TEST_F(JailTest, RunAsInitFalseHasReapingInit) {
  shim::JailSpec spec =
      ShellSpec("echo $$; cat /proc/1/cmdline | tr '\\0' ' '; echo; exit 7");
  spec.run_as_init = false;
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> lines =
      absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << r->out;
  EXPECT_EQ(lines[0], "2");
  // pid 1 is the init (a copy of the runtime), not the program.
  EXPECT_FALSE(absl::StartsWith(lines[1], "sh ")) << lines[1];
  EXPECT_EQ(r->status.code, 7);
}

TEST_F(JailTest, InitForwardsSignalsAndReportsThem) {
  shim::JailSpec spec = ShellSpec("sleep 100");
  spec.argv = {"sleep", "100"};
  spec.run_as_init = false;
  absl::StatusOr<shim::Jail> jail = shim::Jail::Start(spec, {});
  ASSERT_TRUE(jail.ok()) << jail.status();
  ASSERT_TRUE(jail->Kill(SIGTERM).ok());
  absl::StatusOr<shim::ExitStatus> status = jail->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_FALSE(status->signaled);
  EXPECT_EQ(status->code, 128 + SIGTERM);
}

}  // namespace
}  // namespace shimtest
