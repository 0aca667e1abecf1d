#include "tests/engines/buildah_fixture.h"

#include <dirent.h>
#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"

namespace engines_test {

void BuildahTest::SetUp() {
  EngineTest::SetUp();
  if (HasFatalFailure()) return;
  for (const char* dir :
       {"storage", "runroot", "cni", "cni-ipam", "varlib", "libpod-tmp"}) {
    ASSERT_EQ(mkdir(Sub(dir).c_str(), 0700), 0) << dir;
  }
  // A bridge name of at most IFNAMSIZ - 1 characters, unique to the test.
  static int counter = 0;
  bridge_ = absl::StrCat("ocib", getpid() % 100000, "x", counter++);
  ASSERT_LT(bridge_.size(), static_cast<size_t>(IFNAMSIZ));
  subnet_ = absl::StrCat("10.", 200 + getpid() % 50, ".", counter % 250, ".");
  // "podman" is the default network's name; no ipMasq, portmap or
  // firewall plugin, so no iptables rules are made.
  const std::string conflist = absl::Substitute(
      R"({"cniVersion":"0.4.0","name":"podman","plugins":[{
  "type":"bridge","bridge":"$0","isGateway":true,"ipMasq":false,
  "ipam":{"type":"host-local","dataDir":"$1",
          "routes":[{"dst":"0.0.0.0/0"}],
          "ranges":[[{"subnet":"$20/24","gateway":"$21"}]]}}]}
)",
      bridge_, Sub("cni-ipam"), subnet_);
  ASSERT_TRUE(
      ocitest::WriteFile(Sub("cni/87-podman-bridge.conflist"), conflist).ok());
  const std::string containers_conf = absl::Substitute(
      R"([network]
network_backend = "cni"
network_config_dir = "$0/cni"
cni_plugin_dirs = ["/usr/lib/cni"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$0/events.log"
lock_type = "file"
tmp_dir = "$0/libpod-tmp"
)",
      temp_->path());
  ASSERT_TRUE(ocitest::WriteFile(Sub("containers.conf"), containers_conf).ok());
  env_.push_back("CONTAINERS_CONF=" + Sub("containers.conf"));
  started_ = true;
}

void BuildahTest::StopEngine() {
  if (!started_) return;
  ocitest::CommandResult rm = Buildah({"rm", "--all"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(absl::StrJoin(Leases(), " "), "") << "addresses still leased";
  // The bridge plugin never removes its bridge.
  if (if_nametoindex(bridge_.c_str()) != 0) {
    ocitest::CommandResult del = Run({"ip", "link", "del", bridge_});
    EXPECT_EQ(del.exit_code, 0) << del.err;
  }
  EXPECT_EQ(if_nametoindex(bridge_.c_str()), 0u) << bridge_;
}

ocitest::CommandResult BuildahTest::Buildah(
    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"unshare",
                                   "-m",
                                   "--propagation",
                                   "private",
                                   "sh",
                                   "-c",
                                   R"(mount --bind "$0" /var/lib && exec "$@")",
                                   Sub("varlib"),
                                   "buildah",
                                   "--root",
                                   Sub("storage"),
                                   "--runroot",
                                   Sub("runroot"),
                                   "--storage-driver",
                                   "overlay"};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

ocitest::CommandResult BuildahTest::BuildahRun(
    const std::string& container, const std::vector<std::string>& extra,
    const std::vector<std::string>& command) {
  std::vector<std::string> args = {"run", "--runtime", RUN_OCI_BINARY,
                                   "--runtime-flag", "root=" + runtime_root_};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(container);
  args.push_back("--");
  args.insert(args.end(), command.begin(), command.end());
  return Buildah(args);
}

std::vector<std::string> BuildahTest::Leases() const {
  // host-local keeps one file per leased address, named by it, in
  // <dataDir>/<network name>.
  std::vector<std::string> leases;
  if (DIR* dir = opendir((Sub("cni-ipam") + "/podman").c_str())) {
    while (dirent* entry = readdir(dir)) {
      if (absl::StartsWith(entry->d_name, subnet_)) {
        leases.push_back(entry->d_name);
      }
    }
    closedir(dir);
  }
  return leases;
}

}  // namespace engines_test
