#include "tests/engines/cni_bridge.h"

#include <dirent.h>
#include <net/if.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "tests/testing/command.h"
#include "tests/testing/temp_dir.h"

namespace engines_test {

absl::StatusOr<CniBridge> WriteCniBridge(const std::string& conf_dir,
                                         const std::string& ipam_dir) {
  static int counter = 0;
  CniBridge bridge;
  bridge.device = absl::StrCat("ocib", getpid() % 100000, "x", counter);
  if (bridge.device.size() >= IFNAMSIZ) {
    return absl::InternalError("bridge name too long: " + bridge.device);
  }
  bridge.prefix =
      absl::StrCat("10.", 200 + getpid() % 50, ".", counter % 250, ".");
  bridge.ipam_dir = ipam_dir;
  ++counter;
  const std::string conflist = absl::Substitute(
      R"({"cniVersion":"0.4.0","name":"podman","plugins":[{
  "type":"bridge","bridge":"$0","isGateway":true,"ipMasq":false,
  "ipam":{"type":"host-local","dataDir":"$1",
          "routes":[{"dst":"0.0.0.0/0"}],
          "ranges":[[{"subnet":"$20/24","gateway":"$21"}]]}}]}
)",
      bridge.device, ipam_dir, bridge.prefix);
  absl::Status written =
      ocitest::WriteFile(conf_dir + "/87-podman-bridge.conflist", conflist);
  if (!written.ok()) return written;
  return bridge;
}

std::vector<std::string> CniLeases(const CniBridge& bridge) {
  // host-local keeps one file per leased address, named by it, in
  // <dataDir>/<network name>.
  std::vector<std::string> leases;
  if (DIR* dir = opendir((bridge.ipam_dir + "/podman").c_str())) {
    while (dirent* entry = readdir(dir)) {
      if (absl::StartsWith(entry->d_name, bridge.prefix)) {
        leases.push_back(entry->d_name);
      }
    }
    closedir(dir);
  }
  return leases;
}

std::string RemoveCniBridge(const CniBridge& bridge) {
  if (bridge.device.empty() || if_nametoindex(bridge.device.c_str()) == 0) {
    return "";
  }
  absl::StatusOr<ocitest::CommandResult> del =
      ocitest::RunCommand({"ip", "link", "del", bridge.device});
  if (!del.ok()) return std::string(del.status().message());
  if (del->exit_code != 0) return del->err;
  if (if_nametoindex(bridge.device.c_str()) != 0) {
    return bridge.device + " still exists";
  }
  return "";
}

}  // namespace engines_test
