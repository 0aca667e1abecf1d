// podman with the built run_oci as its runtime and nothing taken from the
// host: storage, runroot, tmpdir (libpod's locks, exits, events), network
// configuration, XDG dirs and run_oci's state root all live in the test's
// temp dir; cgroupfs and the events file, since this host has no systemd.
// Each test gets a fresh store with localhost/busybox:test imported from
// the busybox rootfs tarball.
#ifndef TESTS_ENGINES_PODMAN_FIXTURE_H_
#define TESTS_ENGINES_PODMAN_FIXTURE_H_

#include <string>
#include <vector>

#include "tests/engines/engine_test.h"

namespace engines_test {

inline constexpr char kPodmanImage[] = "localhost/busybox:test";

class PodmanTest : public EngineTest {
 protected:
  void SetUp() override;
  void StopEngine() override;

  // The file name podman is given as --runtime ("run_oci" by default;
  // podman passes --log-format=json --log F only to one named runc or
  // crun).
  virtual std::string RuntimeName() const { return "run_oci"; }

  // podman <private global flags> args...
  ocitest::CommandResult Podman(const std::vector<std::string>& args,
                                const std::string& input = "");
  // The same with a private /var/lib (for networking: libcni's cache).
  ocitest::CommandResult PodmanWithPrivateVarLib(
      const std::vector<std::string>& args);
  ocitest::CommandResult PodmanInTerminal(const std::vector<std::string>& args,
                                          const std::string& input = "");
  // What `podman run`/`create` needs on this host: ulimits below the hard
  // limits (no CAP_SYS_RESOURCE), the test's cgroup parent, and, unless
  // `network`, no network.
  std::vector<std::string> RunFlags(bool network = false) const;
  // podman run <RunFlags> extra... image command...
  ocitest::CommandResult PodmanRun(const std::vector<std::string>& extra,
                                   const std::vector<std::string>& command);
  // Starts `name` detached running `script` under sh -c; true on success.
  bool RunDetached(const std::string& name, const std::string& script,
                   const std::vector<std::string>& extra = {});
  // podman inspect --format <format> name, trimmed.
  std::string Inspect(const std::string& name, const std::string& format);
  // Polls `podman logs name` until it contains `text` (up to ~10 s).
  bool WaitForLog(const std::string& name, const std::string& text);

  std::string runtime_;  // the --runtime path

 private:
  std::vector<std::string> GlobalFlags() const;
};

}  // namespace engines_test

#endif  // TESTS_ENGINES_PODMAN_FIXTURE_H_
