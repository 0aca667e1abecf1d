// The spec's mounts in the spec's order, as the container's mountinfo lists
// them: a tmpfs /dev in the middle of the list keeps its place and its own
// options, and its default nodes come right after it.
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"

namespace shimtest {
namespace {

struct MountLine {
  std::string mount_point;  // field 5
  std::string options;      // field 6, per-mount
  std::string optional;     // the optional fields, space-joined
  std::string fs_type;
  std::string super_options;
};

// proc(5) mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...]
// - FSTYPE SOURCE SUPEROPTIONS.
std::vector<MountLine> ParseMountInfo(const std::string& text) {
  std::vector<MountLine> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() < 10) continue;
    MountLine m;
    m.mount_point = f[4];
    m.options = f[5];
    size_t i = 6;
    std::vector<std::string> optional;
    while (i < f.size() && f[i] != "-") optional.push_back(f[i++]);
    if (i + 3 >= f.size()) continue;
    m.optional = absl::StrJoin(optional, " ");
    m.fs_type = f[i + 1];
    m.super_options = f[i + 3];
    lines.push_back(m);
  }
  return lines;
}

std::vector<std::string> MountPoints(const std::vector<MountLine>& lines) {
  std::vector<std::string> points;
  for (const MountLine& m : lines) points.push_back(m.mount_point);
  return points;
}

const MountLine* Find(const std::vector<MountLine>& lines,
                      const std::string& mount_point) {
  for (const MountLine& m : lines) {
    if (m.mount_point == mount_point) return &m;
  }
  return nullptr;
}

shim::MountSpec Tmpfs(const std::string& target, const std::string& data = "") {
  return MakeMount("tmpfs", target, "tmpfs", 0, data);
}

// proc, /a, a /dev tmpfs with its own size and mode, /dev/pts, /b: podman's
// shape (its /dev comes after /sys, /run, /tmp and /proc). The mount points
// exist in the rootfs: a user-namespaced root cannot create them there.
shim::JailSpec DevInTheMiddle(shim::JailSpec spec) {
  for (const char* dir : {"/a", "/b", "/dev"}) {
    mkdir((spec.rootfs + dir).c_str(), 0755);
  }
  spec.default_dev = false;
  spec.mounts.push_back(Tmpfs("/a"));
  shim::MountSpec dev = Tmpfs("/dev", "mode=750,size=1m");
  dev.flags = MS_NOSUID | MS_NOEXEC | MS_STRICTATIME;
  dev.default_dev_nodes = true;
  spec.mounts.push_back(dev);
  spec.mounts.push_back(MakeMount("devpts", "/dev/pts", "devpts",
                                  MS_NOSUID | MS_NOEXEC,
                                  "newinstance,ptmxmode=0666,mode=0620"));
  spec.mounts.push_back(Tmpfs("/b"));
  return spec;
}

constexpr char kNodesScript[] =
    "cat /proc/self/mountinfo; echo ---; stat -c '%n %F %t:%T %a' /dev/null "
    "/dev/zero /dev/full /dev/random /dev/urandom /dev/tty; for l in ptmx fd "
    "stdin; do readlink /dev/$l; done; stat -c '%n %F' /dev/pts/ptmx";

constexpr char kNodesOut[] =
    "/dev/null character special file 1:3 666\n"
    "/dev/zero character special file 1:5 666\n"
    "/dev/full character special file 1:7 666\n"
    "/dev/random character special file 1:8 666\n"
    "/dev/urandom character special file 1:9 666\n"
    "/dev/tty character special file 5:0 666\n"
    "pts/ptmx\n/proc/self/fd\n/proc/self/fd/0\n"
    "/dev/pts/ptmx character special file\n";

TEST_F(JailTest, DevTmpfsInTheMiddleKeepsItsPlaceAndOptions) {
  absl::StatusOr<RunResult> r =
      RunJailed(DevInTheMiddle(ShellSpec(kNodesScript)));
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> halves = absl::StrSplit(r->out, "---\n");
  ASSERT_EQ(halves.size(), 2u) << r->out;
  const std::vector<MountLine> lines = ParseMountInfo(halves[0]);
  // The default shm and mqueue (the spec mounts no such thing) right after
  // /dev, the spec's pts where the spec has it.
  EXPECT_EQ(MountPoints(lines),
            (std::vector<std::string>{"/", "/proc", "/a", "/dev", "/dev/shm",
                                      "/dev/mqueue", "/dev/pts", "/b"}))
      << halves[0];
  const MountLine* dev = Find(lines, "/dev");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->fs_type, "tmpfs");
  EXPECT_EQ(dev->options, "rw,nosuid,noexec");
  EXPECT_TRUE(absl::StrContains(dev->super_options, "size=1024k"))
      << dev->super_options;
  EXPECT_TRUE(absl::StrContains(dev->super_options, "mode=750"))
      << dev->super_options;
  EXPECT_EQ(halves[1], kNodesOut);
}

TEST_F(JailTest, DevTmpfsInTheMiddleInUserNamespaceBindsNodesInPlace) {
  shim::JailSpec spec = DevInTheMiddle(ShellSpec(kNodesScript));
  AddUserNamespace(&spec, 100000, 100000);
  const std::string out = OutputOf(spec);
  std::vector<std::string> halves = absl::StrSplit(out, "---\n");
  ASSERT_EQ(halves.size(), 2u) << out;
  // mknod is not allowed in a user namespace: the host's nodes are bound,
  // still between the /dev tmpfs and the next mount of the spec.
  EXPECT_EQ(MountPoints(ParseMountInfo(halves[0])),
            (std::vector<std::string>{"/", "/proc", "/a", "/dev", "/dev/null",
                                      "/dev/zero", "/dev/full", "/dev/random",
                                      "/dev/urandom", "/dev/tty", "/dev/shm",
                                      "/dev/mqueue", "/dev/pts", "/b"}))
      << halves[0];
  EXPECT_EQ(halves[1], kNodesOut);
}

TEST_F(JailTest, DevTmpfsUnderLaterMountsOfTheSpec) {
  // A spec /dev/shm after the /dev tmpfs replaces the default one; a mount
  // listed before /dev is covered by it, as the order says.
  shim::JailSpec spec = DevInTheMiddle(ShellSpec(
      "awk '$5 ~ /^\\/dev/ {print $5, $(NF-2)}' /proc/self/mountinfo"));
  spec.mounts.insert(spec.mounts.begin() + 1, Tmpfs("/dev/early"));
  spec.mounts.push_back(Tmpfs("/dev/shm", "size=2m"));
  EXPECT_EQ(OutputOf(spec),
            "/dev/early tmpfs\n/dev tmpfs\n/dev/mqueue mqueue\n"
            "/dev/pts devpts\n/dev/shm tmpfs\n");
}

}  // namespace
}  // namespace shimtest
