// Mounts as config.json lists them (issue 10), read back from inside the
// container: the config's order in mountinfo, with podman's /dev tmpfs in
// the middle of the list keeping its place and options.
#include <sys/mount.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/rootfs.h"
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
                         const std::string& linux_extra = "",
                         const std::string& root = "rootfs") {
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2-dev","root":{"path":)", JsonString(root), "},",
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
      kPodmanOrderMounts,
      R"(,"maskedPaths":["/etc/secret","/proc/timer_list"])");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[]\ndevtmpfs\n");
}

// podman --read-only (podman 4.3.1's config, testdata/podman_read_only):
// a read-only root and tmpcopyup tmpfs mounts on /run, /tmp and /var/tmp,
// which start with the image's contents and take writes.
TEST_F(MountsTest, PodmanReadOnlyTmpcopyup) {
  ASSERT_TRUE(ocitest::WriteFile(Rootfs() + "/run/image.pid", "42\n").ok());
  ASSERT_EQ(chmod((Rootfs() + "/run").c_str(), 0710), 0);
  ASSERT_EQ(mkdir((Rootfs() + "/run/lock").c_str(), 0755), 0);
  ASSERT_EQ(symlink("../tmp", (Rootfs() + "/run/tmplink").c_str()), 0);
  ASSERT_EQ(mkdir((Rootfs() + "/var/tmp").c_str(), 01777), 0);
  ASSERT_EQ(chmod((Rootfs() + "/var/tmp").c_str(), 01777), 0);
  ASSERT_TRUE(ocitest::WriteFile(Rootfs() + "/var/tmp/keep", "k").ok());
  const std::string copy_up =
      R"("options":["rw","rprivate","nosuid","nodev","tmpcopyup"]})";
  const std::string mounts = absl::StrCat(
      R"({"destination":"/run","type":"tmpfs","source":"tmpfs",)", copy_up,
      R"(,{"destination":"/tmp","type":"tmpfs","source":"tmpfs",)", copy_up,
      R"(,{"destination":"/proc","type":"proc","source":"proc",)",
      R"("options":["nosuid","noexec","nodev"]},)",
      R"({"destination":"/dev","type":"tmpfs","source":"tmpfs",)",
      R"("options":["nosuid","noexec","strictatime","mode=755",)",
      R"("size=65536k"]},)",
      R"({"destination":"/var/tmp","type":"tmpfs","source":"tmpfs",)", copy_up);
  WriteMountsConfig(
      "cat /run/image.pid; ls -A /run; readlink /run/tmplink; "
      "stat -c '%a' /run /var/tmp; cat /var/tmp/keep; echo; "
      "for d in /run /tmp /var/tmp; do stat -f -c \"$d %T\" $d; "
      "echo w > $d/new && cat $d/new; done; "
      "touch /rootfile 2>/dev/null || echo root read-only",
      mounts);
  // The config's root is read-only, as podman writes it.
  const std::string config_path = bundle_ + "/config.json";
  absl::StatusOr<std::string> config = ocitest::ReadFile(config_path);
  ASSERT_TRUE(config.ok());
  std::string edited = *config;
  const std::string root = R"("root":{"path":"rootfs"})";
  ASSERT_NE(edited.find(root), std::string::npos);
  edited.replace(edited.find(root), root.size(),
                 R"("root":{"path":"rootfs","readonly":true})");
  ASSERT_TRUE(ocitest::WriteFile(config_path, edited).ok());
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "42\nimage.pid\nlock\ntmplink\n../tmp\n710\n1777\nk\n"
            "/run tmpfs\nw\n/tmp tmpfs\nw\n/var/tmp tmpfs\nw\n"
            "root read-only\n");
  // The image is untouched.
  struct stat st;
  EXPECT_NE(stat((Rootfs() + "/run/new").c_str(), &st), 0);
}

// The tags of a mountinfo line's optional fields ("shared master"), their
// numbers dropped.
std::string Tags(const std::string& line) {
  std::vector<std::string> f = absl::StrSplit(line, ' ');
  std::string tags;
  for (size_t i = 6; i < f.size() && f[i] != "-"; ++i) {
    absl::StrAppend(&tags, tags.empty() ? "" : " ",
                    f[i].substr(0, f[i].find(':')));
  }
  return tags;
}

struct Propagation {
  const char* value;
  const char* root_tags;  // of "/", in mountinfo's order
  const char* proc_tags;  // of /proc, a mount of the config on top
};

class RootfsPropagationTest
    : public MountsTest,
      public ::testing::WithParamInterface<Propagation> {};

// The rootfs on a shared tmpfs of the test's, so that a slave has a master
// to show: "/" of the container is a bind of that peer group's mount.
TEST_P(RootfsPropagationTest, ReadBackFromMountinfo) {
  const std::string shared = temp_->Sub("shared");
  ASSERT_EQ(mkdir(shared.c_str(), 0755), 0);
  ASSERT_EQ(mount("tmpfs", shared.c_str(), "tmpfs", 0, "size=16m"), 0);
  absl::Cleanup unmount = [&shared] { umount2(shared.c_str(), MNT_DETACH); };
  ASSERT_EQ(mount(nullptr, shared.c_str(), nullptr, MS_SHARED, nullptr), 0);
  ASSERT_TRUE(ocitest::MakeBusyboxRootfs(shared + "/rootfs").ok());
  WriteMountsConfig(
      "cat /proc/self/mountinfo",
      R"({"destination":"/proc","type":"proc","source":"proc"})",
      absl::StrCat(R"(,"rootfsPropagation":)", JsonString(GetParam().value)),
      shared + "/rootfs");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Tags(LineOf(r.out, "/")), GetParam().root_tags) << r.out;
  EXPECT_EQ(Tags(LineOf(r.out, "/proc")), GetParam().proc_tags) << r.out;
}

// config-linux.md: shared is a new peer group ("does not mean that it's
// shared with the host": still a slave of the host's), slave receives from
// the host, private neither, unbindable is private and cannot be bound.
// The r forms (mount options run_oci also takes here) reach /proc too.
INSTANTIATE_TEST_SUITE_P(
    EveryValue, RootfsPropagationTest,
    ::testing::Values(Propagation{"shared", "shared master", ""},
                      Propagation{"rshared", "shared master", "shared"},
                      Propagation{"slave", "master", ""},
                      Propagation{"rslave", "master", ""},
                      Propagation{"private", "", ""},
                      Propagation{"rprivate", "", ""},
                      Propagation{"unbindable", "unbindable", ""},
                      Propagation{"runbindable", "unbindable", "unbindable"}),
    [](const ::testing::TestParamInfo<Propagation>& info) {
      return std::string(info.param.value);
    });

}  // namespace
}  // namespace run_oci_test
