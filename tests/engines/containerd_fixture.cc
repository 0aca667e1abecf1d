#include "tests/engines/containerd_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "minijail-shim/base/c_strings.h"

namespace engines_test {
namespace {

off_t SizeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

}  // namespace

void ContainerdTest::SetUp() {
  EngineTest::SetUp();
  if (HasFatalFailure()) return;
  for (const char* dir : {"containerd", "containerd/root", "containerd/state",
                          "containerd/tmp", "run", "fifo"}) {
    ASSERT_EQ(mkdir(Sub(dir).c_str(), 0700), 0) << dir;
  }
  socket_ = Sub("containerd/containerd.sock");
  if (RuncFromPath()) {
    // The shim then runs "runc" from the daemon's PATH.
    const std::string runc = Sub("bin/runc");
    ASSERT_EQ(symlink(RUN_OCI_BINARY, runc.c_str()), 0) << runc;
    env_[0] = absl::StrCat("PATH=", Sub("bin"), ":", env_[0].substr(5));
  }
  // The shim runs runc with --root <runc-root>/<namespace>.
  runtime_state_dir_ = runtime_root_ + "/default";
  // The CRI plugin and the snapshotters this host cannot run are left
  // out; the test uses the native snapshotter.
  const std::string config = absl::Substitute(
      R"(version = 2
root = "$0/root"
state = "$0/state"
temp = "$0/tmp"
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp",
]
[grpc]
  address = "$1"
[ttrpc]
  address = "$1.ttrpc"
[debug]
  address = "$1.debug"
[plugins."io.containerd.runtime.v2.task"]
  platforms = ["linux/amd64"]
)",
      Sub("containerd"), socket_);
  ASSERT_TRUE(ocitest::WriteFile(Sub("containerd/config.toml"), config).ok());

  const std::string log = Sub("containerd/daemon.log");
  daemon_ = fork();
  ASSERT_GE(daemon_, 0);
  if (daemon_ == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    std::vector<std::string> argv = {
        "unshare",
        "-m",
        "--propagation",
        "private",
        "sh",
        "-c",
        R"(mount --bind "$0" /run && exec containerd --config "$1")",
        Sub("run"),
        Sub("containerd/config.toml")};
    std::vector<char*> cargv = base::NullTerminated(argv);
    std::vector<char*> cenv = base::NullTerminated(env_);
    execvpe(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    usleep(50 * 1000);
    if (access(socket_.c_str(), F_OK) == 0) {
      up = Ctr({"version"}).exit_code == 0;
    }
  }
  std::ifstream in(log);
  std::stringstream daemon_log;
  daemon_log << in.rdbuf();
  ASSERT_TRUE(up) << "containerd did not come up:\n" << daemon_log.str();

  const std::string archive = Sub("image.tar");
  WriteImageArchive(archive);
  if (HasFatalFailure()) return;
  ocitest::CommandResult import =
      Ctr({"images", "import", "--snapshotter", "native", archive});
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
}

// An OCI image layout (image-spec's image-layout.md) with the busybox
// rootfs as its one uncompressed layer, as a tar.
void ContainerdTest::WriteImageArchive(const std::string& path) {
  const std::string layout = Sub("image-layout");
  const std::string blobs = layout + "/blobs/sha256";
  ASSERT_EQ(Run({"mkdir", "-p", blobs}).exit_code, 0);
  auto add_blob = [&](const std::string& file, std::string* digest) {
    ocitest::CommandResult sum = Run({"sha256sum", file});
    ASSERT_EQ(sum.exit_code, 0) << sum.err;
    *digest = sum.out.substr(0, 64);  // "<hex>  <file>"
    ASSERT_EQ(rename(file.c_str(), (blobs + "/" + *digest).c_str()), 0);
  };
  const std::string layer = Sub("layer.tar");
  ASSERT_EQ(Run({"cp", rootfs_tar_, layer}).exit_code, 0);
  const off_t layer_size = SizeOf(layer);
  std::string layer_digest;
  add_blob(layer, &layer_digest);

  const std::string config = absl::Substitute(
      R"({"architecture":"amd64","os":"linux",)"
      R"("config":{"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},)"
      R"("rootfs":{"type":"layers","diff_ids":["sha256:$0"]}})",
      layer_digest);
  std::string config_digest;
  ASSERT_TRUE(ocitest::WriteFile(Sub("config.json"), config).ok());
  add_blob(Sub("config.json"), &config_digest);

  const std::string manifest = absl::Substitute(
      R"({"schemaVersion":2,)"
      R"("mediaType":"application/vnd.oci.image.manifest.v1+json",)"
      R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json",)"
      R"("digest":"sha256:$0","size":$1},)"
      R"("layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar",)"
      R"("digest":"sha256:$2","size":$3}]})",
      config_digest, config.size(), layer_digest, layer_size);
  std::string manifest_digest;
  ASSERT_TRUE(ocitest::WriteFile(Sub("manifest.json"), manifest).ok());
  add_blob(Sub("manifest.json"), &manifest_digest);

  const std::string index = absl::Substitute(
      R"({"schemaVersion":2,"manifests":[{)"
      R"("mediaType":"application/vnd.oci.image.manifest.v1+json",)"
      R"("digest":"sha256:$0","size":$1,"annotations":)"
      R"({"org.opencontainers.image.ref.name":"$2"}}]})",
      manifest_digest, manifest.size(), kContainerdImage);
  ASSERT_TRUE(ocitest::WriteFile(layout + "/index.json", index).ok());
  ASSERT_TRUE(ocitest::WriteFile(layout + "/oci-layout",
                                 R"({"imageLayoutVersion":"1.0.0"})")
                  .ok());
  ocitest::CommandResult tar = Run({"tar", "-C", layout, "-cf", path, "."});
  ASSERT_EQ(tar.exit_code, 0) << tar.err;
}

void ContainerdTest::StopEngine() {
  if (daemon_ <= 0) return;
  // Whatever a test left: kill its tasks, delete tasks and containers.
  ocitest::CommandResult tasks = Ctr({"tasks", "ls", "-q"});
  for (absl::string_view id :
       absl::StrSplit(tasks.out, '\n', absl::SkipWhitespace())) {
    Ctr({"tasks", "kill", "-s", "SIGKILL", std::string(id)});
    for (int i = 0; i < 50 && TaskStatus(std::string(id)) == "RUNNING"; ++i) {
      usleep(100 * 1000);
    }
    Ctr({"tasks", "delete", "--force", std::string(id)});
  }
  ocitest::CommandResult containers = Ctr({"containers", "ls", "-q"});
  for (absl::string_view id :
       absl::StrSplit(containers.out, '\n', absl::SkipWhitespace())) {
    EXPECT_EQ(Ctr({"containers", "rm", std::string(id)}).exit_code, 0) << id;
  }
  ocitest::CommandResult images = Ctr({"images", "rm", kContainerdImage});
  EXPECT_EQ(images.exit_code, 0) << images.err;
  EXPECT_EQ(absl::StrJoin(DaemonMounts(), "\n"), "")
      << "mounts left in containerd's namespace";

  kill(daemon_, SIGTERM);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 200 && done == 0; ++i) {
    done = waitpid(daemon_, &status, WNOHANG);
    if (done == 0) usleep(50 * 1000);
  }
  if (done == 0) {
    ADD_FAILURE() << "containerd ignored SIGTERM";
    kill(daemon_, SIGKILL);
    waitpid(daemon_, &status, 0);
  }
  daemon_ = -1;
}

ocitest::CommandResult ContainerdTest::Ctr(const std::vector<std::string>& args,
                                           const std::string& input) {
  std::vector<std::string> argv = {"ctr", "--address", socket_};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, input);
}

ocitest::CommandResult ContainerdTest::CtrInTerminal(
    const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"ctr", "--address", socket_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunInTerminal(argv, input);
}

std::vector<std::string> ContainerdTest::RunFlags(const std::string& id) const {
  std::vector<std::string> flags = {
      "--snapshotter", "native",
      "--runc-root",   runtime_root_,
      "--fifo-dir",    Sub("fifo"),
      "--cgroup",      absl::StrCat("/", cgroup_parent_, "/", id)};
  if (!RuncFromPath()) {
    flags.push_back("--runc-binary");
    flags.push_back(RUN_OCI_BINARY);
  }
  return flags;
}

std::vector<std::string> ContainerdTest::CtrRunArgs(
    const std::vector<std::string>& ctr_flags, const std::string& id,
    const std::vector<std::string>& program) const {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), ctr_flags.begin(), ctr_flags.end());
  for (const std::string& flag : RunFlags(id)) args.push_back(flag);
  args.push_back(kContainerdImage);
  args.push_back(id);
  args.insert(args.end(), program.begin(), program.end());
  return args;
}

bool ContainerdTest::RunDetached(const std::string& id,
                                 const std::string& script) {
  ocitest::CommandResult run =
      Ctr(CtrRunArgs({"-d", "--log-uri", "file://" + Sub(id + ".log")}, id,
                     {"sh", "-c", script}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  return run.exit_code == 0;
}

std::string ContainerdTest::LogOf(const std::string& id) const {
  std::ifstream in(Sub(id + ".log"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ContainerdTest::WaitForLog(const std::string& id,
                                const std::string& text) const {
  for (int i = 0; i < 100; ++i) {
    if (absl::StrContains(LogOf(id), text)) return true;
    usleep(100 * 1000);
  }
  return false;
}

std::string ContainerdTest::TaskStatus(const std::string& id) {
  // TASK    PID    STATUS
  for (absl::string_view line :
       absl::StrSplit(Ctr({"tasks", "ls"}).out, '\n')) {
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (fields.size() == 3 && fields[0] == id) return std::string(fields[2]);
  }
  return "";
}

std::vector<std::string> ContainerdTest::DaemonMounts() const {
  std::vector<std::string> mounts;
  std::ifstream in(absl::StrCat("/proc/", daemon_, "/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    // id parent major:minor root mount-point ...
    std::vector<std::string> fields = absl::StrSplit(line, ' ');
    if (fields.size() < 5) continue;
    if (absl::StrContains(fields[4], temp_->path()) ||
        (absl::StrContains(fields[3], temp_->path()) && fields[4] != "/run")) {
      mounts.push_back(fields[4]);
    }
  }
  return mounts;
}

}  // namespace engines_test
