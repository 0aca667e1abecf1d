// Shared fixture for the shim tests: a busybox rootfs in a temp dir, a spec
// with the usual new namespaces, a runner that captures the jailed program's
// stdout through a pipe, and a leak check after every test; and the spec
// pieces (mounts, a user namespace, seccomp policies) and the run-and-check
// steps most of the tests share.
#ifndef TESTS_SHIM_JAIL_FIXTURE_H_
#define TESTS_SHIM_JAIL_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"
#include "minijail-shim/seccomp_policy.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {

struct RunResult {
  shim::ExitStatus status;
  std::string out;
};

// All that `fd` gives until EOF or an error.
std::string ReadToEof(int fd);

// Starts the spec with stdout (and stderr) on a pipe, reads it to EOF and
// waits for the exit. `on_sync` is passed through.
absl::StatusOr<RunResult> RunJailed(shim::JailSpec spec,
                                    const shim::SyncCallback& on_sync = {});

// What the jailed program of `spec` printed, whatever its exit status; where
// the jail does not start, a test failure (with the error) and "".
std::string OutputOf(const shim::JailSpec& spec);
// The message RunJailed(spec) fails with; where the jail starts instead, a
// test failure (with what it printed) and "".
std::string StartFailure(const shim::JailSpec& spec);

// A mount of `type` from `source` on `target`, for JailSpec::mounts.
shim::MountSpec MakeMount(const std::string& source, const std::string& target,
                          const std::string& type, unsigned long flags = 0,
                          const std::string& data = "");
// A recursive bind of the host's `source` on `target`.
shim::MountSpec Bind(const std::string& source, const std::string& target,
                     unsigned long flags = 0);

// Adds a new user namespace to `spec` that maps the container's ids 0-65535
// to the host's from `uid_base` and `gid_base` on.
void AddUserNamespace(shim::JailSpec* spec, uint32_t uid_base,
                      uint32_t gid_base);

// A seccomp policy that allows every syscall.
shim::SeccompPolicy AllowAll();
// AllowAll() but for `names`, which get `action` (with `errno_ret`, for
// SCMP_ACT_ERRNO).
shim::SeccompPolicy AllowAllBut(std::vector<std::string> names,
                                const std::string& action,
                                std::optional<uint32_t> errno_ret = {});

class JailTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // New mount, pid, uts, ipc and net namespaces, the busybox rootfs, /proc
  // mounted, a default /dev, and `sh -c script`.
  shim::JailSpec ShellSpec(const std::string& script) const;
  // Runs ShellSpec(script) (after `tweak`) and expects exit 0.
  std::string RunShell(const std::string& script);

  // The OCI create/start split (shim/start_channel.h): a listening start
  // socket for JailSpec::start_fd (in the temp dir; call once per test),
  // and its release, which returns once the child exec'd or failed.
  base::ScopedFd ListenForStart();
  absl::Status ReleaseStart(const std::string& program = "");

  std::string rootfs() const { return dir_->Sub("rootfs"); }
  const ocitest::TempDir& dir() const { return *dir_; }

 private:
  std::unique_ptr<ocitest::TempDir> dir_;
  std::unique_ptr<ocitest::LeakChecker> leaks_;
};

}  // namespace shimtest

#endif  // TESTS_SHIM_JAIL_FIXTURE_H_
