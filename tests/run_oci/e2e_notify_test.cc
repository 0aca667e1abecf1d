// Readiness through the binary: a test listener stands in for systemd on
// NOTIFY_SOCKET. run_oci says READY=1 with MAINPID after the poststart
// hooks; a container that notifies itself is relayed, and one that never
// does is given up after --ready_timeout.
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class NotifyTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    listener_path_ = temp_->Sub("systemd-notify.sock");
    listener_.reset(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(listener_path_.size(), sizeof(addr.sun_path));
    strcpy(addr.sun_path, listener_path_.c_str());
    ASSERT_EQ(
        bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
        0)
        << strerror(errno);
    setenv("NOTIFY_SOCKET", listener_path_.c_str(), 1);
    // The helper, bound into the container.
    extra_mounts_ = absl::StrCat(
        R"({"destination":"/bin/sd_notify","type":"bind","source":)",
        JsonString(SD_NOTIFY_HELPER), R"(,"options":["bind","ro"]})");
  }
  void TearDown() override {
    unsetenv("NOTIFY_SOCKET");
    RunOciE2eTest::TearDown();
  }

  // delete --force of n1 (what runc leaves to its caller after a failed
  // start), which must leave nothing in the state root.
  void ForceDelete() {
    ocitest::CommandResult r = RunOci({"delete", "--force", "n1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(StateRootEntries(), IsEmpty());
  }

  // The next datagram within `limit`.
  std::optional<std::string> Receive(absl::Duration limit) {
    struct pollfd pfd = {listener_.get(), POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(limit))) !=
        1) {
      return std::nullopt;
    }
    char buffer[4096];
    ssize_t n = recv(listener_.get(), buffer, sizeof(buffer), 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, n);
  }

  std::string PoststartMarkerHooks(const std::string& marker) {
    return absl::StrCat(
        R"({"poststart":[{"path":"/bin/sh","args":)",
        JsonArray({"sh", "-c", absl::StrCat("sleep 0.2; touch ", marker)}),
        R"(}]})");
  }

  std::string listener_path_;
  base::ScopedFd listener_;
};

TEST_F(NotifyTest, RunSaysReadyWithItsOwnPidAfterThePoststartHooks) {
  const std::string marker = temp_->Sub("poststart-done");
  WriteConfig({"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.05; done"},
              PoststartMarkerHooks(marker));
  Background bg = StartRunOci({"run", "n1"});
  EXPECT_EQ(Receive(absl::Seconds(20)).value_or("<nothing received>"),
            absl::StrCat("READY=1\nMAINPID=", bg.pid, "\n"));
  EXPECT_EQ(access(marker.c_str(), F_OK), 0) << "READY before poststart";
  ASSERT_EQ(kill(bg.pid, SIGTERM), 0);
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 0);
}

TEST_F(NotifyTest, ChromiumStartNamesTheContainersInitAsMainPid) {
  WriteConfig({"sleep", "1000"});
  ocitest::CommandResult r = RunOci({"start", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pid =
      ocitest::ReadFile(StateDir("n1") + "/container.pid").value_or("?");
  EXPECT_EQ(Receive(absl::Seconds(5)).value_or("<nothing received>"),
            absl::StrCat("READY=1\nMAINPID=", pid, "\n"));
  EXPECT_EQ(RunOci({"destroy", "--force", "n1"}).exit_code, 0);
}

TEST_F(NotifyTest, SupervisedRunSaysReadyOnceWithTheSupervisorsPid) {
  WriteConfig({"sh", "-c", "sleep 0.1; exit 1"});
  Background bg = StartRunOci({"run", "--respawn=10,0,1", "n1"});
  EXPECT_EQ(Receive(absl::Seconds(20)).value_or("<nothing received>"),
            absl::StrCat("READY=1\nMAINPID=", bg.pid, "\n"));
  EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(20)), 1);
  EXPECT_EQ(Receive(absl::Milliseconds(100)), std::nullopt);
}

TEST_F(NotifyTest, AContainerThatNotifiesItselfIsRelayed) {
  // It says READY=1 a while after starting; run_oci must wait for it.
  WriteConfig({"sh", "-c",
               "sleep 0.3; echo $NOTIFY_SOCKET; sd_notify READY=1 && "
               "exec sleep 1000"},
              "",
              R"(,"annotations":{"org.chromium.run_oci.notify":"container"})");
  Background bg = StartRunOci({"run", "n1"});
  EXPECT_EQ(Receive(absl::Seconds(20)).value_or("<nothing received>"),
            absl::StrCat("READY=1\nMAINPID=", bg.pid, "\n"));
  EXPECT_THAT(OutputOf(bg), HasSubstr("/run/notify/notify.sock\n"));
  ASSERT_EQ(kill(bg.pid, SIGKILL), 0);
  WaitRunOci(bg);
  EXPECT_EQ(RunOci({"destroy", "--force", "n1"}).exit_code, 0);
}

TEST_F(NotifyTest, NotifySocketFlagPassesTheSocketThroughToo) {
  WriteConfig({"sh", "-c", "sd_notify READY=1 && exec sleep 1000"});
  ocitest::CommandResult r = RunOci({"start", "--notify-socket", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Receive(absl::Seconds(5)).value_or("<nothing received>"),
              HasSubstr("READY=1\n"));
  EXPECT_EQ(RunOci({"destroy", "--force", "n1"}).exit_code, 0);
}

TEST_F(NotifyTest, AContainerThatNeverNotifiesIsGivenUpAfterTheTimeout) {
  WriteConfig({"sleep", "1000"});
  ocitest::CommandResult r =
      RunOci({"start", "--notify-socket", "--ready_timeout=0.5", "n1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: container n1: no READY=1 on /run/notify/notify.sock "
            "within 500ms (--ready_timeout)\n");
  EXPECT_EQ(Receive(absl::Milliseconds(100)), std::nullopt);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(NotifyTest, AContainerThatExitsBeforeNotifyingFailsTheStart) {
  WriteConfig({"sh", "-c", "exit 0"});
  ocitest::CommandResult r = RunOci({"run", "--notify-socket", "n1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "run_oci: container n1: exited before it sent READY=1\n");
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// The init's environment, NUL-separated entries as newlines.
std::string InitEnvironment(const std::string& pid) {
  // busybox sh execs the last command of a list itself, and a read of
  // environ inside an execve (new mm, arguments not yet placed) is empty:
  // read again a moment later, for at most two seconds.
  std::string env;
  for (int i = 0; i < 200 && env.empty(); ++i) {
    if (i > 0) absl::SleepFor(absl::Milliseconds(10));
    env =
        ocitest::ReadFile(absl::StrCat("/proc/", pid, "/environ")).value_or("");
  }
  for (char& c : env) {
    if (c == '\0') c = '\n';
  }
  return env;
}

// The OCI two-step, as systemd units and engines drive it: create exits,
// start binds the socket and relays.
TEST_F(NotifyTest, CreateThenStartRelaysTheContainersReadyWithItsInit) {
  // start returns as soon as READY=1 is relayed, so the init may be in
  // its execve of sleep while its environ is read (InitEnvironment).
  WriteConfig({"sh", "-c", "sleep 0.3; sd_notify READY=1 && sleep 1000"}, "",
              R"(,"annotations":{"org.chromium.run_oci.notify":"container"})");
  ocitest::CommandResult r = RunOci({"create", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Nothing is bound until start: the create process is gone.
  struct stat st;
  EXPECT_EQ(lstat((StateDir("n1") + "/notify/notify.sock").c_str(), &st), -1);
  EXPECT_EQ(Receive(absl::Milliseconds(100)), std::nullopt);
  r = RunOci({"start", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pid =
      ocitest::ReadFile(StateDir("n1") + "/container.pid").value_or("?");
  // start returns only once relayed.
  EXPECT_EQ(Receive(absl::Milliseconds(100)).value_or("<nothing received>"),
            absl::StrCat("READY=1\nMAINPID=", pid, "\n"));
  EXPECT_THAT(InitEnvironment(pid),
              HasSubstr("NOTIFY_SOCKET=/run/notify/notify.sock\n"));
  ForceDelete();
}

TEST_F(NotifyTest, CreateThenStartGivesUpASilentContainerAfterTheTimeout) {
  WriteConfig({"sleep", "1000"});
  ocitest::CommandResult r = RunOci({"create", "--notify-socket", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunOci({"start", "--ready_timeout=0.5", "n1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "run_oci: container n1: no READY=1 on /run/notify/notify.sock "
            "within 500ms (--ready_timeout)\n");
  EXPECT_EQ(Receive(absl::Milliseconds(100)), std::nullopt);
  // Left as runc leaves it, for the caller's delete.
  ForceDelete();
}

TEST_F(NotifyTest, CreateThenStartFailsWhenTheInitExitsBeforeNotifying) {
  WriteConfig({"sh", "-c", "exit 0"});
  ocitest::CommandResult r = RunOci({"create", "--notify-socket", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunOci({"start", "n1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "run_oci: container n1: exited before it sent READY=1\n");
  EXPECT_EQ(Receive(absl::Milliseconds(100)), std::nullopt);
  ForceDelete();
}

TEST_F(NotifyTest, StartReplacesAStaleSocketFromAnEarlierBind) {
  WriteConfig({"sh", "-c", "sd_notify READY=1 && exec sleep 1000"});
  ASSERT_EQ(RunOci({"create", "--notify-socket", "n1"}).exit_code, 0);
  // A socket file whose binder is gone, as a killed start leaves it.
  const std::string sock = StateDir("n1") + "/notify/notify.sock";
  {
    base::ScopedFd stale(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(sock.size(), sizeof(addr.sun_path));
    strcpy(addr.sun_path, sock.c_str());
    ASSERT_EQ(
        bind(stale.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0)
        << strerror(errno);
  }
  ocitest::CommandResult r = RunOci({"start", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Receive(absl::Milliseconds(100)).value_or("<nothing received>"),
              HasSubstr("READY=1\n"));
  EXPECT_EQ(RunOci({"delete", "--force", "n1"}).exit_code, 0);
}

TEST_F(NotifyTest, StartRefusesASymlinkInPlaceOfTheSocket) {
  WriteConfig({"sleep", "1000"});
  ASSERT_EQ(RunOci({"create", "--notify-socket", "n1"}).exit_code, 0);
  const std::string target = temp_->Sub("not-ours");
  ASSERT_TRUE(ocitest::WriteFile(target, "keep").ok());
  ASSERT_EQ(
      symlink(target.c_str(), (StateDir("n1") + "/notify/notify.sock").c_str()),
      0);
  ocitest::CommandResult r = RunOci({"start", "n1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/notify/notify.sock: exists and is not a "
                               "socket\n"));
  EXPECT_EQ(ocitest::ReadFile(target).value_or(""), "keep");
  ForceDelete();
}

TEST_F(NotifyTest, CreateWithoutNotifySocketThenStartBindsNothing) {
  WriteConfig({"sleep", "1000"}, "",
              R"(,"annotations":{"org.chromium.run_oci.notify":"container"})");
  unsetenv("NOTIFY_SOCKET");
  ocitest::CommandResult r = RunOci({"create", "n1"});
  setenv("NOTIFY_SOCKET", listener_path_.c_str(), 1);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st;
  EXPECT_EQ(lstat((StateDir("n1") + "/notify").c_str(), &st), -1);
  // As before: start does not wait and says READY=1 itself.
  r = RunOci({"start", "n1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pid =
      ocitest::ReadFile(StateDir("n1") + "/container.pid").value_or("?");
  EXPECT_EQ(Receive(absl::Seconds(5)).value_or("<nothing received>"),
            absl::StrCat("READY=1\nMAINPID=", pid, "\n"));
  EXPECT_THAT(InitEnvironment(pid), Not(HasSubstr("NOTIFY_SOCKET=")));
  EXPECT_EQ(RunOci({"delete", "--force", "n1"}).exit_code, 0);
}

TEST_F(NotifyTest, ABadAnnotationValueIsOneLine) {
  WriteConfig({"true"}, "",
              R"(,"annotations":{"org.chromium.run_oci.notify":"both"})");
  ExpectError({"run", "n1"},
              "config.json: annotations.org.chromium.run_oci.notify: "
              "\"both\": must be \"runtime\" or \"container\"");
}

}  // namespace
}  // namespace run_oci_test
