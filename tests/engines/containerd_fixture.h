// A private containerd 1.6 daemon (its own config.toml, root, state,
// sockets; no CRI plugin) started and stopped by each test, driven with
// ctr with the built run_oci as the runc shim v2's runc binary.
//
// containerd 1.6's shims put their sockets in /run/containerd/s whatever
// the config says, so the daemon (and the shims and runc calls it starts)
// runs in a mount namespace of its own with the test's directory bound
// over /run; ctr's FIFOs go to the test's directory, which both sides see.
#ifndef TESTS_ENGINES_CONTAINERD_FIXTURE_H_
#define TESTS_ENGINES_CONTAINERD_FIXTURE_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/engines/engine_test.h"

namespace engines_test {

inline constexpr char kContainerdImage[] = "localhost/busybox:test";

class ContainerdTest : public EngineTest {
 protected:
  void SetUp() override;
  void StopEngine() override;

  // True: run_oci is installed as the `runc` in the daemon's PATH instead
  // of being named with --runc-binary.
  virtual bool RuncFromPath() const { return false; }

  // ctr --address <socket> args...
  ocitest::CommandResult Ctr(const std::vector<std::string>& args,
                             const std::string& input = "");
  ocitest::CommandResult CtrInTerminal(const std::vector<std::string>& args,
                                       const std::string& input = "");
  // The flags `ctr run` needs to use run_oci and the test's own paths for
  // container `id`.
  std::vector<std::string> RunFlags(const std::string& id) const;
  // ctr run <ctr_flags> <RunFlags(id)> <image> <id> <program...>.
  std::vector<std::string> CtrRunArgs(
      const std::vector<std::string>& ctr_flags, const std::string& id,
      const std::vector<std::string>& program) const;
  // ctr run -d, output to <temp>/<id>.log; true on success.
  bool RunDetached(const std::string& id, const std::string& script);
  std::string LogOf(const std::string& id) const;
  bool WaitForLog(const std::string& id, const std::string& text) const;
  // The STATUS column of `ctr task ls` for `id` ("" when not listed).
  std::string TaskStatus(const std::string& id);
  // Mount points in the daemon's namespace under the test's directory,
  // other than the /run it was given.
  std::vector<std::string> DaemonMounts() const;

 private:
  void WriteImageArchive(const std::string& path);
  pid_t daemon_ = -1;
  std::string socket_;
};

}  // namespace engines_test

#endif  // TESTS_ENGINES_CONTAINERD_FIXTURE_H_
