// buildah with the built run_oci as its OCI runtime: private storage and
// runroot, and a private CNI configuration for the default network (its
// own bridge, subnet and IPAM directory, cni_bridge.h). containers/image and
// libcni keep caches for root in /var/lib (/var/lib/containers/cache,
// /var/lib/cni/results), so every buildah command runs with a private
// /var/lib (EngineTest::WithPrivateVarLib).
#ifndef TESTS_ENGINES_BUILDAH_FIXTURE_H_
#define TESTS_ENGINES_BUILDAH_FIXTURE_H_

#include <string>
#include <vector>

#include "tests/engines/cni_bridge.h"
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
  CniBridge bridge_;  // the default network
  bool started_ = false;
};

}  // namespace engines_test

#endif  // TESTS_ENGINES_BUILDAH_FIXTURE_H_
