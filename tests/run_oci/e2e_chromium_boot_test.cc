// Chromium OS's boot flow through the binary. The session manager starts a
// container with `run_oci --log_tag=TAG --container_path=DIR start ID`,
// reads /run/containers/ID/container.pid (here: a private state root), and
// later stops it with `kill ID`, `--signal=KILL kill ID` and `destroy ID`
// from any working directory, each retried up to three times. The Android
// test boots a bundle written like Chromium's ARC++ bundles (see
// testdata/arc_bundle_chromium_style) that way, checks it from inside and
// repeats the whole cycle 20 times without leaking anything.
#include <errno.h>
#include <fcntl.h>
#include <linux/securebits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/rootfs.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kId[] = "android";
constexpr char kTag[] = "arc";
// Chromium's ARC++ shift: container ids 0.. are host ids 655360...
constexpr int kHostRoot = 655360;
constexpr int kBindMounts = 24;

class ChromiumBootTest : public RunOciE2eTest {
 protected:
  // run_oci as the session manager calls it: global flags only, from a
  // working directory that is not the bundle.
  ocitest::CommandResult SessionManager(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        "sh",     "-c", "cd \"$0\" && exec \"$@\"", cwd_, RUN_OCI_BINARY,
        "--root", root_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<ocitest::CommandResult> result = ocitest::RunCommand(argv);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(ocitest::CommandResult());
  }

  void SetUp() override {
    RunOciE2eTest::SetUp();
    cwd_ = temp_->Sub("elsewhere");
    ASSERT_EQ(mkdir(cwd_.c_str(), 0755), 0);
  }

  // Stops and destroys as the session manager does, each step three times:
  // the first does the work, the others change nothing.
  void StopLikeTheSessionManager() {
    for (int i = 0; i < 3; ++i) {
      ocitest::CommandResult r =
          SessionManager({absl::StrCat("--log_tag=", kTag), "kill", kId});
      EXPECT_EQ(r.exit_code, 0) << r.err;  // pid 1 ignores SIGTERM
    }
    ocitest::CommandResult killed =
        SessionManager({"--signal=KILL", "kill", kId});
    EXPECT_EQ(killed.exit_code, 0) << killed.err;
    for (int i = 0; i < 2; ++i) {
      ocitest::CommandResult r = SessionManager({"--signal=KILL", "kill", kId});
      // Gone (exit 0 when the kill came before the exit was seen) or
      // "not running": either way nothing changes.
      if (r.exit_code != 0) {
        EXPECT_EQ(r.err,
                  absl::StrCat("run_oci: container not running: ", kId, "\n"));
      }
    }
    ocitest::CommandResult destroyed = SessionManager({"destroy", kId});
    // The dead init was reparented to this test (the leak checker's
    // subreaper), as it is to the session manager; reap it as that does. A
    // zombie keeps its cgroup's kernel side alive after rmdir, cpu
    // realtime budget included, so unreaped ones exhaust the host's.
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
    for (int i = 0; i < 2; ++i) {
      ocitest::CommandResult r = SessionManager({"destroy", kId});
      EXPECT_EQ(r.exit_code, 1);
      EXPECT_EQ(r.err,
                absl::StrCat("run_oci: container does not exist: ", kId, "\n"));
    }
  }

  std::string cwd_;
};

TEST_F(ChromiumBootTest, TheSessionManagersSequenceStartsAndStops) {
  WriteConfig({"sleep", "1000"});
  ocitest::CommandResult start = SessionManager(
      {absl::StrCat("--log_tag=", kTag), "-p", cgroup_parent_,
       absl::StrCat("--container_path=", bundle_), "start", kId});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  std::string pid_text =
      ocitest::ReadFile(StateDir(kId) + "/container.pid").value_or("");
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(pid_text, &pid)) << pid_text;
  EXPECT_EQ(kill(pid, 0), 0);
  StopLikeTheSessionManager();
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// What the ARC++ bundle's parts look like on the host.
class AndroidBootTest : public ChromiumBootTest {
 protected:
  void SetUp() override {
    ChromiumBootTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(MakeBundle());
  }

  void MakeBundle() {
    // root: rootfs/root, a busybox tree with Android's mount points.
    const std::string root = bundle_ + "/rootfs/root";
    ASSERT_TRUE(ocitest::MakeBusyboxRootfs(root).ok());
    for (const char* dir : {"system", "var", "var/run", "var/run/arc"}) {
      const std::string path = absl::StrCat(root, "/", dir);
      ASSERT_TRUE(mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) << dir;
    }
    // The probe that reads the securebits from inside (static: the root
    // has no libc).
    absl::StatusOr<std::string> probe = ocitest::ReadFile(SECUREBITS_PROBE);
    ASSERT_TRUE(probe.ok()) << probe.status();
    ASSERT_TRUE(
        ocitest::WriteFile(root + "/bin/securebits_probe", *probe, 0755).ok());
    // The read-only system image, built now from busybox, owned by the
    // container's root as Android's images are.
    const std::string system_src = temp_->Sub("system-src");
    ASSERT_TRUE(ocitest::MakeBusyboxRootfs(system_src).ok());
    ASSERT_TRUE(ocitest::WriteFile(system_src + "/build.prop",
                                   "ro.build.version.sdk=33\n")
                    .ok());
    const std::string image = bundle_ + "/system.raw.img";
    ocitest::CommandResult squash =
        ocitest::RunCommand({"mksquashfs", system_src, image, "-noappend",
                             "-quiet", "-force-uid", absl::StrCat(kHostRoot),
                             "-force-gid", absl::StrCat(kHostRoot)})
            .value_or(ocitest::CommandResult());
    ASSERT_EQ(squash.exit_code, 0) << squash.err;
    // Host directories the container sees: results (written by the
    // container's root, a host uid of the shifted range), the cmdline, and
    // the bind mounts.
    results_ = temp_->Sub("results");
    ASSERT_EQ(mkdir(results_.c_str(), 0755), 0);
    ASSERT_EQ(chown(results_.c_str(), kHostRoot, kHostRoot), 0);
    ASSERT_TRUE(ocitest::WriteFile(temp_->Sub("cmdline.android"),
                                   "androidboot.hardware=e2e\n")
                    .ok());
    for (int i = 0; i < kBindMounts; ++i) {
      std::string dir = temp_->Sub(absl::StrCat("bind", i));
      ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
      ASSERT_TRUE(ocitest::WriteFile(dir + "/id", absl::StrCat(i, "\n")).ok());
    }
    hook_out_ = temp_->Sub("hooks");
    ASSERT_EQ(mkdir(hook_out_.c_str(), 0777), 0);
    ASSERT_EQ(chmod(hook_out_.c_str(), 0777), 0);
    WriteArcConfig();
  }

  std::string Bind(const std::string& source, const std::string& destination,
                   const std::string& options) {
    return absl::StrCat(R"({"destination":)", JsonString(destination),
                        R"(,"type":"bind","source":)", JsonString(source),
                        R"(,"options":)", options, "}");
  }

  void WriteArcConfig() {
    const std::string checks = absl::StrJoin(
        {
            "r=/var/run/arc/results",
            "id -u > $r/uid",
            "cat /proc/self/uid_map > $r/uid_map",
            "grep ' /system ' /proc/self/mountinfo > $r/system_mount",
            "touch /system/x 2> $r/system_write || echo refused >> "
            "$r/system_write",
            "cat /system/build.prop > $r/build_prop",
            "stat -c '%t:%T' /dev/fuse > $r/fuse",
            "cat /proc/cmdline > $r/cmdline",
            "hostname > $r/hostname",
            "cat /var/run/arc/b*/id | sort -n | tr '\\n' ' ' > $r/binds",
            "ls /var/run/arc/sdcard > $r/sdcard",
            "/bin/securebits_probe > $r/securebits",
            "echo ready > $r/ready",
            "exec sleep 1000",
        },
        "; ");
    std::vector<std::string> mounts = {
        Bind("rootfs/root", "/", R"(["rslave","suid","exec"])") +
            "",  // see below: in the intermediate namespace
        R"({"destination":"/system","type":"squashfs","source":)" +
            JsonString(bundle_ + "/system.raw.img") +
            R"(,"options":["loop","ro","nodev"],)"
            // squashfs cannot be mounted from inside a user namespace.
            R"("performInIntermediateNamespace":true})",
        R"({"destination":"/dev","type":"tmpfs","source":"tmpfs",)"
        R"("options":["mode=755","uid=655360","gid=655360","nosuid"],)"
        R"("performInIntermediateNamespace":true})",
        R"({"destination":"/dev/pts","type":"devpts","source":"devpts",)"
        R"("options":["newinstance","noexec","nosuid","ptmxmode=0666"]})",
        R"({"destination":"/var/run/arc","type":"tmpfs","source":"tmpfs",)"
        R"("options":["mode=775","gid=1000","noexec","nodev","nosuid"]})",
        Bind(hook_out_, "/var/run/arc/sdcard", R"(["rbind"])"),
        Bind(results_, "/var/run/arc/results", R"(["rbind"])"),
        R"({"destination":"/proc","type":"proc","source":"proc",)"
        R"("options":["nosuid","noexec","nodev"]})",
        Bind(temp_->Sub("cmdline.android"), "/proc/cmdline", R"(["bind"])"),
    };
    // The root bind is one of Chromium's intermediate-namespace mounts.
    mounts[0].insert(mounts[0].size() - 1,
                     R"(,"performInIntermediateNamespace":true)");
    for (int i = 0; i < kBindMounts; ++i) {
      mounts.push_back(Bind(temp_->Sub(absl::StrCat("bind", i)),
                            absl::StrCat("/var/run/arc/b", i),
                            R"(["bind","ro","nosuid","nodev"])"));
    }
    const std::string precreate =
        absl::StrCat("cat > ", hook_out_, "/precreate.state; echo done > ",
                     hook_out_, "/precreate");
    const std::string prechroot =
        absl::StrCat("readlink /proc/self/ns/mnt > ", hook_out_, "/prechroot");
    const std::string hooks =
        absl::StrCat(R"({"precreate":[{"path":"/bin/sh","args":)",
                     JsonArray({"sh", "-c", precreate}), R"(,"timeout":90}],)",
                     R"("prechroot":[{"path":"/bin/sh","args":)",
                     JsonArray({"sh", "-c", prechroot}), R"(,"timeout":8}]})");
    const std::string cpu =
        realtime_
            ? R"("cpu":{"realtimeRuntime":200000,"realtimePeriod":1000000},)"
            : "";
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.0-rc1","root":{"path":"rootfs/root"},)",
        R"("hostname":"android","process":{"user":{"uid":0,"gid":0},)",
        R"("args":)", JsonArray({"/system/bin/sh", "-c", checks}),
        R"(,"env":["PATH=/system/bin:/bin"],"cwd":"/",)",
        R"("capabilities":{"bounding":["CAP_CHOWN","CAP_SYS_ADMIN"],)",
        R"("effective":["CAP_CHOWN","CAP_SYS_ADMIN"],)",
        R"("permitted":["CAP_CHOWN","CAP_SYS_ADMIN"]}},)", R"("mounts":[)",
        absl::StrJoin(mounts, ","), "],", R"("hooks":)", hooks, ",",
        R"("linux":{"cgroupsPath":)",
        JsonString(absl::StrCat("/", cgroup_parent_, "/android")), ",",
        R"("skipSecurebits":["KEEP_CAPS","KEEP_CAPS_LOCKED"],)",
        R"("namespaces":[{"type":"cgroup"},{"type":"pid"},{"type":"network"},)",
        R"({"type":"ipc"},{"type":"user"},{"type":"uts"},{"type":"mount"}],)",
        R"("uidMappings":[{"hostID":655360,"containerID":0,"size":5000},)",
        R"({"hostID":660410,"containerID":5050,"size":20000}],)",
        R"("gidMappings":[{"hostID":655360,"containerID":0,"size":1065},)",
        R"({"hostID":656426,"containerID":1066,"size":3934}],)",
        R"("devices":[{"path":"/dev/null","type":"c","major":1,"minor":3,)",
        R"("fileMode":438,"uid":0,"gid":0},)",
        R"({"path":"/dev/fuse","type":"c","major":10,"dynamicMinor":true,)",
        R"("fileMode":438,"uid":0,"gid":0}],)", R"("resources":{)", cpu,
        R"("devices":[{"allow":false,"access":"rwm"},)",
        R"({"allow":true,"access":"rw","type":"c","major":1,"minor":3},)",
        R"({"allow":true,"access":"rw","type":"c","major":10}]}}})");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  std::string Result(const std::string& name) {
    return ocitest::ReadFile(absl::StrCat(results_, "/", name)).value_or("?");
  }

  // cpu realtime values need the kernel's RT group scheduling and a free
  // share of the root's budget, which other cgroups on a shared host may
  // hold (the kernel then refuses the write with EINVAL): a probe cgroup
  // says whether the bundle can ask for them now.
  bool RealtimeAllowedNow() {
    const std::string probe =
        absl::StrCat("/sys/fs/cgroup/cpu/", cgroup_parent_, "-rtprobe");
    if (mkdir(probe.c_str(), 0755) != 0) return false;
    absl::Status status =
        ocitest::WriteFile(probe + "/cpu.rt_period_us", "1000000");
    if (status.ok()) {
      status = ocitest::WriteFile(probe + "/cpu.rt_runtime_us", "200000");
    }
    rmdir(probe.c_str());
    const bool ok = status.ok();
    if (!ok) {
      std::cerr << "[ NOTE ] this host refuses a cpu realtime budget now ("
                << status.message()
                << "): this boot's bundle has no linux.resources.cpu "
                   "realtime values\n";
    }
    return ok;
  }

  void BootCheckAndStop() {
    realtime_ = RealtimeAllowedNow();
    if (realtime_) ++realtime_boots_;
    ASSERT_NO_FATAL_FAILURE(WriteArcConfig());
    for (const char* name : {"ready", "uid", "uid_map", "system_mount",
                             "system_write", "build_prop", "fuse", "cmdline",
                             "hostname", "binds", "sdcard", "securebits"}) {
      unlink(absl::StrCat(results_, "/", name).c_str());
    }
    const std::vector<std::string> start_args = {
        absl::StrCat("--log_tag=", kTag),
        absl::StrCat("--container_path=", bundle_), "start", kId};
    ocitest::CommandResult start = SessionManager(start_args);
    if (realtime_ && start.exit_code == 1 &&
        absl::StrContains(start.err, "cpu.rt_runtime_us: Invalid argument")) {
      // The budget went to someone else between the probe and the start
      // (the kernel checks the whole hierarchy's sum): the failed start
      // left nothing, and this boot goes without realtime values.
      std::cerr << "[ NOTE ] " << start.err;
      EXPECT_THAT(StateRootEntries(), IsEmpty());
      realtime_ = false;
      --realtime_boots_;
      ASSERT_NO_FATAL_FAILURE(WriteArcConfig());
      start = SessionManager(start_args);
    }
    ASSERT_EQ(start.exit_code, 0) << start.err;
    std::string pid_text =
        ocitest::ReadFile(StateDir(kId) + "/container.pid").value_or("");
    int pid = 0;
    ASSERT_TRUE(absl::SimpleAtoi(pid_text, &pid)) << pid_text;
    ASSERT_TRUE(WaitForFile(results_ + "/ready"));

    // From inside.
    EXPECT_EQ(Result("uid"), "0\n");
    EXPECT_THAT(Result("uid_map"), HasSubstr("655360"));
    EXPECT_THAT(Result("system_mount"), HasSubstr(" ro,"));
    EXPECT_THAT(Result("system_mount"), HasSubstr(" squashfs "));
    EXPECT_THAT(Result("system_write"), HasSubstr("refused"));
    EXPECT_EQ(Result("build_prop"), "ro.build.version.sdk=33\n");
    struct stat fuse;
    ASSERT_EQ(stat("/dev/fuse", &fuse), 0);
    EXPECT_EQ(Result("fuse"),
              absl::StrCat(absl::Hex(major(fuse.st_rdev)), ":",
                           absl::Hex(minor(fuse.st_rdev)), "\n"));
    EXPECT_EQ(Result("cmdline"), "androidboot.hardware=e2e\n");
    EXPECT_EQ(Result("hostname"), "android\n");
    std::string binds;
    for (int i = 0; i < kBindMounts; ++i) absl::StrAppend(&binds, i, " ");
    EXPECT_EQ(Result("binds"), binds);
    EXPECT_THAT(Result("sdcard"), HasSubstr("precreate"));
    // The securebits, read by a process the init started: run_oci sets and
    // locks NOROOT, NO_SETUID_FIXUP and KEEP_CAPS (minijail's
    // SECURE_ALL_BITS | SECURE_ALL_LOCKS without NO_CAP_AMBIENT_RAISE,
    // minijail-shim/caps.cc) but for the skipSecurebits, here KEEP_CAPS and
    // its lock. KEEP_CAPS alone would not show (execve clears it), its lock
    // would: the absent SECBIT_KEEP_CAPS_LOCKED is the skip seen inside.
    EXPECT_EQ(
        Result("securebits"),
        absl::StrCat(SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
                         SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED,
                     "\n"));
    // The hooks: precreate on the host with the state on stdin, prechroot
    // in the container's mount namespace.
    EXPECT_THAT(ocitest::ReadFile(hook_out_ + "/precreate.state").value_or(""),
                HasSubstr(R"("id":"android")"));
    char ns[64] = {};
    ASSERT_GT(readlink(absl::StrCat("/proc/", pid, "/ns/mnt").c_str(), ns,
                       sizeof(ns) - 1),
              0);
    EXPECT_EQ(ocitest::ReadFile(hook_out_ + "/prechroot").value_or(""),
              absl::StrCat(ns, "\n"));
    // The host's view: the realtime values in the container's cpu cgroup.
    if (realtime_) {
      EXPECT_EQ(
          ocitest::ReadFile(absl::StrCat("/sys/fs/cgroup/cpu/", cgroup_parent_,
                                         "/android/cpu.rt_runtime_us"))
              .value_or(""),
          "200000\n");
    }
    StopLikeTheSessionManager();
  }

  std::string results_;
  std::string hook_out_;
  bool realtime_ = false;
  int realtime_boots_ = 0;
};

TEST_F(AndroidBootTest, BootsChecksAndStopsTwentyTimesWithoutALeak) {
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    ASSERT_NO_FATAL_FAILURE(BootCheckAndStop());
    ASSERT_THAT(StateRootEntries(), IsEmpty());
    ASSERT_THAT(leaks_->Mounts(), IsEmpty());
    ASSERT_THAT(leaks_->LoopDevices(), IsEmpty());
    // The --log_tag forwarder exits at EOF, a moment after destroy; the
    // kernel detaches an autoclear loop device once the last mount of its
    // file system is gone, which the dead container's mount namespace
    // releases asynchronously (deferred mntput) after its last process.
    for (int i = 0; i < 500 && !(leaks_->Processes().empty() &&
                                 leaks_->LoopDevices().empty());
         ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    ASSERT_THAT(leaks_->Processes(), IsEmpty());
    ASSERT_THAT(leaks_->Cgroups(), IsEmpty());
  }
  std::cerr << "[ NOTE ] " << realtime_boots_
            << " of 20 boots had cpu realtime values\n";
}

}  // namespace
}  // namespace run_oci_test
