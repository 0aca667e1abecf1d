// Configs as real users send them, through the binary: a config without
// `process` (optional at create, required at start), no mount namespace,
// Kubernetes' zero resources, ARC++'s string device numbers, ociVersion.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/start_channel.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kNeedsProcess[] = "config.json: process: required to start";

class ConfigShapesTest : public RunOciE2eTest {
 protected:
  // A config with the fixture's namespaces and /proc mount; `process` and
  // `linux_extra` (",\"resources\":{...}") spliced in as given.
  void WriteRawConfig(const std::string& process,
                      const std::string& linux_extra = "",
                      const std::string& version = "1.2.0") {
    std::string json = absl::StrCat(
        R"({"ociVersion":)", JsonString(version),
        R"(,"root":{"path":"rootfs"},)", process, process.empty() ? "" : ",",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"}])",
        linux_extra, "}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  std::string ProcessOf(const std::vector<std::string>& args) {
    return absl::StrCat(R"("process":{"args":)", JsonArray(args),
                        R"(,"cwd":"/","env":["PATH=/bin"]})");
  }

  std::string Status(const std::string& id) {
    ocitest::CommandResult r = RunOci({"state", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    size_t at = r.out.find("\"status\":\"");
    if (at == std::string::npos) return "";
    at += 10;
    return r.out.substr(at, r.out.find('"', at) - at);
  }
};

// config.md: process is OPTIONAL at create and REQUIRED when start is
// called. The created container waits; start refuses it and leaves it
// created, and kill and delete work as for any other.
TEST_F(ConfigShapesTest, ProcessIsOptionalAtCreateAndRequiredAtStart) {
  WriteRawConfig("");
  ocitest::CommandResult created = RunOci({"create", "c1"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(Status("c1"), "created");

  ocitest::CommandResult start = RunOci({"start", "c1"});
  EXPECT_EQ(start.exit_code, 1);
  EXPECT_EQ(start.err, absl::StrCat("run_oci: ", kNeedsProcess, "\n"));
  EXPECT_EQ(Status("c1"), "created");

  EXPECT_EQ(RunOci({"kill", "c1", "KILL"}).exit_code, 0);
  EXPECT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// run and Chromium's create-and-start need the process at once: refused
// before anything exists. Extra args do not make up for a missing process.
TEST_F(ConfigShapesTest, RunAndCreateAndStartNeedAProcess) {
  WriteRawConfig("");
  ExpectError({"run", "c1"}, kNeedsProcess);
  ExpectError({"run", "c1", "--", "sh", "-c", "echo hi"}, kNeedsProcess);
  ExpectError({"start", "c1"}, kNeedsProcess);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// The waiting init of a process-less container has nothing to execute:
// released through its start socket by someone else than `start`, it
// stops instead of running anything.
TEST_F(ConfigShapesTest, ProcesslessInitStopsWhenReleased) {
  WriteRawConfig("");
  ASSERT_EQ(RunOci({"create", "c1"}).exit_code, 0);
  base::ScopedFd dir(
      open(StateDir("c1").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dir);
  absl::Status released =
      shim::ReleaseWaitingChild(dir.get(), "start.sock", "");
  EXPECT_FALSE(released.ok());  // its exec has nothing to try
  EXPECT_TRUE(WaitForStatus("c1", "stopped"));
  EXPECT_EQ(RunOci({"delete", "c1"}).exit_code, 0);
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// Every mount would land in the host's mount namespace: refused from the
// config, before any jail step.
TEST_F(ConfigShapesTest, NoMountNamespaceIsRefusedFromTheConfig) {
  std::string json = absl::StrCat(
      R"({"ociVersion":"1.2.0","root":{"path":"rootfs"},)",
      ProcessOf({"sh", "-c", "echo hi"}),
      R"(,"linux":{"namespaces":[{"type":"pid"},{"type":"uts"}]}})");
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  const char kMessage[] =
      "config.json: linux.namespaces: a \"mount\" namespace is required "
      "(run_oci does not mount into the host's mount namespace)";
  ExpectError({"run", "c1"}, kMessage);
  ExpectError({"create", "c1"}, kMessage);
}

std::string ReadCgroupValue(const std::string& dir, const std::string& file) {
  absl::StatusOr<std::string> text = ocitest::ReadFile(dir + "/" + file);
  EXPECT_TRUE(text.ok()) << dir << "/" << file << ": " << text.status();
  return text.ok() ? std::string(absl::StripTrailingAsciiWhitespace(*text))
                   : "";
}

// What Kubernetes sends for a pod without limits: zeros meaning "not set".
// The container starts (no EINVAL from cfs_quota_us 0, no OOM kill from
// limit_in_bytes 0) and its cgroup keeps the kernel's defaults, which its
// freshly made parent shows too.
TEST_F(ConfigShapesTest, ZeroResourcesStartAndLeaveTheDefaults) {
  WriteRawConfig(
      ProcessOf({"sh", "-c", "echo started; exec sleep 1000"}),
      R"(,"resources":{"memory":{"limit":0,"reservation":0,"swap":0,)"
      R"("kernel":0,"kernelTCP":0},"cpu":{"shares":0,"quota":0,"period":0,)"
      R"("realtimeRuntime":0,"realtimePeriod":0},)"
      R"("blockIO":{"weight":0,"leafWeight":0}})");
  ocitest::CommandResult started = RunOci({"start", "c1"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(Status("c1"), "running");

  const std::vector<std::pair<std::string, std::string>> kFiles = {
      {"memory", "memory.limit_in_bytes"},
      {"memory", "memory.soft_limit_in_bytes"},
      {"cpu", "cpu.shares"},
      {"cpu", "cpu.cfs_quota_us"},
      {"cpu", "cpu.cfs_period_us"},
      {"cpu", "cpu.rt_runtime_us"},
  };
  for (const auto& [controller, file] : kFiles) {
    const std::string parent =
        absl::StrCat("/sys/fs/cgroup/", controller, "/", cgroup_parent_);
    EXPECT_EQ(ReadCgroupValue(parent + "/c1", file),
              ReadCgroupValue(parent, file))
        << file;
  }
  const std::string memory =
      absl::StrCat("/sys/fs/cgroup/memory/", cgroup_parent_, "/c1");
  EXPECT_NE(ReadCgroupValue(memory, "memory.limit_in_bytes"), "0");
  EXPECT_EQ(ReadCgroupValue(
                absl::StrCat("/sys/fs/cgroup/cpu/", cgroup_parent_, "/c1"),
                "cpu.cfs_quota_us"),
            "-1");
  EXPECT_EQ(ReadCgroupValue(
                absl::StrCat("/sys/fs/cgroup/cpu/", cgroup_parent_, "/c1"),
                "cpu.shares"),
            "1024");
  // Still running: not OOM-killed in setup.
  EXPECT_EQ(Status("c1"), "running");
  EXPECT_EQ(RunOci({"destroy", "--force", "c1"}).exit_code, 0);
}

// runtime-spec 1.3: pids.limit 0 is a real limit (runc writes 1). The
// process starts; its first fork is refused (the shell prints "can't
// fork" and never gets to "forked").
TEST_F(ConfigShapesTest, PidsLimitZeroIsALimit) {
  WriteRawConfig(
      ProcessOf({"sh", "-c", "echo started; /bin/sh -c true; echo forked"}),
      R"(,"resources":{"pids":{"limit":0}})");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_THAT(r.err, HasSubstr("can't fork"));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

// Shipping ARC++ bundles write some device numbers as strings; they are
// read as numbers with a warning naming the field (in the log), and the
// rule works: "1":"3" (/dev/null) is allowed, so writing to it succeeds.
TEST_F(ConfigShapesTest, StringDeviceNumbersWarnAndApply) {
  WriteRawConfig(ProcessOf({"sh", "-c", "echo x > /dev/null && echo ok"}),
                 R"(,"resources":{"devices":[{"allow":false,"access":"rwm"},)"
                 R"({"allow":true,"type":"c","major":"1","minor":"3",)"
                 R"("access":"rwm"}]})");
  const std::string log_dir = temp_->Sub("logs");
  ocitest::CommandResult r = RunOci({"--log_dir", log_dir, "run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  std::string log;
  if (DIR* dir = opendir(log_dir.c_str())) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      absl::StatusOr<std::string> text =
          ocitest::ReadFile(absl::StrCat(log_dir, "/", entry->d_name));
      if (text.ok()) log += *text;
    }
    closedir(dir);
  }
  EXPECT_THAT(log, HasSubstr("WARNING: config.json: linux.resources."
                             "devices[1].major: a string, read as 1\n"));
  EXPECT_THAT(log, HasSubstr("WARNING: config.json: linux.resources."
                             "devices[1].minor: a string, read as 3\n"));
}

TEST_F(ConfigShapesTest, OciVersionOneXYOnly) {
  WriteRawConfig(ProcessOf({"sh", "-c", "echo ok"}), "", "1.0.0-rc1");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  WriteRawConfig(ProcessOf({"sh", "-c", "echo ok"}), "", "2.0.0");
  ExpectError({"run", "c1"},
              "config.json: ociVersion: \"2.0.0\" is not supported: run_oci "
              "reads runtime-spec 1.x.y configs");
  WriteRawConfig(ProcessOf({"sh", "-c", "echo ok"}), "", "invalid");
  ExpectError({"run", "c1"},
              "config.json: ociVersion: \"invalid\" is not a SemVer 2.0.0 "
              "version (e.g. \"1.2.0\")");
}

}  // namespace
}  // namespace run_oci_test
