// Mounts as config.json lists them (issue 10), read back from inside the
// container: the config's order in mountinfo, with podman's /dev tmpfs in
// the middle of the list keeping its place and options.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

// The mount points of mountinfo (field 5), in its order.
std::vector<std::string> MountPoints(const std::string& mountinfo) {
  std::vector<std::string> points;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() > 4) points.push_back(f[4]);
  }
  return points;
}

// The line whose mount point is `point` (the last one: it is on top).
std::string LineOf(const std::string& mountinfo, const std::string& point) {
  std::string found;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() > 4 && f[4] == point) found = std::string(line);
  }
  return found;
}

class MountsTest : public RunOciE2eTest {
 protected:
  // `mounts` as the whole "mounts" array, the fixture's namespaces.
  void WriteMountsConfig(const std::string& script, const std::string& mounts,
                         const std::string& linux_extra = "") {
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2-dev","root":{"path":"rootfs"},)",
        R"("process":{"args":["sh","-c",)", JsonString(script),
        R"(],"cwd":"/","env":["PATH=/bin:/sbin"],"user":{"uid":0,"gid":0}},)",
        R"("hostname":"e2e","mounts":[)", mounts, "],",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
        R"({"type":"uts"},{"type":"ipc"},{"type":"network"}])", linux_extra,
        "}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }
};

// The order and options podman 4.3 writes (`podman create --read-only`,
// tmpcopyup left out here): /dev is the fifth mount, after /sys, /run,
// /tmp and /proc, and /dev/mqueue, /var/tmp, /dev/pts come after it.
constexpr char kPodmanOrderMounts[] =
    R"({"destination":"/sys","type":"sysfs","source":"sysfs",)"
    R"("options":["nosuid","noexec","nodev","ro"]},)"
    R"({"destination":"/run","type":"tmpfs","source":"tmpfs",)"
    R"("options":["rw","rprivate","nosuid","nodev"]},)"
    R"({"destination":"/tmp","type":"tmpfs","source":"tmpfs",)"
    R"("options":["rw","rprivate","nosuid","nodev"]},)"
    R"({"destination":"/proc","type":"proc","source":"proc",)"
    R"("options":["nosuid","noexec","nodev"]},)"
    R"({"destination":"/dev","type":"tmpfs","source":"tmpfs",)"
    R"("options":["nosuid","noexec","strictatime","mode=750","size=2m"]},)"
    R"({"destination":"/dev/mqueue","type":"mqueue","source":"mqueue",)"
    R"("options":["nosuid","noexec","nodev"]},)"
    R"({"destination":"/var/tmp","type":"tmpfs","source":"tmpfs",)"
    R"("options":["rw","rprivate","nosuid","nodev"]},)"
    R"({"destination":"/dev/pts","type":"devpts","source":"devpts",)"
    R"("options":["nosuid","noexec","newinstance","ptmxmode=0666",)"
    R"("mode=0620","gid=5"]})";

TEST_F(MountsTest, MountinfoFollowsTheConfigOrderWithDevInTheMiddle) {
  WriteMountsConfig(
      "cat /proc/self/mountinfo; echo ---; stat -c '%n %t:%T' /dev/null "
      "/dev/zero /dev/full /dev/random /dev/urandom /dev/tty; "
      "readlink /dev/ptmx; echo x > /dev/null && echo written",
      kPodmanOrderMounts);
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> halves = absl::StrSplit(r.out, "---\n");
  ASSERT_EQ(halves.size(), 2u) << r.out;
  // The default /dev/shm (the config has none) right after /dev; the
  // config's mqueue and pts where it lists them.
  EXPECT_EQ(MountPoints(halves[0]),
            (std::vector<std::string>{"/", "/sys", "/run", "/tmp", "/proc",
                                      "/dev", "/dev/shm", "/dev/mqueue",
                                      "/var/tmp", "/dev/pts"}))
      << halves[0];
  const std::string dev = LineOf(halves[0], "/dev");
  EXPECT_TRUE(absl::StrContains(dev, " rw,nosuid,noexec ")) << dev;
  EXPECT_TRUE(absl::StrContains(dev, " - tmpfs tmpfs ")) << dev;
  EXPECT_TRUE(absl::StrContains(dev, "size=2048k")) << dev;
  EXPECT_TRUE(absl::StrContains(dev, "mode=750")) << dev;
  EXPECT_EQ(halves[1],
            "/dev/null 1:3\n/dev/zero 1:5\n/dev/full 1:7\n/dev/random 1:8\n"
            "/dev/urandom 1:9\n/dev/tty 5:0\npts/ptmx\nwritten\n");
}

// The masks use the host's /dev/null (CVE-2025-31133), whatever the config's
// /dev tmpfs holds by the time they are applied.
TEST_F(MountsTest, MasksWithDevInTheMiddle) {
  ASSERT_TRUE(ocitest::WriteFile(Rootfs() + "/etc/secret", "s3cret").ok());
  WriteMountsConfig(
      "echo \"[$(cat /etc/secret)]\"; awk '$5 == \"/etc/secret\" "
      "{print $(NF-2)}' /proc/self/mountinfo",
      kPodmanOrderMounts, R"(,"maskedPaths":["/etc/secret","/proc/kcore"])");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[]\ndevtmpfs\n");
}

}  // namespace
}  // namespace run_oci_test
