// Runs the same bundle under crun and under run_oci and asserts that the
// container sees the same thing: identity, capabilities, id maps, mounts,
// devices, environment, working directory, rlimits, hostname, exit code.
// crun is the reference; its run is checked first so that a broken host
// (not run_oci) is reported as such.
#include <sys/mount.h>
#include <sys/stat.h>

#include <set>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "rapidjson/pointer.h"
#include "tests/differential/bundle.h"
#include "tests/differential/container_view.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/temp_dir.h"

namespace ocitest {
namespace {

// The one deliberate difference: run_oci forces nosuid,nodev,noexec on
// proc (and sysfs) mounts whatever the config says, and warns
// (oci_convert.cc: ForcePseudoFsFlags); crun and runc follow the config.
// The read-only bind mounts of /proc subdirectories inherit the flags.
std::string WithForcedProcFlags(const std::string& mounts) {
  return absl::StrReplaceAll(
      mounts, {{" proc rw,relatime", " proc rw,nosuid,nodev,noexec,relatime"},
               {" proc ro,relatime", " proc ro,nosuid,nodev,noexec,relatime"}});
}

class DifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("ocitest-diff");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(*std::move(dir));
    id_ = UniqueName("difftest");
    checker_ = std::make_unique<LeakChecker>(
        std::vector<std::string>{dir_->path(), id_});
    bundle_ = dir_->Sub("bundle");
  }

  void TearDown() override {
    EXPECT_EQ(checker_->FindLeaks(), "") << "left behind on the host";
  }

  // Builds the bundle and runs it under crun; fills crun_view_.
  void RunReference(int exit_code, const ConfigEdit& edit) {
    ASSERT_TRUE(MakeProbeBundle(bundle_, exit_code, edit).ok());
    auto masked = ReadMaskedPaths(bundle_);
    ASSERT_TRUE(masked.ok()) << masked.status();
    masked_ = *masked;

    auto crun = RunUnderCrun(dir_->Sub("crun-state"), bundle_, id_);
    ASSERT_TRUE(crun.ok()) << crun.status();
    ASSERT_EQ(crun->exit_code, exit_code)
        << "crun itself failed on this host (not a run_oci bug):\n"
        << crun->err;
    auto view = ParseContainerView(crun->out, masked_);
    ASSERT_TRUE(view.ok()) << "crun: " << view.status();
    crun_view_ = *std::move(view);
    crun_exit_ = crun->exit_code;
  }

  // Runs the same bundle under run_oci and compares section by section.
  void CompareWithRunOci() {
    std::string state = dir_->Sub("state");
    auto ours = RunUnderRunOci(state, bundle_, id_);
    ASSERT_TRUE(ours.ok()) << ours.status();
    EXPECT_EQ(ours->exit_code, crun_exit_) << "run_oci stderr:\n" << ours->err;
    auto view = ParseContainerView(ours->out, masked_);
    ASSERT_TRUE(view.ok()) << "run_oci: " << view.status()
                           << "\nrun_oci stderr:\n"
                           << ours->err;
    ContainerView expected = crun_view_;
    expected["mounts"] = WithForcedProcFlags(expected["mounts"]);
    ExpectSameView(expected, *view, "run_oci");
    // `run` deletes the container when it exits: no state is left.
    struct stat st;
    EXPECT_NE(stat((state + "/" + id_).c_str(), &st), 0)
        << "run_oci left its state directory";
  }

  // Compares `actual` with crun's view section by section, so that a
  // failure shows a line diff of one section.
  void ExpectSameView(const ContainerView& expected_view,
                      const ContainerView& actual, const char* runtime) {
    for (const auto& [section, expected] : expected_view) {
      auto it = actual.find(section);
      if (it == actual.end()) {
        ADD_FAILURE() << runtime << "'s view lacks section " << section;
        continue;
      }
      EXPECT_EQ(expected, it->second)
          << "section '" << section
          << "' differs (expected: crun, actual: " << runtime << ")";
    }
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<LeakChecker> checker_;
  std::string id_;
  std::string bundle_;
  std::set<std::string> masked_;
  ContainerView crun_view_;
  int crun_exit_ = -1;
};

void AddUserNamespace(rapidjson::Document& config) {
  auto& alloc = config.GetAllocator();
  rapidjson::Value* namespaces =
      rapidjson::Pointer("/linux/namespaces").Get(config);
  rapidjson::Value user(rapidjson::kObjectType);
  user.AddMember("type", "user", alloc);
  namespaces->PushBack(user, alloc);
  for (const char* key : {"/linux/uidMappings", "/linux/gidMappings"}) {
    rapidjson::Value map(rapidjson::kObjectType);
    map.AddMember("containerID", 0, alloc);
    map.AddMember("hostID", 100000, alloc);
    map.AddMember("size", 65536, alloc);
    rapidjson::Value list(rapidjson::kArrayType);
    list.PushBack(map, alloc);
    rapidjson::Pointer(key).Set(config, list);
  }
}

void AddRlimit(rapidjson::Document& config, const char* type, int soft,
               int hard) {
  auto& alloc = config.GetAllocator();
  rapidjson::Value limit(rapidjson::kObjectType);
  limit.AddMember("type", rapidjson::StringRef(type), alloc);
  limit.AddMember("soft", soft, alloc);
  limit.AddMember("hard", hard, alloc);
  rapidjson::Pointer("/process/rlimits/-").Set(config, limit);
}

void AppendString(rapidjson::Document& config, const char* pointer,
                  const char* value) {
  rapidjson::Pointer(pointer).Set(config, rapidjson::StringRef(value));
}

void CustomizeProcessAndPaths(rapidjson::Document& config) {
  // runc's default already has RLIMIT_NOFILE 1024/1024; change it too.
  rapidjson::Pointer("/process/rlimits")
      .Set(config, rapidjson::Value(rapidjson::kArrayType));
  AddRlimit(config, "RLIMIT_NOFILE", 512, 2048);
  AddRlimit(config, "RLIMIT_NPROC", 300, 400);
  AddRlimit(config, "RLIMIT_CORE", 4096, 8192);
  AppendString(config, "/process/env/-", "FOO=bar");
  AppendString(config, "/process/env/-", "WITH_SPACES=a b c");
  AppendString(config, "/process/env/-", "EQUALS=x=y");
  rapidjson::Pointer("/process/cwd").Set(config, "/tmp");
  rapidjson::Pointer("/hostname").Set(config, "difftest");
  // A writable root, so that the read-only path is what makes /var ro.
  rapidjson::Pointer("/root/readonly").Set(config, false);
  AppendString(config, "/linux/readonlyPaths/-", "/var");
  AppendString(config, "/linux/maskedPaths/-", "/root");
  AppendString(config, "/linux/maskedPaths/-", "/etc/group");
}

// Issue 10: podman's and buildah's default sysctl with runc's read-only
// paths (/proc/sys among them), plus a read-only path outside /proc and a
// masked directory under it.
void AddSysctlAndReadonlyPaths(rapidjson::Document& config) {
  auto& alloc = config.GetAllocator();
  rapidjson::Value sysctl(rapidjson::kObjectType);
  sysctl.AddMember("net.ipv4.ping_group_range", "0 1000", alloc);
  rapidjson::Pointer("/linux/sysctl").Set(config, sysctl);
  rapidjson::Pointer("/root/readonly").Set(config, false);
  AppendString(config, "/linux/readonlyPaths/-", "/etc");
  AppendString(config, "/linux/maskedPaths/-", "/proc/sys/fs/binfmt_misc");
}

// Issue 10: podman's mount order, /dev fifth with options of its own:
// /proc, /sys, a /run tmpfs, then /dev (size=2m, mode=750) and what goes
// below it, then a tmpfs after all of them. The runtime-spec mounts them
// in the listed order; the mountinfo order, the /dev tmpfs' options and
// its default nodes must match crun's.
void DevTmpfsInTheMiddle(rapidjson::Document& config) {
  auto& alloc = config.GetAllocator();
  rapidjson::Value* mounts = rapidjson::Pointer("/mounts").Get(config);
  rapidjson::Value reordered(rapidjson::kArrayType);
  rapidjson::Value dev_and_below(rapidjson::kArrayType);
  for (auto& m : mounts->GetArray()) {
    const std::string dest = m["destination"].GetString();
    if (dest == "/dev") {
      rapidjson::Value options(rapidjson::kArrayType);
      for (const char* o :
           {"nosuid", "noexec", "strictatime", "mode=750", "size=2m"}) {
        options.PushBack(rapidjson::StringRef(o), alloc);
      }
      m["options"] = options;
    }
    if (absl::StartsWith(dest, "/dev")) {
      dev_and_below.PushBack(m, alloc);
    } else {
      reordered.PushBack(m, alloc);
    }
  }
  auto tmpfs = [&alloc](const char* dest) {
    rapidjson::Value m(rapidjson::kObjectType);
    m.AddMember("destination", rapidjson::StringRef(dest), alloc);
    m.AddMember("type", "tmpfs", alloc);
    m.AddMember("source", "tmpfs", alloc);
    rapidjson::Value options(rapidjson::kArrayType);
    options.PushBack("nosuid", alloc).PushBack("nodev", alloc);
    options.PushBack("size=1m", alloc);
    m.AddMember("options", options, alloc);
    return m;
  };
  reordered.PushBack(tmpfs("/run"), alloc);
  for (auto& m : dev_and_below.GetArray()) reordered.PushBack(m, alloc);
  reordered.PushBack(tmpfs("/mnt"), alloc);
  rapidjson::Pointer("/mounts").Set(config, reordered);
}

// Calibrates the comparison: two independent runtimes give the same
// normalized view, so a difference from run_oci is run_oci's.
TEST_F(DifferentialTest, ReferenceRuntimesAgree) {
  for (auto edit : {ConfigEdit(nullptr), ConfigEdit(CustomizeProcessAndPaths),
                    ConfigEdit(AddSysctlAndReadonlyPaths),
                    ConfigEdit(DevTmpfsInTheMiddle)}) {
    ASSERT_NO_FATAL_FAILURE(RunReference(0, edit));
    auto runc = RunUnderRunc(dir_->Sub("runc-state"), bundle_, id_);
    ASSERT_TRUE(runc.ok()) << runc.status();
    ASSERT_EQ(runc->exit_code, 0) << runc->err;
    auto view = ParseContainerView(runc->out, masked_);
    ASSERT_TRUE(view.ok()) << "runc: " << view.status();
    ExpectSameView(crun_view_, *view, "runc");
    ASSERT_TRUE(RemoveTree(bundle_).ok());
  }
}

TEST_F(DifferentialTest, RuncDefaultSpec) {
  ASSERT_NO_FATAL_FAILURE(RunReference(0, nullptr));
  EXPECT_EQ(crun_view_["hostname"], "runc");
  // What WithForcedProcFlags rewrites is there to rewrite.
  EXPECT_TRUE(absl::StrContains(crun_view_["mounts"], "/proc proc rw,relatime"))
      << crun_view_["mounts"];
  CompareWithRunOci();
}

TEST_F(DifferentialTest, UserNamespace) {
  ASSERT_NO_FATAL_FAILURE(RunReference(0, AddUserNamespace));
  EXPECT_EQ(crun_view_["idmap"],
            "0 100000 65536\n"
            "0 100000 65536");
  CompareWithRunOci();
}

TEST_F(DifferentialTest, RlimitsEnvCwdHostnameReadonlyAndMaskedPaths) {
  ASSERT_NO_FATAL_FAILURE(RunReference(0, CustomizeProcessAndPaths));
  // The edits reached the container, so the comparison is not vacuous.
  EXPECT_EQ(crun_view_["hostname"], "difftest");
  EXPECT_EQ(crun_view_["pwd"], "/tmp");
  EXPECT_TRUE(absl::StrContains(crun_view_["env"], "WITH_SPACES=a b c"));
  EXPECT_TRUE(absl::StrContains(crun_view_["ulimit"], "(-n) 512"))
      << crun_view_["ulimit"];
  EXPECT_TRUE(absl::StrContains(crun_view_["mounts"], "/root masked"));
  EXPECT_TRUE(absl::StrContains(crun_view_["mounts"], "/etc/group masked"));
  EXPECT_TRUE(absl::StrContains(crun_view_["mounts"], "/var ext4 ro,"));
  CompareWithRunOci();
}

TEST_F(DifferentialTest, SysctlWithReadonlyProcSys) {
  ASSERT_NO_FATAL_FAILURE(RunReference(0, AddSysctlAndReadonlyPaths));
  EXPECT_EQ(crun_view_["sysctl"], "0\t1000");
  EXPECT_TRUE(absl::StrContains(crun_view_["mounts"], "/proc/sys proc ro,"))
      << crun_view_["mounts"];
  EXPECT_TRUE(absl::StrContains(crun_view_["mounts"], "/etc ext4 ro,"))
      << crun_view_["mounts"];
  CompareWithRunOci();
}

TEST_F(DifferentialTest, DevTmpfsInTheMiddleOfTheMounts) {
  ASSERT_NO_FATAL_FAILURE(RunReference(0, DevTmpfsInTheMiddle));
  // The edit reached crun's container: /dev after /run, with its options.
  const std::string& order = crun_view_["mount_order"];
  EXPECT_LT(order.find("\n/run tmpfs"), order.find("\n/dev tmpfs")) << order;
  EXPECT_LT(order.find("\n/dev tmpfs"), order.find("\n/mnt tmpfs")) << order;
  EXPECT_TRUE(absl::StrContains(order, "mode=750")) << order;
  EXPECT_TRUE(absl::StrContains(order, "size=2048k")) << order;
  CompareWithRunOci();
}

TEST_F(DifferentialTest, CwdThroughRootfsSymlinksStaysInTheRoot) {
  // run_oci resolves process.cwd with RESOLVE_IN_ROOT (CVE-2024-21626);
  // crun chdirs after pivot_root. A relative symlink climbing above "/" and
  // an absolute one must land on the same directory in both.
  const std::string rootfs = bundle_ + "/rootfs";
  auto add_links = [&rootfs](rapidjson::Document& config) {
    mkdir((rootfs + "/tmp/sub").c_str(), 0755);
    symlink("../../../../tmp", (rootfs + "/uplink").c_str());
    symlink("/uplink/sub", (rootfs + "/tmp/abslink").c_str());
    rapidjson::Pointer("/process/cwd").Set(config, "/tmp/abslink/../sub");
  };
  ASSERT_NO_FATAL_FAILURE(RunReference(0, add_links));
  EXPECT_EQ(crun_view_["pwd"], "/tmp/sub");
  CompareWithRunOci();
}

TEST_F(DifferentialTest, RecursiveMountAttributes) {
  // A bind source with a mount below it; "rro,rnosuid" must reach both.
  const std::string src = dir_->Sub("rsrc");
  const std::string sub = src + "/sub";
  ASSERT_EQ(mkdir(src.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(sub.c_str(), 0755), 0);
  ASSERT_EQ(mount("tmpfs", sub.c_str(), "tmpfs", 0, "size=64k"), 0);
  absl::Cleanup unmount = [&sub] { umount2(sub.c_str(), MNT_DETACH); };
  auto add_bind = [&src](rapidjson::Document& config) {
    auto& alloc = config.GetAllocator();
    rapidjson::Value mount(rapidjson::kObjectType);
    mount.AddMember("destination", "/mnt", alloc);
    mount.AddMember("type", "bind", alloc);
    mount.AddMember("source", rapidjson::Value(src.c_str(), alloc), alloc);
    rapidjson::Value options(rapidjson::kArrayType);
    for (const char* option : {"rbind", "rro", "rnosuid"}) {
      options.PushBack(rapidjson::StringRef(option), alloc);
    }
    mount.AddMember("options", options, alloc);
    rapidjson::Pointer("/mounts/-").Set(config, mount);
  };
  ASSERT_NO_FATAL_FAILURE(RunReference(0, add_bind));
  EXPECT_TRUE(
      absl::StrContains(crun_view_["mounts"], "/mnt/sub tmpfs ro,nosuid"))
      << crun_view_["mounts"];
  CompareWithRunOci();
}

TEST_F(DifferentialTest, ExitCodeThree) {
  ASSERT_NO_FATAL_FAILURE(RunReference(3, nullptr));
  CompareWithRunOci();
}

}  // namespace
}  // namespace ocitest
