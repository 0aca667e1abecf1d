// A private CNI network for the engine tests, named "podman" so that
// podman and buildah take it as their default network: its own bridge
// device, /24 and host-local IPAM directory, and no ipMasq, portmap or
// firewall plugin, so no iptables rules are made. The bridge plugin never
// deletes its bridge; the test does.
#ifndef TESTS_ENGINES_CNI_BRIDGE_H_
#define TESTS_ENGINES_CNI_BRIDGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace engines_test {

struct CniBridge {
  std::string device;    // at most IFNAMSIZ - 1 characters
  std::string prefix;    // "10.x.y." (the gateway is prefix + "1")
  std::string ipam_dir;  // host-local's dataDir
};

// Writes <conf_dir>/87-podman-bridge.conflist.
absl::StatusOr<CniBridge> WriteCniBridge(const std::string& conf_dir,
                                         const std::string& ipam_dir);

// Addresses host-local still leases in the network.
std::vector<std::string> CniLeases(const CniBridge& bridge);

// Deletes the bridge device if it exists; "" or what went wrong.
std::string RemoveCniBridge(const CniBridge& bridge);

}  // namespace engines_test

#endif  // TESTS_ENGINES_CNI_BRIDGE_H_
