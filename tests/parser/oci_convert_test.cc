#include "run_oci/parser/oci_convert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "libcontainer/config_text.h"

namespace run_oci {
namespace {

using libcontainer::Config;
using libcontainer::HookStage;
using libcontainer::NamespaceType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

OciConfig Minimal() {
  OciConfig oci;
  oci.root.path = "rootfs";
  oci.process.args = {"/bin/sh"};
  oci.linux_config.namespaces = {{"mount", ""}};
  return oci;
}

ConvertOptions Bundle() {
  ConvertOptions options;
  options.bundle_dir = "/bundle";
  return options;
}

Config MustConvert(const OciConfig& oci, const ConvertOptions& options,
                   std::vector<std::string>* warnings = nullptr) {
  absl::StatusOr<Config> config = ConvertOciConfig(oci, options, warnings);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *std::move(config) : Config{};
}

std::string ConvertError(const OciConfig& oci) {
  absl::StatusOr<Config> config = ConvertOciConfig(oci, Bundle(), nullptr);
  EXPECT_FALSE(config.ok());
  return std::string(config.status().message());
}

TEST(ResolveLexicallyTest, JoinsAndCleans) {
  EXPECT_EQ(ResolveLexically("/bundle", "rootfs"), "/bundle/rootfs");
  EXPECT_EQ(ResolveLexically("/bundle", "./a//b/"), "/bundle/a/b");
  EXPECT_EQ(ResolveLexically("/bundle/x", "../c/./d"), "/bundle/c/d");
  EXPECT_EQ(ResolveLexically("/bundle", "../../../etc"), "/etc");
  EXPECT_EQ(ResolveLexically("/bundle", "/abs/../path"), "/path");
  EXPECT_EQ(ResolveLexically("/", "."), "/");
}

TEST(ConvertTest, MinimalDefaults) {
  std::vector<std::string> warnings;
  Config c = MustConvert(Minimal(), Bundle(), &warnings);
  EXPECT_EQ(c.rootfs, "/bundle/rootfs");
  EXPECT_EQ(c.cwd, "/");
  EXPECT_THAT(c.argv, ElementsAre("/bin/sh"));
  EXPECT_EQ(c.rootfs_propagation, 0u);
  EXPECT_FALSE(c.capabilities.has_value());
  EXPECT_TRUE(c.run_as_init);
  EXPECT_THAT(warnings, IsEmpty());
}

TEST(ConvertTest, RelativeBundleDirIsAnError) {
  ConvertOptions options;
  options.bundle_dir = "bundle";
  EXPECT_FALSE(ConvertOciConfig(Minimal(), options, nullptr).ok());
}

TEST(ConvertTest, BindSourcesResolveOtherSourcesStay) {
  OciConfig oci = Minimal();
  oci.mounts.push_back({"/data", "bind", "data/../shared", {"ro"}});
  oci.mounts.push_back({"/opt", "none", "/host/opt", {"rbind", "rslave"}});
  oci.mounts.push_back({"/tmp", "tmpfs", "tmpfs", {"nosuid", "size=1m"}});
  Config c = MustConvert(oci, Bundle());
  ASSERT_EQ(c.mounts.size(), 3u);
  EXPECT_EQ(c.mounts[0].source, "/bundle/shared");
  EXPECT_EQ(c.mounts[0].flags, MS_BIND | MS_RDONLY);
  EXPECT_EQ(c.mounts[1].source, "/host/opt");
  EXPECT_EQ(c.mounts[1].flags, MS_BIND | MS_REC);
  EXPECT_EQ(c.mounts[1].propagation, MS_REC | MS_SLAVE);
  EXPECT_EQ(c.mounts[2].source, "tmpfs");
  EXPECT_EQ(c.mounts[2].data, "size=1m");
}

TEST(ConvertTest, ProcAndSysfsAreForcedWithAWarning) {
  OciConfig oci = Minimal();
  oci.mounts.push_back({"/proc", "proc", "proc", {"nosuid"}});
  oci.mounts.push_back(
      {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}});
  std::vector<std::string> warnings;
  Config c = MustConvert(oci, Bundle(), &warnings);
  const unsigned long kForced = MS_NODEV | MS_NOEXEC | MS_NOSUID;
  EXPECT_EQ(c.mounts[0].flags, kForced);
  EXPECT_EQ(c.mounts[1].flags, kForced | MS_RDONLY);
  EXPECT_THAT(warnings,
              ElementsAre("config.json: mounts[0] (/proc): proc mount forced "
                          "nodev,noexec"));
}

TEST(ConvertTest, LoopVerityAndIntermediateNamespace) {
  OciConfig oci = Minimal();
  OciMount m{"/vendor", "ext4", "images/vendor.img", {"loop", "ro", "dm=t"}};
  m.perform_in_intermediate_namespace = true;
  m.uid_mappings.push_back({0, 1000, 10});
  oci.mounts.push_back(m);
  Config c = MustConvert(oci, Bundle());
  ASSERT_EQ(c.mounts.size(), 1u);
  EXPECT_EQ(c.mounts[0].source, "/bundle/images/vendor.img");
  EXPECT_TRUE(c.mounts[0].loop);
  EXPECT_EQ(c.mounts[0].verity, "t");
  EXPECT_TRUE(c.mounts[0].in_intermediate_namespace);
  ASSERT_EQ(c.mounts[0].uid_mappings.size(), 1u);
  EXPECT_EQ(c.mounts[0].uid_mappings[0].outside, 1000u);
}

TEST(ConvertTest, MountOptionErrorsCarryThePath) {
  OciConfig oci = Minimal();
  oci.mounts.push_back({"/a", "tmpfs", "tmpfs", {}});
  oci.mounts.push_back({"/b", "bind", "b", {"rbind", ""}});
  EXPECT_EQ(ConvertError(oci),
            "config.json: mounts[1].options[1]: empty mount option");
}

TEST(ConvertTest, RecursiveAttributesReachTheMount) {
  OciConfig oci = Minimal();
  oci.mounts.push_back({"/b", "bind", "/b", {"rbind", "rro", "rnosuid"}});
  Config c = MustConvert(oci, Bundle());
  ASSERT_EQ(c.mounts.size(), 1u);
  EXPECT_EQ(c.mounts[0].recursive_attr_set,
            MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);
  EXPECT_EQ(c.mounts[0].recursive_attr_clr, 0u);
}

// podman's --read-only tmpfs mounts: tmpcopyup is the runtime's, not
// tmpfs data (the kernel refuses it: EINVAL), and only means something on a
// tmpfs.
TEST(ConvertTest, TmpcopyupMarksTheTmpfs) {
  OciConfig oci = Minimal();
  oci.mounts.push_back(
      {"/run", "tmpfs", "tmpfs", {"rw", "rprivate", "nosuid", "tmpcopyup"}});
  Config c = MustConvert(oci, Bundle());
  ASSERT_EQ(c.mounts.size(), 1u);
  EXPECT_TRUE(c.mounts[0].copy_up);
  EXPECT_EQ(c.mounts[0].data, "");
  EXPECT_EQ(c.mounts[0].propagation,
            static_cast<unsigned long>(MS_REC | MS_PRIVATE));
  oci.mounts.push_back({"/b", "bind", "/b", {"rbind", "tmpcopyup"}});
  EXPECT_EQ(ConvertError(oci),
            "config.json: mounts[1].options: tmpcopyup needs a tmpfs mount, "
            "not type \"bind\"");
}

TEST(ConvertTest, CapabilitiesBecomeMasks) {
  OciConfig oci = Minimal();
  oci.process.capabilities = OciCapabilities{};
  oci.process.capabilities->bounding = {"CAP_CHOWN", "CAP_SYS_ADMIN"};
  oci.process.capabilities->ambient = {"CAP_NET_RAW"};
  Config c = MustConvert(oci, Bundle());
  ASSERT_TRUE(c.capabilities.has_value());
  EXPECT_EQ(c.capabilities->bounding,
            (1ull << CAP_CHOWN) | (1ull << CAP_SYS_ADMIN));
  EXPECT_EQ(c.capabilities->ambient, 1ull << CAP_NET_RAW);
  EXPECT_EQ(c.capabilities->effective, 0u);
  EXPECT_EQ(libcontainer::FormatCapabilitySet(c.capabilities->bounding),
            "CAP_CHOWN CAP_SYS_ADMIN");
}

// Names (capabilities, rlimits, namespaces, propagation, securebits, ...)
// are the parser's to check (oci_parser_test); what is left here is what
// only the converter rejects.
TEST(ConvertTest, ConverterErrors) {
  OciConfig oci = Minimal();
  oci.linux_config.devices.push_back({"x", "/dev/x"});
  EXPECT_THAT(ConvertError(oci), HasSubstr("linux.devices[0].type"));
  oci = Minimal();
  oci.root.path = "";
  EXPECT_EQ(ConvertError(oci), "config.json: root.path: must not be empty");
}

TEST(ConvertTest, ProcessFields) {
  OciConfig oci = Minimal();
  oci.process.rlimits.push_back({"RLIMIT_NOFILE", 1024, RLIM_INFINITY});
  oci.process.user.umask = 022;
  oci.process.umask = 077;
  oci.process.io_priority = OciIoPriority{"IOPRIO_CLASS_BE", 4};
  oci.process.scheduler = OciScheduler{};
  oci.process.scheduler->policy = "SCHED_FIFO";
  oci.process.scheduler->flags = {"SCHED_FLAG_RESET_ON_FORK"};
  oci.process.env = {"A=b=c"};
  std::vector<std::string> warnings;
  Config c = MustConvert(oci, Bundle(), &warnings);
  ASSERT_EQ(c.rlimits.size(), 1u);
  EXPECT_EQ(c.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(c.rlimits[0].hard, RLIM_INFINITY);
  EXPECT_EQ(c.umask, 022u);
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("process.umask: ignored")));
  EXPECT_EQ(c.io_priority->io_class, 2);
  EXPECT_EQ(c.scheduler->policy, SCHED_FIFO);
  EXPECT_EQ(c.scheduler->flags, 1u);
  EXPECT_THAT(c.env, ElementsAre("A=b=c"));

  oci.process.user.umask.reset();
  EXPECT_EQ(MustConvert(oci, Bundle()).umask, 077u);
}

// Without Chromium's skipSecurebits no securebit is set (runc/crun
// semantics); with it, even empty, minijail's locked set applies.
TEST(ConvertTest, SkipSecurebitsAbsentMeansNoSecurebits) {
  OciConfig oci = Minimal();
  EXPECT_EQ(MustConvert(oci, Bundle()).securebits_skip_mask,
            static_cast<uint64_t>(SECURE_ALL_BITS | SECURE_ALL_LOCKS));
  oci.linux_config.skip_securebits.emplace();
  EXPECT_EQ(MustConvert(oci, Bundle()).securebits_skip_mask, 0u);
}

// Every mount would otherwise happen in the host's mount namespace; say so
// from the config instead of failing late in the jail.
TEST(ConvertTest, MountNamespaceIsRequired) {
  const char kError[] =
      "config.json: linux.namespaces: a \"mount\" namespace is required "
      "(run_oci does not mount into the host's mount namespace)";
  OciConfig oci = Minimal();
  oci.linux_config.namespaces.clear();
  EXPECT_EQ(ConvertError(oci), kError);
  oci.linux_config.namespaces = {{"pid", ""}, {"network", ""}};
  EXPECT_EQ(ConvertError(oci), kError);
  // -u adds a user namespace, never a mount one.
  ConvertOptions options = Bundle();
  options.use_current_user = true;
  EXPECT_FALSE(ConvertOciConfig(oci, options, nullptr).ok());
  // Joining one by path is fine.
  oci.linux_config.namespaces = {{"mount", "/proc/1/ns/mnt"}};
  EXPECT_EQ(MustConvert(oci, Bundle()).namespaces.size(), 1u);
}

// config.md: process is optional at create, required at start.
TEST(ConvertTest, ProcessIsOptionalUntilStart) {
  OciConfig oci = Minimal();
  oci.process = OciProcess{};
  Config c = MustConvert(oci, Bundle());
  EXPECT_TRUE(c.argv.empty());
  EXPECT_EQ(c.cwd, "/");
  EXPECT_EQ(RequireProcessToStart(c).message(),
            "config.json: process: required to start");
  EXPECT_TRUE(RequireProcessToStart(MustConvert(Minimal(), Bundle())).ok());
}

TEST(ConvertTest, LinuxFields) {
  OciConfig oci = Minimal();
  OciLinux& l = oci.linux_config;
  l.namespaces = {{"pid", ""}, {"network", "/proc/1/ns/net"}, {"mount", ""}};
  l.uid_mappings = {{0, 655360, 65536}};
  l.rootfs_propagation = "rslave";
  l.personality = OciPersonality{"LINUX32", {"ADDR_NO_RANDOMIZE"}};
  l.skip_securebits = {"NOROOT", "KEEP_CAPS"};
  l.sysctl = {{"b", "2"}, {"a", "1"}};
  l.devices.push_back({"p", "/dev/fifo"});
  OciDevice tty{"c", "/dev/tty1", 4, std::nullopt, 0620};
  tty.dynamic_minor = true;
  l.devices.push_back(tty);
  Config c = MustConvert(oci, Bundle());
  ASSERT_EQ(c.namespaces.size(), 3u);
  EXPECT_EQ(c.namespaces[0].type, NamespaceType::kPid);
  EXPECT_EQ(c.namespaces[1].type, NamespaceType::kNetwork);
  EXPECT_EQ(c.namespaces[1].path, "/proc/1/ns/net");
  ASSERT_EQ(c.uid_map.size(), 1u);
  EXPECT_EQ(c.uid_map[0].inside, 0u);
  EXPECT_EQ(c.uid_map[0].outside, 655360u);
  EXPECT_EQ(c.uid_map[0].count, 65536u);
  EXPECT_EQ(c.rootfs_propagation, MS_REC | MS_SLAVE);
  EXPECT_EQ(c.personality, PER_LINUX32 | ADDR_NO_RANDOMIZE);
  EXPECT_EQ(c.securebits_skip_mask,
            static_cast<uint64_t>(SECBIT_NOROOT | SECBIT_KEEP_CAPS));
  ASSERT_EQ(c.sysctls.size(), 2u);
  EXPECT_EQ(c.sysctls[0].first, "a");
  ASSERT_EQ(c.devices.size(), 2u);
  EXPECT_EQ(c.devices[0].type, 'p');
  EXPECT_EQ(c.devices[0].major, 0);
  EXPECT_EQ(c.devices[1].major, 4);
  EXPECT_TRUE(c.devices[1].dynamic_minor);
  EXPECT_EQ(c.devices[1].file_mode, 0620u);
}

TEST(ConvertTest, LegacyCpuFillsOnlyUnsetFields) {
  OciConfig oci = Minimal();
  oci.linux_config.resources.cpu = libcontainer::CpuResources{};
  oci.linux_config.resources.cpu->shares = 512;
  oci.linux_config.cpu = libcontainer::CpuResources{};
  oci.linux_config.cpu->shares = 1024;
  oci.linux_config.cpu->realtime_runtime = 950000;
  oci.linux_config.cpu->realtime_period = 1000000;
  Config c = MustConvert(oci, Bundle());
  ASSERT_TRUE(c.resources.cpu.has_value());
  EXPECT_EQ(c.resources.cpu->shares, 512u);
  EXPECT_EQ(c.resources.cpu->realtime_runtime, 950000);
  EXPECT_EQ(c.resources.cpu->realtime_period, 1000000u);
  EXPECT_FALSE(c.resources.cpu->quota.has_value());

  oci.linux_config.resources.cpu.reset();
  c = MustConvert(oci, Bundle());
  EXPECT_EQ(c.resources.cpu->shares, 1024u);
}

TEST(ConvertTest, HooksKeepStageAndOrder) {
  OciConfig oci = Minimal();
  using libcontainer::HookStage;
  oci.hooks[HookStage::kPrecreate].push_back({"/bin/a"});
  oci.hooks[HookStage::kPrechroot].push_back(
      {"/bin/b", {"b", "1"}, {"X=1"}, 5});
  oci.hooks[HookStage::kPoststop].push_back({"/bin/c"});
  oci.hooks[HookStage::kPoststop].push_back({"/bin/d"});
  Config c = MustConvert(oci, Bundle());
  EXPECT_EQ(c.hooks.size(), 3u);
  EXPECT_EQ(c.hooks[HookStage::kPrecreate][0].path, "/bin/a");
  EXPECT_EQ(c.hooks[HookStage::kPrechroot][0].timeout_seconds, 5);
  EXPECT_THAT(c.hooks[HookStage::kPrechroot][0].args, ElementsAre("b", "1"));
  ASSERT_EQ(c.hooks[HookStage::kPoststop].size(), 2u);
  EXPECT_EQ(c.hooks[HookStage::kPoststop][1].path, "/bin/d");
}

TEST(ConvertTest, CommandLineOptions) {
  ConvertOptions options = Bundle();
  options.run_as_init = false;
  options.extra_bind_mounts = {{"/host/a", "/a"}, {"rel", "/b"}};
  Config c = MustConvert(Minimal(), options);
  EXPECT_FALSE(c.run_as_init);
  ASSERT_EQ(c.mounts.size(), 2u);
  EXPECT_EQ(c.mounts[0].source, "/host/a");
  EXPECT_EQ(c.mounts[0].destination, "/a");
  EXPECT_EQ(c.mounts[0].flags, MS_BIND | MS_REC | MS_NOSUID | MS_NODEV);
  EXPECT_EQ(c.mounts[1].source, "/bundle/rel");

  options.extra_bind_mounts = {{"/host/a", "relative"}};
  EXPECT_FALSE(ConvertOciConfig(Minimal(), options, nullptr).ok());
}

TEST(ConvertTest, UseCurrentUserMapsRootToCaller) {
  ConvertOptions options = Bundle();
  options.use_current_user = true;
  OciConfig oci = Minimal();
  oci.linux_config.namespaces = {{"mount", ""}};
  oci.linux_config.uid_mappings = {{0, 1, 2}, {5, 6, 7}};
  std::vector<std::string> warnings;
  Config c = MustConvert(oci, options, &warnings);
  ASSERT_EQ(c.uid_map.size(), 1u);
  EXPECT_EQ(c.uid_map[0].inside, 0u);
  EXPECT_EQ(c.uid_map[0].outside, getuid());
  EXPECT_EQ(c.uid_map[0].count, 1u);
  ASSERT_EQ(c.gid_map.size(), 1u);
  EXPECT_EQ(c.gid_map[0].outside, getgid());
  ASSERT_EQ(c.namespaces.size(), 2u);
  EXPECT_EQ(c.namespaces[1].type, NamespaceType::kUser);
  EXPECT_EQ(warnings.size(), 1u);

  // An existing user namespace is not added twice.
  oci.linux_config.namespaces = {{"mount", ""}, {"user", ""}};
  c = MustConvert(oci, options);
  EXPECT_EQ(c.namespaces.size(), 2u);

  // A non-root process user cannot be mapped; say so up front.
  oci.linux_config.uid_mappings.clear();
  oci.process.user.uid = 1000;
  warnings.clear();
  c = MustConvert(oci, options, &warnings);
  EXPECT_THAT(warnings,
              ElementsAre("config.json: process.user: uid 1000 gid "
                          "0 is not mapped by -u, which maps only 0"));
}

TEST(ConfigTextTest, SymbolicForms) {
  EXPECT_EQ(libcontainer::FormatMountFlags(MS_NOSUID | MS_NODEV),
            "MS_NODEV|MS_NOSUID");
  EXPECT_EQ(libcontainer::FormatMountFlags(0), "0");
  EXPECT_EQ(libcontainer::FormatMountFlags(MS_RDONLY | (1ul << 30)),
            "MS_RDONLY|0x40000000");
  EXPECT_EQ(libcontainer::RlimitName(RLIMIT_NOFILE), "RLIMIT_NOFILE");
  EXPECT_EQ(libcontainer::FormatCapabilitySet(0), "none");
}

TEST(ConfigTextTest, EveryFieldIsShown) {
  std::string text = libcontainer::FormatConfig(Config{});
  for (const char* key :
       {"rootfs: \"\"", "mounts: []", "capabilities: unset", "seccomp: unset",
        "run_as_init: true", "  poststop: []", "  memory: unset",
        "umask: unset", "securebits_skip_mask: 0"}) {
    EXPECT_THAT(text, HasSubstr(key));
  }
}

}  // namespace
}  // namespace run_oci
