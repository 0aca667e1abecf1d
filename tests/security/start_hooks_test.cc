// A hostile image's startContainer hook (issue 9, escape 2). OCI resolves
// a startContainer hook's path in the container, so the binary is the
// image's. run_oci used to start it itself: host root with every
// capability, in the host's user and pid namespaces, merely setns'ed into
// the container's mount namespace. Such a hook could mount a procfs of the
// host's pid namespace and write host files through /proc/1/root, or
// nsenter the runtime's mount namespace. Now the container's own process
// runs it: the hook must be exactly as confined as the program.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The image's hook: records what it is, then tries the ways a process
// of the host's pid namespace would take to the canary. Each success is a
// line in /report/escaped.
constexpr char kReportingHook[] = R"(#!/bin/sh
grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs):' /proc/self/status > /report/hook
readlink /proc/self/ns/pid >> /report/hook; readlink /proc/self/ns/mnt >> /report/hook
mkdir -p /tmp/q
mount -t proc proc /tmp/q 2>/dev/null && echo mounted-proc >> /report/escaped
echo pwned > /proc/$PPID/root$CANARY 2>/dev/null && echo via-parent >> /report/escaped
nsenter --mount=/proc/$PPID/ns/mnt -- sh -c "echo pwned > $CANARY" 2>/dev/null &&
  echo nsenter >> /report/escaped
echo pwned > $CANARY 2>/dev/null && echo direct >> /report/escaped
exit 0
)";

// The escape that worked against run_oci before the fix, in two hooks: the
// first mounts a procfs itself (a process of the host's pid namespace gets
// the host's), the second goes through its parent, the runtime, to the
// runtime's root and mount namespace.
constexpr char kEscapingHook[] = R"(#!/bin/sh
echo pwned > /tmp/p/$PPID/root$CANARY
nsenter --mount=/tmp/p/$PPID/ns/mnt -- sh -c "echo pwned >> $CANARY"
exit 0
)";

class HostileStartHookTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    canary_ = temp_->Sub("canary");
    ASSERT_TRUE(ocitest::WriteFile(canary_, "canary\n", 0666).ok());
    ASSERT_TRUE(
        ocitest::WriteFile(Rootfs() + "/report-hook", kReportingHook, 0755)
            .ok());
    ASSERT_TRUE(
        ocitest::WriteFile(Rootfs() + "/escape-hook", kEscapingHook, 0755)
            .ok());
    ASSERT_EQ(mkdir((Rootfs() + "/report").c_str(), 0777), 0);
    ASSERT_EQ(mkdir((Rootfs() + "/tmp/p").c_str(), 0777), 0);
    WriteHostileConfig(absl::StrCat(R"({"path":"/report-hook","env":[)",
                                    JsonString("CANARY=" + canary_), "]}"));
  }

  // runc's default spec: root in the container, runc's default
  // capabilities (no CAP_SYS_ADMIN), no_new_privs; `hooks` as the
  // startContainer hooks.
  void WriteHostileConfig(const std::string& hooks) {
    const std::string caps =
        R"(["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER",)"
        R"("CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP",)"
        R"("CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL",)"
        R"("CAP_AUDIT_WRITE"])";
    const std::string program =
        "grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs):' /proc/self/status > "
        "/report/program; readlink /proc/self/ns/pid >> /report/program; "
        "readlink /proc/self/ns/mnt >> "
        "/report/program";
    std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":)", JsonArray({"sh", "-c", program}),
        R"(,"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0},)",
        R"("noNewPrivileges":true,"capabilities":{"bounding":)", caps,
        R"(,"effective":)", caps, R"(,"permitted":)", caps, R"(}},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
        R"({"type":"uts"},{"type":"ipc"},{"type":"network"}]},)",
        R"("hooks":{"startContainer":[)", hooks, "]}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  std::string Report(const std::string& name) const {
    return ocitest::ReadFile(Rootfs() + "/report/" + name).value_or("");
  }

  void ExpectConfined() {
    EXPECT_EQ(ocitest::ReadFile(canary_).value_or(""), "canary\n");
    EXPECT_EQ(Report("escaped"), "") << "the hook reached the host";
    const std::string hook = Report("hook");
    ASSERT_FALSE(hook.empty()) << "the hook did not run";
    // Exactly the program's identity: uid, capabilities, no_new_privs and
    // namespaces.
    EXPECT_EQ(hook, Report("program"));
    EXPECT_THAT(hook, HasSubstr("Uid:\t0\t0\t0\t0\n"));
    EXPECT_THAT(hook, HasSubstr("NoNewPrivs:\t1\n"));
    for (absl::string_view line : absl::StrSplit(hook, '\n')) {
      if (!absl::StartsWith(line, "CapEff:\t") &&
          !absl::StartsWith(line, "CapBnd:\t")) {
        continue;
      }
      uint64_t caps = 0;
      ASSERT_TRUE(absl::SimpleHexAtoi(line.substr(8), &caps)) << line;
      EXPECT_EQ(caps & (1ull << 21), 0u) << "CAP_SYS_ADMIN: " << line;
    }
    char host_pidns[64] = {};
    ASSERT_GT(readlink("/proc/self/ns/pid", host_pidns, sizeof(host_pidns) - 1),
              0);
    EXPECT_THAT(hook, Not(HasSubstr(host_pidns)));
  }

  std::string canary_;
};

TEST_F(HostileStartHookTest, RunConfinesTheImagesHook) {
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectConfined();
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(HostileStartHookTest, TheProcfsEscapeFails) {
  WriteHostileConfig(absl::StrCat(
      R"({"path":"/bin/mount","args":["mount","-t","proc","proc","/tmp/p"]},)",
      R"({"path":"/escape-hook","env":[)", JsonString("CANARY=" + canary_),
      "]}"));
  for (const char* way : {"run", "create"}) {
    SCOPED_TRACE(way);
    ocitest::CommandResult r = RunOci({way, "c1"});
    if (std::string(way) == "create") {
      ASSERT_EQ(r.exit_code, 0) << r.err;
      r = RunOci({"start", "c1"});
    }
    // The container's root has no CAP_SYS_ADMIN: the first hook fails, and
    // with it the start.
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("run_oci: hook startContainer[0] /bin/mount: "
                                 "exited with status "));
    EXPECT_EQ(ocitest::ReadFile(canary_).value_or(""), "canary\n");
    EXPECT_THAT(StateRootEntries(), IsEmpty());
  }
}

TEST_F(HostileStartHookTest, CreateStartConfinesTheImagesHook) {
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  ocitest::CommandResult r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForStatus("c1", "stopped"));
  ExpectConfined();
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

}  // namespace
}  // namespace run_oci_test
