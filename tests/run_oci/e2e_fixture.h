// Shared setup for run_oci's end-to-end tests: a temp dir holding a state
// root and a busybox bundle, a unique cgroup parent, helpers to write
// config.json and to run the built binary, and a leak check after each
// test (mounts, cgroups, loop devices, processes).
#ifndef TESTS_RUN_OCI_E2E_FIXTURE_H_
#define TESTS_RUN_OCI_E2E_FIXTURE_H_

#include <spawn.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {

// A run_oci started without waiting for it (e.g. `run` of a long job).
struct Background {
  pid_t pid = -1;
  std::string out_path;  // its stdout and stderr
};

class RunOciE2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Writes config.json: `args` as the process, and, when not empty,
  // `hooks_json` as the "hooks" object and `extra_json` spliced in as more
  // top-level members (",\"annotations\":{...}").
  void WriteConfig(const std::vector<std::string>& args,
                   const std::string& hooks_json = "",
                   const std::string& extra_json = "");

  // run_oci --root <root> -p <cgroup parent> -c <bundle> <args...>
  ocitest::CommandResult RunOci(const std::vector<std::string>& args);
  // The same without the default flags.
  ocitest::CommandResult RunOciRaw(const std::vector<std::string>& args);
  Background StartRunOci(const std::vector<std::string>& args);
  // run_oci with the default flags and `args` started with its fds as
  // `actions` set them, not waited for; -1 (and a test failure) when it
  // could not be started.
  pid_t SpawnRunOci(const std::vector<std::string>& args,
                    const posix_spawn_file_actions_t& actions);
  // Exit code (shell convention) of a Background.
  int WaitRunOci(const Background& bg);
  // The same, but a run_oci still running after `limit` (far longer than
  // it should need: a hang, not slowness) is SIGKILLed and -1 returned.
  int WaitRunOciAtMost(const Background& bg, absl::Duration limit);
  // Its stdout and stderr so far.
  std::string OutputOf(const Background& bg) const;

  // run_oci with the default flags and `args` in a private mount namespace
  // whose /dev/log is a socket of the test's (a tmpfs over /dev holds it
  // and /dev/null), so the host's /dev/log is never touched. `messages`
  // gets every datagram, read while run_oci runs: a full socket queue
  // would block its syslog().
  absl::StatusOr<ocitest::CommandResult> RunOciWithPrivateSyslog(
      const std::vector<std::string>& args, std::vector<std::string>* messages);

  // `create <id>` of a config whose createRuntime hooks are
  // BlockingCreateRuntimeHooks(hook_pid), once the hook has written its pid:
  // run_oci is then caught inside Create.
  void StartBlockedCreate(const std::string& id, const std::string& hook_pid,
                          Background* bg);
  // SIGKILLs that create (which must die of it) and then its hook, so that
  // what it made is left as a crash of run_oci leaves it.
  void KillBlockedCreate(const Background& bg, const std::string& hook_pid);

  // run_oci with the default flags and `args` while a thread keeps
  // exchanging the entries `a` and `b` of the directory `dir_fd`
  // (renameat2 RENAME_EXCHANGE): a path swapped under the runtime.
  ocitest::CommandResult RunOciWhileExchanging(
      const std::vector<std::string>& args, int dir_fd, const char* a,
      const char* b);

  // Expects exit 1, exactly "run_oci: <message>\n" on stderr, and no
  // state directory entry left.
  void ExpectError(const std::vector<std::string>& args,
                   const std::string& message);

  // run_oci removes the containers' cgroups; the parent is the test's and
  // must be empty by now (rmdir fails on a leftover child).
  void RemoveCgroupParent() const;

  // The state root's entries but the seccomp cache directory.
  std::vector<std::string> StateRootEntries() const;
  std::string StateDir(const std::string& id) const { return root_ + "/" + id; }
  std::string Rootfs() const { return bundle_ + "/rootfs"; }
  // Polls `state` until the status is `status` (up to ~10 s).
  bool WaitForStatus(const std::string& id, const std::string& status);
  // Polls until `path` exists (up to ~10 s).
  bool WaitForFile(const std::string& path) const;

  std::unique_ptr<ocitest::TempDir> temp_;
  std::string root_;
  std::string bundle_;
  std::string cgroup_parent_;
  std::string extra_mounts_;   // more "mounts" entries for WriteConfig
  std::string process_extra_;  // more "process" members: ,"terminal":true
  std::unique_ptr<ocitest::LeakChecker> leaks_;
};

// A JSON string literal for `s`.
std::string JsonString(const std::string& s);
// ["a","b"].
std::string JsonArray(const std::vector<std::string>& items);
int CountOpenFds();
// True when one of `messages` ends with `suffix`.
bool AnyEndsWith(const std::vector<std::string>& messages,
                 const std::string& suffix);
// The start of a config.json running `sh -c <script>` as root with /proc
// mounted, in a pid, mount, uts, ipc and network namespace, up to the end of
// linux.namespaces: the caller adds the rest of "linux" and closes it.
std::string ShellConfigUpToNamespaces(const std::string& script);
// The createRuntime hook list of a hook that writes its pid to `pid_file`
// (atomically) and then blocks: run_oci is caught inside Create, with its
// cgroups made and no pid recorded.
std::string BlockingCreateRuntimeHooks(const std::string& pid_file);

}  // namespace run_oci_test

#endif  // TESTS_RUN_OCI_E2E_FIXTURE_H_
