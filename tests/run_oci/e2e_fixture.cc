#include "tests/run_oci/e2e_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "libcontainer/seccomp_cache.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/scoped_fd.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/testing/rootfs.h"

namespace run_oci_test {

std::string JsonString(const std::string& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(s);
  return buffer.GetString();
}

std::string JsonArray(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& item : items) quoted.push_back(JsonString(item));
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

std::string ShellConfigUpToNamespaces(const std::string& script) {
  return absl::StrCat(
      R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
      R"("process":{"args":["sh","-c",)", JsonString(script),
      R"(],"cwd":"/","env":["PATH=/bin:/sbin"],"user":{"uid":0,"gid":0}},)",
      R"("hostname":"e2e",)",
      R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
      R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
      R"({"type":"uts"},{"type":"ipc"},{"type":"network"}],)");
}

std::string BlockingCreateRuntimeHooks(const std::string& pid_file) {
  const std::string script =
      absl::StrCat("echo $$ > ", pid_file, ".tmp && mv ", pid_file, ".tmp ",
                   pid_file, " && exec sleep 1000");
  return absl::StrCat(R"({"createRuntime":[{"path":"/bin/sh","args":)",
                      JsonArray({"sh", "-c", script}), "}]}");
}

bool AnyEndsWith(const std::vector<std::string>& messages,
                 const std::string& suffix) {
  for (const std::string& m : messages) {
    if (absl::EndsWith(m, suffix)) return true;
  }
  return false;
}

int CountOpenFds() {
  int count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the DIR's own fd
}

void RunOciE2eTest::SetUp() {
  absl::StatusOr<ocitest::TempDir> temp =
      ocitest::TempDir::Create("runoci-e2e");
  ASSERT_TRUE(temp.ok()) << temp.status();
  temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
  root_ = temp_->Sub("state");
  bundle_ = temp_->Sub("bundle");
  cgroup_parent_ = ocitest::UniqueName("runoci-e2e");
  ASSERT_TRUE(ocitest::MakeBusyboxRootfs(Rootfs()).ok());
  leaks_ = std::make_unique<ocitest::LeakChecker>(
      std::vector<std::string>{temp_->path(), cgroup_parent_});
  WriteConfig({"sh", "-c", "echo hello"});
}

void RunOciE2eTest::TearDown() {
  // A failed test may have left containers; free them so that one failure
  // does not leak into the host or the next test.
  if (HasFailure()) {
    for (const std::string& id : StateRootEntries()) {
      RunOci({"destroy", "--force", id});
    }
  }
  RemoveCgroupParent();
  EXPECT_EQ(leaks_->FindLeaks(), "");
}

void RunOciE2eTest::RemoveCgroupParent() const {
  if (DIR* dir = opendir("/sys/fs/cgroup")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      rmdir(absl::StrCat("/sys/fs/cgroup/", entry->d_name, "/", cgroup_parent_)
                .c_str());
    }
    closedir(dir);
  }
}

void RunOciE2eTest::WriteConfig(const std::vector<std::string>& args,
                                const std::string& hooks_json,
                                const std::string& extra_json) {
  std::string json = absl::StrCat(
      R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
      R"("process":{"args":)", JsonArray(args),
      R"(,"cwd":"/","env":["PATH=/bin:/sbin:/usr/bin"],)",
      R"("user":{"uid":0,"gid":0})", process_extra_, R"(},"hostname":"e2e",)",
      R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"})",
      extra_mounts_.empty() ? "" : ",", extra_mounts_, "],",
      R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
      R"({"type":"uts"},{"type":"ipc"}]})",
      hooks_json.empty() ? "" : absl::StrCat(R"(,"hooks":)", hooks_json),
      extra_json, "}");
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
}

ocitest::CommandResult RunOciE2eTest::RunOciRaw(
    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {RUN_OCI_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<ocitest::CommandResult> result = ocitest::RunCommand(argv);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : ocitest::CommandResult();
}

ocitest::CommandResult RunOciE2eTest::RunOci(
    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"--root",       root_, "-p",
                                   cgroup_parent_, "-c",  bundle_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunOciRaw(argv);
}

Background RunOciE2eTest::StartRunOci(const std::vector<std::string>& args) {
  static int counter = 0;
  Background bg;
  bg.out_path = temp_->Sub(absl::StrCat("bg", ++counter, ".out"));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, bg.out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  bg.pid = SpawnRunOci(args, actions);
  posix_spawn_file_actions_destroy(&actions);
  return bg;
}

pid_t RunOciE2eTest::SpawnRunOci(const std::vector<std::string>& args,
                                 const posix_spawn_file_actions_t& actions) {
  std::vector<std::string> argv = {RUN_OCI_BINARY, "--root", root_,  "-p",
                                   cgroup_parent_, "-c",     bundle_};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv = base::NullTerminated(argv);
  pid_t pid = -1;
  EXPECT_EQ(
      posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ), 0);
  return pid;
}

int RunOciE2eTest::WaitRunOci(const Background& bg) {
  int status = 0;
  if (waitpid(bg.pid, &status, 0) != bg.pid) return -1;
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int RunOciE2eTest::WaitRunOciAtMost(const Background& bg,
                                    absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(bg.pid, &status, WNOHANG);
    if (done == bg.pid) break;
    if (done < 0) return -1;
    if (absl::Now() > deadline) {
      kill(bg.pid, SIGKILL);
      waitpid(bg.pid, &status, 0);
      return -1;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

std::string RunOciE2eTest::OutputOf(const Background& bg) const {
  return ocitest::ReadFile(bg.out_path).value_or("");
}

void RunOciE2eTest::StartBlockedCreate(const std::string& id,
                                       const std::string& hook_pid,
                                       Background* bg) {
  *bg = StartRunOci({"create", id});
  ASSERT_TRUE(WaitForFile(hook_pid));
}

void RunOciE2eTest::KillBlockedCreate(const Background& bg,
                                      const std::string& hook_pid) {
  ASSERT_EQ(kill(bg.pid, SIGKILL), 0);
  EXPECT_EQ(WaitRunOci(bg), 128 + SIGKILL);
  int sleeper = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripAsciiWhitespace(ocitest::ReadFile(hook_pid).value_or("")),
      &sleeper));
  ASSERT_EQ(kill(sleeper, SIGKILL), 0);
}

ocitest::CommandResult RunOciE2eTest::RunOciWhileExchanging(
    const std::vector<std::string>& args, int dir_fd, const char* a,
    const char* b) {
  std::atomic<bool> stop{false};
  std::thread racer([&] {
    while (!stop.load()) renameat2(dir_fd, a, dir_fd, b, RENAME_EXCHANGE);
  });
  ocitest::CommandResult result = RunOci(args);
  stop = true;
  racer.join();
  return result;
}

void RunOciE2eTest::ExpectError(const std::vector<std::string>& args,
                                const std::string& message) {
  std::vector<std::string> before = StateRootEntries();
  ocitest::CommandResult result = RunOci(args);
  EXPECT_EQ(result.exit_code, 1) << absl::StrJoin(args, " ");
  EXPECT_EQ(result.err, absl::StrCat("run_oci: ", message, "\n"))
      << absl::StrJoin(args, " ");
  EXPECT_EQ(StateRootEntries(), before) << absl::StrJoin(args, " ");
}

std::vector<std::string> RunOciE2eTest::StateRootEntries() const {
  std::vector<std::string> names;
  DIR* dir = opendir(root_.c_str());
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    // The compiled seccomp filters run_oci keeps for the next container
    // (libcontainer/seccomp_cache.h), not a container's leftovers.
    if (name == libcontainer::kSeccompCacheDirName) continue;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

bool RunOciE2eTest::WaitForStatus(const std::string& id,
                                  const std::string& status) {
  std::string wanted = absl::StrCat("\"status\":\"", status, "\"");
  for (int i = 0; i < 1000; ++i) {
    ocitest::CommandResult r = RunOci({"state", id});
    if (r.exit_code == 0 && r.out.find(wanted) != std::string::npos) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

bool RunOciE2eTest::WaitForFile(const std::string& path) const {
  for (int i = 0; i < 1000; ++i) {
    if (access(path.c_str(), F_OK) == 0) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

absl::StatusOr<ocitest::CommandResult> RunOciE2eTest::RunOciWithPrivateSyslog(
    const std::vector<std::string>& args, std::vector<std::string>* messages) {
  const std::string sock_path = temp_->Sub("log.sock");
  base::ScopedFd sock(
      socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, sock_path.c_str(), sizeof(addr.sun_path) - 1);
  if (!sock ||
      bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return absl::InternalError(
        absl::StrCat("syslog socket ", sock_path, ": ", strerror(errno)));
  }
  const std::string null_copy = temp_->Sub("null");
  std::string script = absl::StrCat(
      "set -e; touch ", null_copy, "; mount --bind /dev/null ", null_copy,
      "; mount -t tmpfs none /dev; touch /dev/null /dev/log; mount --bind ",
      null_copy, " /dev/null; mount --bind ", sock_path, " /dev/log; exec ",
      RUN_OCI_BINARY, " --root ", root_, " -p ", cgroup_parent_, " -c ",
      bundle_);
  for (const std::string& arg : args) absl::StrAppend(&script, " ", arg);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    char buffer[2048];
    for (;;) {
      struct pollfd pfd = {sock.get(), POLLIN, 0};
      const bool last = done.load();
      poll(&pfd, 1, 50);
      for (ssize_t n; (n = recv(sock.get(), buffer, sizeof(buffer), 0)) > 0;) {
        messages->emplace_back(buffer, static_cast<size_t>(n));
      }
      if (last) return;
    }
  });
  absl::StatusOr<ocitest::CommandResult> result = ocitest::RunCommand(
      {"unshare", "-m", "--propagation", "private", "sh", "-c", script});
  done = true;
  reader.join();
  return result;
}

}  // namespace run_oci_test
