// Real containers from a busybox rootfs, as root. Every test ends by
// asserting that nothing it made is left: no cgroup with its unique name,
// no mount or loop device under its temp dir, no process.
#include "libcontainer/container.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/start_channel.h"
#include "tests/testing/command.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/rootfs.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ocitest::LeakChecker;
using ocitest::ReadFile;
using ocitest::TempDir;
using ::testing::HasSubstr;

constexpr char kPath[] = "PATH=/bin:/sbin:/usr/bin";

std::string Trim(const std::string &s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

class ContainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("lctest");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_.emplace(*std::move(dir));
    rootfs_ = dir_->Sub("rootfs");
    ASSERT_TRUE(ocitest::MakeBusyboxRootfs(rootfs_).ok());
    id_ = ocitest::UniqueName("lctest");
    checker_.emplace(std::vector<std::string>{dir_->path(), id_});
    options_.id = id_;
  }

  void TearDown() override {
    if (container_) {
      (void)container_->Destroy();
      container_.reset();
    }
    EXPECT_EQ(WaitForNoLeaks(), "");
    if (out_read_ >= 0) close(out_read_);
  }

  // Loop devices with autoclear are released by the kernel shortly after
  // the last mount goes; give it a bounded moment.
  std::string WaitForNoLeaks() {
    absl::Time deadline = absl::Now() + absl::Seconds(3);
    std::string leaks = checker_->FindLeaks();
    while (!leaks.empty() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
      leaks = checker_->FindLeaks();
    }
    return leaks;
  }

  Config BaseConfig(std::vector<std::string> argv) {
    Config c;
    c.rootfs = rootfs_;
    c.argv = std::move(argv);
    c.env = {kPath};
    c.namespaces = {{NamespaceType::kMount, ""},
                    {NamespaceType::kPid, ""},
                    {NamespaceType::kUts, ""},
                    {NamespaceType::kIpc, ""},
                    {NamespaceType::kNetwork, ""}};
    Mount proc;
    proc.source = "proc";
    proc.destination = "/proc";
    proc.type = "proc";
    proc.flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    c.mounts.push_back(proc);
    return c;
  }

  Config ShellConfig(const std::string &script) {
    return BaseConfig({"/bin/sh", "-c", script});
  }

  // Routes the container's stdout and stderr into a pipe read by Output().
  void CaptureOutput() {
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    out_read_ = fds[0];
    out_write_ = fds[1];
    options_.stdout_fd = out_write_;
    options_.stderr_fd = out_write_;
  }

  absl::Status Create(const Config &config) {
    auto c = Container::Create(config, options_);
    if (out_write_ >= 0) {
      close(out_write_);
      out_write_ = -1;
    }
    if (!c.ok()) return c.status();
    container_ = *std::move(c);
    return absl::OkStatus();
  }

  std::string Output() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(out_read_, buf, sizeof(buf))) > 0) out.append(buf, n);
    return out;
  }

  // Runs to completion; returns output, expects exit code `code`.
  std::string Run(const Config &config, int code = 0) {
    CaptureOutput();
    absl::Status s = Create(config);
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) return "";
    std::string out = Output();
    auto status = container_->Wait();
    EXPECT_TRUE(status.ok()) << status.status();
    if (status.ok()) {
      EXPECT_EQ(status->ToShellStatus(), code) << out;
    }
    EXPECT_TRUE(container_->Destroy().ok());
    container_.reset();
    return out;
  }

  std::string CgroupDir(const std::string &controller) {
    return absl::StrCat("/sys/fs/cgroup/", controller, "/", id_);
  }

  std::optional<TempDir> dir_;
  std::string rootfs_;
  std::string id_;
  std::optional<LeakChecker> checker_;
  CreateOptions options_;
  std::unique_ptr<Container> container_;
  int out_read_ = -1;
  int out_write_ = -1;
};

TEST_F(ContainerTest, RunsProgramAndReportsExitCode) {
  EXPECT_EQ(Run(ShellConfig("echo hi; exit 3"), 3), "hi\n");
}

// linux.timeOffsets: /proc/uptime follows the boottime clock, shifted by
// ten days inside the container's time namespace.
TEST_F(ContainerTest, TimeNamespaceOffsetsAreApplied) {
  Config c = ShellConfig("cut -d. -f1 /proc/uptime");
  c.namespaces.push_back({NamespaceType::kTime, ""});
  c.time_offsets = {{"boottime", 864000, 0}};
  std::string out = Run(c, 0);
  int64_t uptime = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(out), &uptime))
      << out;
  EXPECT_GE(uptime, 864000);
}

TEST_F(ContainerTest, KillReportsSignal) {
  ASSERT_TRUE(Create(BaseConfig({"/bin/sleep", "100"})).ok());
  // SIGKILL: pid 1 of a pid namespace ignores signals it has no handler
  // for, except this one from an ancestor namespace.
  ASSERT_TRUE(container_->Kill(SIGKILL).ok());
  auto status = container_->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->signaled);
  EXPECT_EQ(status->signal, SIGKILL);
  EXPECT_EQ(status->ToShellStatus(), 128 + SIGKILL);
  EXPECT_FALSE(container_->Kill(SIGKILL).ok());  // already reaped
}

TEST_F(ContainerTest, CgroupLimitsVisibleFromHost) {
  Config c = BaseConfig({"/bin/sleep", "100"});
  c.resources.memory.emplace();
  c.resources.memory->limit = 64 << 20;
  c.resources.pids = PidsResources{20};
  c.resources.cpu.emplace();
  c.resources.cpu->shares = 256;
  ASSERT_TRUE(Create(c).ok());
  pid_t pid = container_->pid();
  auto cgroup = ReadFile(absl::StrCat("/proc/", pid, "/cgroup"));
  ASSERT_TRUE(cgroup.ok());
  EXPECT_THAT(*cgroup, HasSubstr(absl::StrCat(":memory:/", id_, "\n")));
  EXPECT_THAT(*cgroup, HasSubstr(absl::StrCat(":pids:/", id_, "\n")));
  EXPECT_THAT(*cgroup, HasSubstr(absl::StrCat(":devices:/", id_, "\n")));
  EXPECT_THAT(*cgroup, HasSubstr(absl::StrCat(":name=systemd:/", id_, "\n")));
  // Hybrid host: tracked in the cgroup2 tree too, like runc does.
  EXPECT_THAT(*cgroup, HasSubstr(absl::StrCat("0::/", id_, "\n")));
  EXPECT_EQ(Trim(*ReadFile(CgroupDir("memory") + "/memory.limit_in_bytes")),
            "67108864");
  EXPECT_EQ(Trim(*ReadFile(CgroupDir("pids") + "/pids.max")), "20");
  EXPECT_EQ(Trim(*ReadFile(CgroupDir("cpu") + "/cpu.shares")), "256");
  // The cpuset was made usable from the parent's cpus and mems.
  EXPECT_EQ(*ReadFile(CgroupDir("cpuset") + "/cpuset.cpus"),
            *ReadFile("/sys/fs/cgroup/cpuset/cpuset.cpus"));

  ASSERT_TRUE(container_->Destroy().ok());
  container_.reset();
  struct stat st;
  EXPECT_NE(stat(CgroupDir("memory").c_str(), &st), 0);
  EXPECT_NE(stat(absl::StrCat("/sys/fs/cgroup/unified/", id_).c_str(), &st), 0);
  EXPECT_NE(kill(pid, 0), 0);
}

// The child joins its cgroups itself (v1 "tasks" writes, CLONE_INTO_CGROUP
// for cgroup2); it must end up in the container's cgroup everywhere.
TEST_F(ContainerTest, ProcessIsInTheContainersCgroupInEveryHierarchy) {
  ASSERT_TRUE(Create(BaseConfig({"/bin/sleep", "100"})).ok());
  auto cgroup = ReadFile(absl::StrCat("/proc/", container_->pid(), "/cgroup"));
  ASSERT_TRUE(cgroup.ok());
  int lines = 0;
  for (absl::string_view line :
       absl::StrSplit(*cgroup, '\n', absl::SkipEmpty())) {
    ++lines;
    EXPECT_TRUE(absl::EndsWith(line, absl::StrCat(":/", id_))) << *cgroup;
  }
  EXPECT_GE(lines, 2) << *cgroup;
  ASSERT_TRUE(container_->Kill(SIGKILL).ok());
  ASSERT_TRUE(container_->Destroy().ok());
  container_.reset();
}

// The stamps behind run_oci --timings: every phase reached, in order.
TEST_F(ContainerTest, CreateTimesAreOrdered) {
  CaptureOutput();
  ASSERT_TRUE(Create(ShellConfig("true")).ok());
  const CreateTimes &t = container_->create_times();
  using shim::ChildPhase;
  const std::vector<int64_t> in_order = {
      t.begin,
      t.cgroups,
      t.prepared,
      t.child.at(ChildPhase::kStart),
      t.child.at(ChildPhase::kCgroupsJoined),
      t.id_maps,
      t.child.at(ChildPhase::kMounts),
      t.child.at(ChildPhase::kPreChrootAcked),
      t.child.at(ChildPhase::kPivotRoot),
      t.child.at(ChildPhase::kReady),
      t.started};
  for (size_t i = 0; i < in_order.size(); ++i) {
    EXPECT_GT(in_order[i], 0) << "stamp " << i;
    if (i > 0) {
      EXPECT_LE(in_order[i - 1], in_order[i]) << "stamp " << i;
    }
  }
  EXPECT_LE(t.child.at(ChildPhase::kSeccompStart),
            t.child.at(ChildPhase::kSeccompEnd));
  auto status = container_->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->code, 0);
  ASSERT_TRUE(container_->Destroy().ok());
  container_.reset();
}

TEST_F(ContainerTest, CgroupParentIsCreatedAndRemoved) {
  options_.cgroup_parent = id_ + "-parent/sub";
  EXPECT_THAT(
      Run(ShellConfig("grep memory /proc/self/cgroup")),
      HasSubstr(absl::StrCat(":memory:/", id_, "-parent/sub/", id_, "\n")));
}

TEST_F(ContainerTest, DeviceDeniedUnlessAllowed) {
  Config c = ShellConfig(
      "stat -c '%a %u %g %t %T' /dev/kmsgx; exec 3</dev/kmsgx && echo opened");
  Device kmsg;
  kmsg.type = 'c';
  kmsg.path = "/dev/kmsgx";
  kmsg.major = 1;
  kmsg.minor = 11;
  kmsg.file_mode = 0640;
  kmsg.uid = 12;
  kmsg.gid = 34;
  c.devices.push_back(kmsg);
  std::string out = Run(c, 1);
  EXPECT_THAT(out, HasSubstr("640 12 34 1 b\n"));
  EXPECT_THAT(out, HasSubstr("Operation not permitted"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("opened")));

  CgroupDeviceRule allow;
  allow.allow = true;
  allow.type = 'c';
  allow.major = 1;
  allow.minor = 11;
  allow.access = "r";
  c.resources.devices.push_back(allow);
  out = Run(c, 0);
  EXPECT_THAT(out, HasSubstr("opened\n"));
}

TEST_F(ContainerTest, DynamicMinorTakesHostNumber) {
  struct stat host;
  ASSERT_EQ(stat("/dev/loop-control", &host), 0);
  Config c = ShellConfig("stat -c '%t %T' /dev/loop-control");
  Device d;
  d.type = 'c';
  d.path = "/dev/loop-control";
  d.major = 10;
  d.minor = 0;
  d.dynamic_minor = true;
  c.devices.push_back(d);
  char expected[32];
  snprintf(expected, sizeof(expected), "%x %x\n", major(host.st_rdev),
           minor(host.st_rdev));
  EXPECT_EQ(Run(c), expected);
}

class LoopTest : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    std::string content = dir_->Sub("content");
    ASSERT_EQ(mkdir(content.c_str(), 0755), 0);
    ASSERT_TRUE(
        ocitest::WriteFile(content + "/hello.txt", "from squashfs\n").ok());
    image_ = dir_->Sub("image.squashfs");
    auto r = ocitest::RunCommand(
        {"mksquashfs", content, image_, "-noappend", "-quiet"});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->exit_code, 0) << r->err;
  }

  Mount LoopMount(const std::string &dest) {
    Mount m;
    m.source = image_;
    m.destination = dest;
    m.type = "squashfs";
    m.flags = MS_RDONLY | MS_NODEV | MS_NOSUID;
    m.loop = true;
    return m;
  }

  std::string image_;
};

TEST_F(LoopTest, LoopMountReadableAndReleased) {
  Config c = ShellConfig("cat /opt/sq/hello.txt");
  c.mounts.push_back(LoopMount("/opt/sq"));
  EXPECT_EQ(Run(c), "from squashfs\n");
  // TearDown asserts the loop device is gone (backing file in our dir).
}

TEST_F(LoopTest, IntermediateNamespaceLoopMount) {
  Config c = ShellConfig("cat /opt/im/hello.txt; grep -c /opt/im /proc/mounts");
  Mount m = LoopMount("/opt/im");
  m.in_intermediate_namespace = true;
  c.mounts.push_back(m);
  EXPECT_EQ(Run(c), "from squashfs\n1\n");
}

TEST_F(LoopTest, HostileDestinationStaysInRootfs) {
  // /escape -> / on the host would put the mount on the host's /opt.
  ASSERT_EQ(symlink("/", (rootfs_ + "/escape").c_str()), 0);
  Config c = ShellConfig("cat /opt/x/hello.txt");
  Mount m = LoopMount("/escape/opt/x");
  m.in_intermediate_namespace = true;
  c.mounts.push_back(m);
  EXPECT_EQ(Run(c), "from squashfs\n");
  struct stat st;
  EXPECT_NE(stat("/opt/x", &st), 0);
}

TEST_F(ContainerTest, IntermediateBindMountReadOnly) {
  std::string data = dir_->Sub("data");
  ASSERT_EQ(mkdir(data.c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(data + "/f", "bound\n").ok());
  Config c = ShellConfig(
      "cat /mnt/data/f; touch /mnt/data/g 2>&1 | grep -o 'Read-only file "
      "system'");
  Mount m;
  m.source = data;
  m.destination = "/mnt/data";
  m.type = "bind";
  m.flags = MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID;
  m.in_intermediate_namespace = true;
  c.mounts.push_back(m);
  EXPECT_EQ(Run(c), "bound\nRead-only file system\n");
  struct stat st;
  EXPECT_NE(stat((data + "/g").c_str(), &st), 0);
}

TEST_F(ContainerTest, ConcurrentContainersShareACgroupParent) {
  // Parents are removed by whoever created them when empty; a parent still
  // holding a sibling stays, so the test removes it at the end.
  options_.cgroup_parent = id_ + "-shared";
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::mutex mu;
  std::string first_error;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        CreateOptions options = options_;
        options.id = absl::StrCat(id_, "-", t, "-", round);
        auto c = Container::Create(BaseConfig({"/bin/true"}), options);
        absl::Status s = c.ok() ? absl::OkStatus() : c.status();
        if (c.ok()) {
          auto status = (*c)->Wait();
          if (!status.ok()) s = status.status();
          absl::Status d = (*c)->Destroy();
          if (s.ok()) s = d;
        }
        if (!s.ok()) {
          ++failures;
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.empty()) first_error = std::string(s.message());
        }
      }
    });
  }
  for (std::thread &thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  for (const std::string &dir : checker_->Cgroups()) {
    EXPECT_EQ(dir.find(id_ + "-shared/"), std::string::npos) << dir;
    rmdir(dir.c_str());
  }
}

TEST_F(ContainerTest, VerityMountFailsClearly) {
  Config c = ShellConfig("true");
  Mount m;
  m.source = "/dev/null";
  m.destination = "/verity";
  m.type = "ext4";
  m.verity = "0 8 verity 1 /dev/loop0 /dev/loop0 4096 4096 1 1 sha256 x y";
  c.mounts.push_back(m);
  absl::Status s = Create(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "dm-verity mount /verity: device-mapper is not supported on this "
            "kernel");
}

TEST_F(ContainerTest, AppArmorAndRdtNeedHostSupport) {
  Config c = ShellConfig("true");
  c.apparmor_profile = "docker-default";
  absl::Status s = Create(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("AppArmor is not enabled"));
  c.apparmor_profile.clear();
  c.intel_rdt.emplace();
  s = Create(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("resctrl is not mounted"));
}

TEST_F(ContainerTest, BadCgroupLimitUnwinds) {
  Config c = ShellConfig("true");
  c.resources.memory.emplace();
  c.resources.memory->swappiness = 1000;
  absl::Status s = Create(c);
  EXPECT_THAT(s.message(), HasSubstr("memory.swappiness"));
}

TEST_F(ContainerTest, DestroyKillsEverythingInTheCgroups) {
  ASSERT_TRUE(
      Create(ShellConfig("sleep 100 & sleep 100 & sleep 100; wait")).ok());
  // Wait until the children exist.
  std::string procs_file = CgroupDir("pids") + "/cgroup.procs";
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  int count = 0;
  while (absl::Now() < deadline) {
    auto procs = ReadFile(procs_file);
    ASSERT_TRUE(procs.ok());
    count = std::count(procs->begin(), procs->end(), '\n');
    if (count >= 4) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(count, 4);
  ASSERT_TRUE(container_->Destroy().ok());
  container_.reset();
  EXPECT_TRUE(checker_->Cgroups().empty());
  EXPECT_TRUE(checker_->Processes().empty());
}

// Without its own pid namespace, the init's exit leaves its child
// running in the cgroups: Destroy's quick removal must see them busy and
// fall back to killing.
TEST_F(ContainerTest, DestroyAfterInitExitKillsWhatItLeft) {
  Config c = ShellConfig("sleep 100 >/dev/null 2>&1 &");
  c.namespaces.erase(std::remove_if(c.namespaces.begin(), c.namespaces.end(),
                                    [](const auto &ns) {
                                      return ns.type == NamespaceType::kPid;
                                    }),
                     c.namespaces.end());
  ASSERT_TRUE(Create(c).ok());
  auto status = container_->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->code, 0);
  auto procs = ReadFile(CgroupDir("pids") + "/cgroup.procs");
  ASSERT_TRUE(procs.ok()) << procs.status();
  EXPECT_EQ(std::count(procs->begin(), procs->end(), '\n'), 1) << *procs;
  ASSERT_TRUE(container_->Destroy().ok());
  container_.reset();
  EXPECT_TRUE(checker_->Cgroups().empty());
  EXPECT_TRUE(checker_->Processes().empty());
}

TEST_F(ContainerTest, DestroyDetachedFromConfig) {
  Config c = BaseConfig({"/bin/sleep", "100"});
  ASSERT_TRUE(Create(c).ok());
  // What run_oci records at create and hands its later destroy.
  ASSERT_TRUE(DestroyDetached(c.cgroups_path, options_,
                              container_->created_cgroup_parents(),
                              container_->created_cgroup_leaves())
                  .ok());
  auto status = container_->Wait();
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->signaled);
  EXPECT_EQ(status->signal, SIGKILL);
  EXPECT_TRUE(checker_->Cgroups().empty());
  container_.reset();
  // Nothing left: a second destroy is fine.
  EXPECT_TRUE(DestroyDetached(c.cgroups_path, options_).ok());
}

TEST_F(ContainerTest, UserNamespaceRootOwnsCgroups) {
  Config c = ShellConfig("cat /proc/self/uid_map; sleep 100");
  c.namespaces.push_back({NamespaceType::kUser, ""});
  c.uid_map = {{0, 100000, 65536}};
  c.gid_map = {{0, 200000, 65536}};
  CaptureOutput();
  ASSERT_TRUE(Create(c).ok());
  // The map line comes in one write from cat, before the sleep.
  char line[128] = {};
  ASSERT_GT(read(out_read_, line, sizeof(line) - 1), 0);
  EXPECT_THAT(std::string(line),
              ::testing::MatchesRegex(" *0 +100000 +65536\n"));
  struct stat st;
  ASSERT_EQ(stat(CgroupDir("memory").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 100000u);
  EXPECT_EQ(st.st_gid, 200000u);
  ASSERT_EQ(stat((CgroupDir("pids") + "/cgroup.procs").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 100000u);
  ASSERT_EQ(stat(absl::StrCat("/sys/fs/cgroup/unified/", id_).c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 100000u);
  ASSERT_TRUE(container_->Destroy().ok());
  container_.reset();
}

TEST_F(ContainerTest, IoPriorityAndSchedulerSetFromParent) {
  // /proc/<pid>/stat: field 19 is nice, 41 the policy.
  Config c = ShellConfig("ionice; cut -d' ' -f19,41 /proc/self/stat");
  c.io_priority = IoPriority{2, 5};  // IOPRIO_CLASS_BE
  Scheduler sched;
  sched.policy = SCHED_BATCH;
  sched.nice = 7;
  c.scheduler = sched;
  EXPECT_EQ(Run(c), absl::StrCat("best-effort: prio 5\n7 ", SCHED_BATCH, "\n"));
}

// The create/start split: the process waits on the start socket; the
// startContainer hooks run when it is released, inside the container.
TEST_F(ContainerTest, StartFdDefersStartContainerHooks) {
  base::ScopedFd dir(open(dir_->path().c_str(), O_PATH | O_DIRECTORY));
  absl::StatusOr<base::ScopedFd> listening =
      shim::ListenForStart(dir.get(), "start.sock");
  ASSERT_TRUE(listening.ok()) << listening.status();
  std::vector<HookStage> seen;
  options_.run_hooks = [&](HookStage stage, pid_t) {
    seen.push_back(stage);
    return absl::OkStatus();
  };
  options_.start_fd = listening->get();
  options_.start_hooks_state = [](pid_t pid) {
    return absl::StrCat("state of ", pid, "\n");
  };
  Config c = ShellConfig("echo started");
  c.hooks[HookStage::kStartContainer] = {
      Hook{"/bin/sh", {"sh", "-c", "cat; echo hook"}, {}, std::nullopt}};
  CaptureOutput();
  ASSERT_TRUE(Create(c).ok());
  listening->reset();
  EXPECT_EQ(seen.back(), HookStage::kPrechroot);
  EXPECT_EQ(seen.size(), 4u);
  // Still waiting: nothing printed yet, the process is alive.
  struct pollfd pfd = {out_read_, POLLIN, 0};
  EXPECT_EQ(poll(&pfd, 1, 200), 0);
  EXPECT_EQ(kill(container_->pid(), 0), 0);
  ASSERT_TRUE(shim::ReleaseWaitingChild(dir.get(), "start.sock", "sh").ok());
  EXPECT_EQ(Output(),
            absl::StrCat("state of ", container_->pid(), "\nhook\nstarted\n"));
  auto status = container_->Wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->code, 0);
  EXPECT_EQ(seen.size(), 4u) << "startContainer is not the runtime's";
}

// Without a state for the hooks' stdin the container is not made at all.
TEST_F(ContainerTest, StartContainerHooksNeedAState) {
  Config c = ShellConfig("true");
  c.hooks[HookStage::kStartContainer] = {
      Hook{"/bin/true", {}, {}, std::nullopt}};
  absl::Status s = Create(c);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
}

TEST_F(ContainerTest, DevTmpfsGetsDefaultNodes) {
  // runc's default spec mounts a tmpfs on /dev: it becomes the standard
  // /dev with its nodes, which the default device rules allow.
  Config c = ShellConfig("echo x > /dev/null && head -c 1 /dev/zero | wc -c");
  Mount dev;
  dev.source = "tmpfs";
  dev.destination = "/dev";
  dev.type = "tmpfs";
  dev.flags = MS_NOSUID;
  dev.data = "mode=755,size=65536k";
  c.mounts.push_back(dev);
  EXPECT_EQ(Trim(Run(c)), "1");
}

// A failing hook at each stage unwinds the cgroups, the process, the loop
// device and the intermediate mount.
class HookFailureTest : public LoopTest,
                        public ::testing::WithParamInterface<HookStage> {};

TEST_P(HookFailureTest, UnwindsEverything) {
  Config c = ShellConfig("sleep 100");
  Mount in_root = LoopMount("/opt/a");
  c.mounts.push_back(in_root);
  Mount intermediate = LoopMount("/opt/b");
  intermediate.in_intermediate_namespace = true;
  c.mounts.push_back(intermediate);
  std::vector<HookStage> seen;
  HookStage failing = GetParam();
  options_.run_hooks = [&](HookStage stage, pid_t pid) -> absl::Status {
    seen.push_back(stage);
    EXPECT_GT(pid, 0);
    if (stage == failing) return absl::InternalError("hook failed here");
    return absl::OkStatus();
  };
  absl::Status s = Create(c);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("hook failed here"));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), failing);
  EXPECT_EQ(seen.front(), HookStage::kPrestart);
}

INSTANTIATE_TEST_SUITE_P(AllStages, HookFailureTest,
                         ::testing::Values(HookStage::kPrestart,
                                           HookStage::kCreateRuntime,
                                           HookStage::kCreateContainer,
                                           HookStage::kPrechroot));

// A failing startContainer hook (run by the container's process) fails
// Create the same way, with the hook named, and leaves nothing behind:
// its background child included (the pid namespace goes with the init).
TEST_F(LoopTest, FailingStartContainerHookUnwindsEverything) {
  Config c = ShellConfig("sleep 100");
  c.mounts.push_back(LoopMount("/opt/a"));
  Mount intermediate = LoopMount("/opt/b");
  intermediate.in_intermediate_namespace = true;
  c.mounts.push_back(intermediate);
  c.hooks[HookStage::kStartContainer] = {
      Hook{"/bin/sh", {"sh", "-c", "sleep 100 & exit 3"}, {}, std::nullopt}};
  options_.start_hooks_state = [](pid_t) { return std::string("{}"); };
  absl::Status s = Create(c);
  EXPECT_EQ(s.message(),
            "hook startContainer[0] /bin/sh: exited with status 3");
}

TEST_F(ContainerTest, HooksRunInOrder) {
  std::vector<HookStage> seen;
  options_.run_hooks = [&](HookStage stage, pid_t) {
    seen.push_back(stage);
    return absl::OkStatus();
  };
  Run(ShellConfig("true"));
  EXPECT_EQ(seen, (std::vector<HookStage>{
                      HookStage::kPrestart, HookStage::kCreateRuntime,
                      HookStage::kCreateContainer, HookStage::kPrechroot}));
}

}  // namespace
}  // namespace libcontainer
