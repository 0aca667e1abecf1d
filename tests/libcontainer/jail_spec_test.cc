#include "libcontainer/jail_spec.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace libcontainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Mount MakeMount(const char* source, const char* dest, const char* type,
                unsigned long flags = 0) {
  Mount m;
  m.source = source;
  m.destination = dest;
  m.type = type;
  m.flags = flags;
  return m;
}

std::vector<std::string> Targets(const shim::JailSpec& spec) {
  std::vector<std::string> out;
  for (const shim::MountSpec& m : spec.mounts) out.push_back(m.target);
  return out;
}

TEST(JailSpec, CopiesProcessAndIsolation) {
  Config c;
  c.rootfs = "/tmp/rootfs";
  c.rootfs_readonly = true;
  c.argv = {"/bin/sh", "-c", "true"};
  c.env = {"A=b=c"};
  c.cwd = "/tmp";
  c.uid = 1000;
  c.gid = 1001;
  c.additional_gids = {5, 6};
  c.umask = 022;
  c.hostname = "box";
  c.namespaces = {{NamespaceType::kUser, ""},
                  {NamespaceType::kNetwork, "/proc/1/ns/net"},
                  {NamespaceType::kTime, ""}};
  c.uid_map = {{0, 100000, 65536}};
  c.gid_map = {{0, 200000, 10}};
  c.rlimits = {{RLIMIT_NOFILE, 1024, 4096}};
  c.capabilities = Capabilities{1, 2, 4, 8, 16};
  c.no_new_privileges = true;
  c.oom_score_adj = -100;
  c.securebits_skip_mask = 3;
  c.run_as_init = false;
  CreateOptions o;
  o.stdout_fd = 7;
  o.start_fd = 9;
  o.keep_fds = {10};
  JailSpecInputs in;
  in.seccomp_bpf = {sock_filter{6, 0, 0, 0x7fff0000}};
  in.seccomp_flags = 1;
  auto spec = BuildJailSpec(c, o, in);
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->namespaces.size(), 3u);
  EXPECT_EQ(spec->namespaces[0].clone_flag, CLONE_NEWUSER);
  EXPECT_EQ(spec->namespaces[1].clone_flag, CLONE_NEWNET);
  EXPECT_EQ(spec->namespaces[1].path, "/proc/1/ns/net");
  EXPECT_EQ(spec->namespaces[2].clone_flag, 0x80);  // CLONE_NEWTIME
  ASSERT_EQ(spec->uid_map.size(), 1u);
  EXPECT_EQ(spec->uid_map[0].outside, 100000u);
  EXPECT_EQ(spec->gid_map[0].count, 10u);
  EXPECT_EQ(spec->rootfs, "/tmp/rootfs");
  EXPECT_TRUE(spec->rootfs_readonly);
  EXPECT_EQ(spec->argv, c.argv);
  EXPECT_EQ(spec->env, c.env);
  EXPECT_EQ(spec->cwd, "/tmp");
  EXPECT_EQ(spec->uid, 1000u);
  EXPECT_THAT(spec->additional_gids, ElementsAre(5u, 6u));
  EXPECT_EQ(spec->umask, std::optional<mode_t>(022));
  EXPECT_EQ(spec->hostname, "box");
  ASSERT_EQ(spec->rlimits.size(), 1u);
  EXPECT_EQ(spec->rlimits[0].hard, 4096u);
  ASSERT_TRUE(spec->caps);
  EXPECT_EQ(spec->caps->ambient, 16u);
  EXPECT_TRUE(spec->no_new_privs);
  EXPECT_EQ(spec->oom_score_adj, std::optional<int>(-100));
  EXPECT_EQ(spec->securebits_skip_mask, 3u);
  EXPECT_FALSE(spec->run_as_init);
  EXPECT_EQ(spec->stdout_fd, 7);
  EXPECT_EQ(spec->stdin_fd, -1);
  EXPECT_EQ(spec->start_fd, 9);
  EXPECT_THAT(spec->keep_fds, ElementsAre(10));
  ASSERT_EQ(spec->seccomp_bpf.size(), 1u);
  EXPECT_EQ(spec->seccomp_flags, 1u);
}

// startContainer hooks go to the container's process, named for errors the
// way the runtime's hook runner names the others; no other stage does.
TEST(JailSpec, StartContainerHooksGoToTheChild) {
  Config c;
  c.hooks[HookStage::kStartContainer] = {
      Hook{"/bin/a", {}, {"X=1"}, std::nullopt},
      Hook{"/bin/b", {"name-b", "arg"}, {}, 5}};
  c.hooks[HookStage::kCreateContainer] = {Hook{"/bin/c", {}, {}, std::nullopt}};
  CreateOptions o;
  o.start_hooks_state = [](pid_t pid) { return absl::StrCat("s", pid); };
  auto spec = BuildJailSpec(c, o, JailSpecInputs{});
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->start_hooks.size(), 2u);
  const shim::StartHookSpec& a = spec->start_hooks[0];
  EXPECT_EQ(a.name, "hook startContainer[0] /bin/a");
  EXPECT_EQ(a.path, "/bin/a");
  EXPECT_THAT(a.argv, ElementsAre("/bin/a"));
  EXPECT_THAT(a.env, ElementsAre("X=1"));
  EXPECT_EQ(a.timeout_seconds, 0);
  const shim::StartHookSpec& b = spec->start_hooks[1];
  EXPECT_EQ(b.name, "hook startContainer[1] /bin/b");
  EXPECT_THAT(b.argv, ElementsAre("name-b", "arg"));
  EXPECT_EQ(b.timeout_seconds, 5);
  ASSERT_TRUE(spec->start_hooks_state);
  EXPECT_EQ(spec->start_hooks_state(42), "s42");

  o.start_hooks_state = nullptr;
  EXPECT_TRUE(
      absl::IsInvalidArgument(BuildJailSpec(c, o, JailSpecInputs{}).status()));
  c.hooks.erase(HookStage::kStartContainer);
  spec = BuildJailSpec(c, o, JailSpecInputs{});
  ASSERT_TRUE(spec.ok());
  EXPECT_TRUE(spec->start_hooks.empty());
  EXPECT_FALSE(spec->start_hooks_state);
}

TEST(JailSpec, UnsetCapabilitiesStayUnset) {
  Config c;
  auto spec = BuildJailSpec(c, CreateOptions{}, JailSpecInputs{});
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->caps);
  EXPECT_TRUE(spec->default_dev);
}

// The shim sets them at kCloned with the rlimits (process_attrs.h).
TEST(JailSpec, IoPriorityAndSchedulerReachTheShim) {
  Config c;
  c.io_priority = IoPriority{2, 5};
  Scheduler sched;
  sched.policy = SCHED_BATCH;
  sched.nice = 7;
  sched.flags = 1;
  c.scheduler = sched;
  auto spec = BuildJailSpec(c, CreateOptions{}, JailSpecInputs{});
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_TRUE(spec->io_priority.has_value());
  EXPECT_EQ(spec->io_priority->io_class, 2);
  EXPECT_EQ(spec->io_priority->priority, 5);
  ASSERT_TRUE(spec->scheduler.has_value());
  EXPECT_EQ(spec->scheduler->policy, SCHED_BATCH);
  EXPECT_EQ(spec->scheduler->nice, 7);
  EXPECT_EQ(spec->scheduler->flags, 1u);
  EXPECT_EQ(spec->scheduler->priority, 0u);
  // Unset in the config: the shim leaves the kernel's defaults.
  auto plain = BuildJailSpec(Config{}, CreateOptions{}, JailSpecInputs{});
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->io_priority.has_value());
  EXPECT_FALSE(plain->scheduler.has_value());
}

TEST(JailSpec, MountsSkipReplaceAndDevInPlace) {
  Config c;
  c.mounts = {MakeMount("proc", "/proc", "proc", MS_NOSUID),
              MakeMount("tmpfs", "/dev", "tmpfs", MS_NOSUID),
              MakeMount("/img.squashfs", "/opt", "squashfs", MS_RDONLY),
              MakeMount("/host/data", "/data", "bind", MS_BIND | MS_REC)};
  c.mounts[2].loop = true;
  c.mounts[3].propagation = MS_SLAVE;
  c.mounts[3].uid_mappings = {{0, 1000, 1}};
  JailSpecInputs in;
  in.mount_sources[2] = "/dev/loop3";
  in.skip_mounts.insert(0);
  auto spec = BuildJailSpec(c, CreateOptions{}, in);
  ASSERT_TRUE(spec.ok()) << spec.status();
  // The /dev tmpfs stays in its place, marked to get the default nodes.
  EXPECT_FALSE(spec->default_dev);
  EXPECT_THAT(Targets(*spec), ElementsAre("/dev", "/opt", "/data"));
  EXPECT_TRUE(spec->mounts[0].default_dev_nodes);
  EXPECT_EQ(spec->mounts[0].flags, static_cast<unsigned long>(MS_NOSUID));
  EXPECT_FALSE(spec->mounts[1].default_dev_nodes);
  EXPECT_EQ(spec->mounts[1].source, "/dev/loop3");
  EXPECT_EQ(spec->mounts[1].flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(spec->mounts[2].propagation, static_cast<unsigned long>(MS_SLAVE));
  EXPECT_EQ(spec->mounts[2].uid_mappings.size(), 1u);
  // Messages name them as the config does, skipped ones counted.
  EXPECT_EQ(spec->mounts[0].number, 1);
  EXPECT_EQ(spec->mounts[1].number, 2);
  EXPECT_EQ(spec->mounts[2].number, 3);
}

TEST(JailSpec, TmpcopyupReachesTheShim) {
  Config c;
  c.mounts = {MakeMount("tmpfs", "/run", "tmpfs", MS_NOSUID),
              MakeMount("tmpfs", "/scratch", "tmpfs", MS_NOSUID)};
  c.mounts[0].copy_up = true;
  auto spec = BuildJailSpec(c, CreateOptions{}, JailSpecInputs{});
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->mounts.size(), 2u);
  EXPECT_TRUE(spec->mounts[0].copy_up);
  EXPECT_FALSE(spec->mounts[1].copy_up);
  // No /dev mount in the config: the shim's own /dev, first.
  EXPECT_TRUE(spec->default_dev);
}

TEST(JailSpec, BindMountedDevIsKept) {
  Config c;
  c.mounts = {MakeMount("/dev", "/dev/", "bind", MS_BIND | MS_REC)};
  auto spec = BuildJailSpec(c, CreateOptions{}, JailSpecInputs{});
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->default_dev);
  EXPECT_THAT(Targets(*spec), ElementsAre("/dev/"));
  EXPECT_FALSE(spec->mounts[0].default_dev_nodes);
}

TEST(JailSpec, TimeOffsetsPassThrough) {
  Config c;
  c.time_offsets = {{"boottime", -5, 7}, {"monotonic", 86400, 0}};
  auto spec = BuildJailSpec(c, CreateOptions{}, JailSpecInputs{});
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->time_offsets.size(), 2u);
  EXPECT_EQ(spec->time_offsets[0].clock, "boottime");
  EXPECT_EQ(spec->time_offsets[0].secs, -5);
  EXPECT_EQ(spec->time_offsets[0].nanosecs, 7u);
  EXPECT_EQ(spec->time_offsets[1].clock, "monotonic");
  EXPECT_EQ(spec->time_offsets[1].secs, 86400);
}

}  // namespace
}  // namespace libcontainer
