// Shared setup for the tests that drive real container engines (podman,
// containerd, buildah) with the built run_oci as their runtime: a temp dir
// holding every path the engine would otherwise take from the host, a
// busybox rootfs and its tarball, a unique cgroup parent, commands run
// under timeout(1), and after each test the checks that nothing was left
// behind: no run_oci state, mounts, cgroups or processes, and no change to
// the host's default engine paths (host_paths.h).
#ifndef TESTS_ENGINES_ENGINE_TEST_H_
#define TESTS_ENGINES_ENGINE_TEST_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace engines_test {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Removes whatever the engine still holds (containers, images, a
  // daemon); called by TearDown before the leak checks, also after a
  // failure.
  virtual void StopEngine() {}

  // argv under `timeout` (a hung engine fails the test instead of the
  // whole ctest run), with env_ as the environment.
  ocitest::CommandResult Run(const std::vector<std::string>& argv,
                             const std::string& input = "");
  // The same through script(1), so that argv gets a pseudo-terminal as its
  // stdin/stdout (what `-it` and `-t` need); `input` is typed into it.
  ocitest::CommandResult RunInTerminal(const std::vector<std::string>& argv,
                                       const std::string& input = "");

  // `argv` in a mount namespace of its own with <temp>/varlib bound over
  // /var/lib, for the caches containers/image and libcni keep there for
  // root whatever the configuration says (gone when the namespace is).
  std::vector<std::string> WithPrivateVarLib(
      const std::vector<std::string>& argv) const;

  // Writes an executable `dir`/`name` that runs the built run_oci with
  // `--root <runtime_root_>` in front of the engine's arguments (for
  // engines that pass no --root, see the README's "Container engines").
  std::string WriteRuntimeWrapper(const std::string& dir,
                                  const std::string& name);

  std::string Sub(const std::string& name) const { return temp_->Sub(name); }
  // containers.conf of a private podman or buildah: CNI configs in
  // <temp>/cni, cgroupfs, events and locks in files, tmp under <temp>
  // (lock_type file: the default shm locks are /dev/shm/libpod_lock, one
  // segment for every podman on the host). `engine_extra`: more [engine]
  // lines.
  std::string PrivateContainersConf(const std::string& engine_extra) const;
  // run_oci state directories left in runtime_state_dir_.
  std::vector<std::string> RuntimeStateEntries() const;

  std::unique_ptr<ocitest::TempDir> temp_;
  std::string rootfs_;        // a busybox rootfs
  std::string rootfs_tar_;    // the same as a tar archive
  std::string runtime_root_;  // what run_oci is given as --root
  // Where its containers' state directories appear: runtime_root_, or a
  // directory in it (containerd's shim adds the namespace).
  std::string runtime_state_dir_;
  std::string cgroup_parent_;  // a unique name, for --cgroup-parent
  std::vector<std::string> env_;
  std::unique_ptr<ocitest::LeakChecker> leaks_;

 private:
  void RemoveCgroupParent() const;
  std::string host_paths_before_;
};

// The lines of `text` that contain `needle`.
std::vector<std::string> LinesWith(const std::string& text,
                                   const std::string& needle);

}  // namespace engines_test

#endif  // TESTS_ENGINES_ENGINE_TEST_H_
