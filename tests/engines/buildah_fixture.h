// buildah with the built run_oci as its OCI runtime: private storage and
// runroot, and a private CNI configuration for the default network (its
// own bridge, subnet and IPAM directory). containers/image and libcni
// keep caches for root in /var/lib (/var/lib/containers/cache,
// /var/lib/cni/results) whatever the configuration says, so every buildah
// command runs in a mount namespace of its own with the test's directory
// bound over /var/lib.
#ifndef TESTS_ENGINES_BUILDAH_FIXTURE_H_
#define TESTS_ENGINES_BUILDAH_FIXTURE_H_

#include <string>
#include <vector>

#include "tests/engines/engine_test.h"

namespace engines_test {

class BuildahTest : public EngineTest {
 protected:
  void SetUp() override;
  void StopEngine() override;

  // buildah --root ... --runroot ... args...
  ocitest::CommandResult Buildah(const std::vector<std::string>& args);
  // buildah run --runtime <run_oci> --runtime-flag root=<...> extra...
  // container -- command...
  ocitest::CommandResult BuildahRun(const std::string& container,
                                    const std::vector<std::string>& extra,
                                    const std::vector<std::string>& command);
  // IPAM leases held in the private network (addresses in use).
  std::vector<std::string> Leases() const;

  std::string bridge_;  // the default network's bridge device
  std::string subnet_;  // its /24, "10.x.y."
  bool started_ = false;
};

}  // namespace engines_test

#endif  // TESTS_ENGINES_BUILDAH_FIXTURE_H_
