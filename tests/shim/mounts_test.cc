// The container's file system: mounts with flags and propagation, in-root
// resolution against hostile rootfs contents, default /dev, devices, and
// read-only, masked and read-only paths.
#include "minijail-shim/mounts.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

using ::testing::StartsWith;

// Host-side fingerprint of /etc, to prove a hostile mount did not land there.
std::string EtcFingerprint() {
  struct stat st;
  if (stat("/etc", &st) != 0) return "";
  return absl::StrCat(st.st_ino, ":", st.st_mtim.tv_sec, ":",
                      st.st_mtim.tv_nsec, ":", st.st_nlink);
}

bool HostMountInfoMentions(const std::string& needle) {
  absl::StatusOr<std::string> info = ocitest::ReadFile("/proc/self/mountinfo");
  return info.ok() && absl::StrContains(*info, needle);
}

shim::DeviceSpec Device(const std::string& path, mode_t mode, dev_t dev = 0) {
  shim::DeviceSpec d;
  d.path = path;
  d.mode = mode;
  d.dev = dev;
  return d;
}

// The mount options field (6th) of the mountinfo line for `target`.
std::string MountOptions(const std::string& mountinfo,
                         const std::string& target) {
  std::string found;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() > 5 && f[4] == target) found = f[5];
  }
  return found;
}

class BindFlagsTest : public JailTest {
 protected:
  void ExpectBindFlagsApplied();
};

void BindFlagsTest::ExpectBindFlagsApplied() {
  ASSERT_TRUE(ocitest::WriteFile(dir().Sub("data.txt"), "payload").ok());
  ASSERT_EQ(mkdir(dir().Sub("share").c_str(), 0755), 0);
  ASSERT_EQ(mkdir(dir().Sub("exec").c_str(), 0755), 0);
  shim::JailSpec spec = ShellSpec(
      "cat /proc/self/mountinfo; cat /mnt/share/../data/file; "
      "touch /mnt/share/x 2>/dev/null && echo WRITABLE; true");
  spec.mounts.push_back(
      Bind(dir().Sub("share"), "/mnt/share", MS_RDONLY | MS_NOSUID | MS_NODEV));
  spec.mounts.push_back(Bind(dir().Sub("data.txt"), "/mnt/data/file"));
  spec.mounts.push_back(Bind(dir().Sub("exec"), "/mnt/exec",
                             MS_NOEXEC | MS_NOATIME | MS_NOSYMFOLLOW));
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  const std::string opts = MountOptions(r->out, "/mnt/share");
  EXPECT_TRUE(absl::StartsWith(opts, "ro,")) << opts;
  EXPECT_TRUE(absl::StrContains(opts, "nosuid")) << opts;
  EXPECT_TRUE(absl::StrContains(opts, "nodev")) << opts;
  const std::string exec_opts = MountOptions(r->out, "/mnt/exec");
  EXPECT_TRUE(absl::StartsWith(exec_opts, "rw,")) << exec_opts;
  EXPECT_TRUE(absl::StrContains(exec_opts, "noexec")) << exec_opts;
  EXPECT_TRUE(absl::StrContains(exec_opts, "noatime")) << exec_opts;
  EXPECT_TRUE(absl::StrContains(exec_opts, "nosymfollow")) << exec_opts;
  EXPECT_FALSE(absl::StrContains(exec_opts, "nosuid")) << exec_opts;
  // A file bind source gets an empty file created as its mount point.
  EXPECT_TRUE(absl::StrContains(r->out, "payload")) << r->out;
  EXPECT_FALSE(absl::StrContains(r->out, "WRITABLE"));
  struct stat st;
  ASSERT_EQ(stat(absl::StrCat(rootfs(), "/mnt/data/file").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(BindFlagsTest, WithMountSetattr) { ExpectBindFlagsApplied(); }

TEST_F(BindFlagsTest, WithMountAndRemount) {
  shim::SetDetachedBindsForTesting(false);
  ExpectBindFlagsApplied();
  shim::SetDetachedBindsForTesting(true);
}

TEST_F(JailTest, RecursiveAttributesReachSubmounts) {
  // A bind source with a mount below it: "ro" covers the top mount only,
  // "rro" (MOUNT_ATTR_RDONLY with AT_RECURSIVE) the submount too.
  const std::string src = dir().Sub("src");
  const std::string sub = src + "/sub";
  ASSERT_EQ(mkdir(src.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(sub.c_str(), 0755), 0);
  ASSERT_EQ(mount("tmpfs", sub.c_str(), "tmpfs", 0, "size=64k"), 0);
  absl::Cleanup unmount = [&sub] { umount2(sub.c_str(), MNT_DETACH); };
  shim::JailSpec spec = ShellSpec("cat /proc/self/mountinfo");
  spec.mounts.push_back(Bind(src, "/mnt/flat", MS_RDONLY));
  shim::MountSpec rec = Bind(src, "/mnt/rec");
  rec.recursive_attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC;
  spec.mounts.push_back(rec);
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status.code, 0) << r->out;
  EXPECT_TRUE(absl::StartsWith(MountOptions(r->out, "/mnt/flat"), "ro,"));
  EXPECT_TRUE(absl::StartsWith(MountOptions(r->out, "/mnt/flat/sub"), "rw,"));
  for (const char* target : {"/mnt/rec", "/mnt/rec/sub"}) {
    const std::string opts = MountOptions(r->out, target);
    EXPECT_TRUE(absl::StartsWith(opts, "ro,")) << target << ": " << opts;
    EXPECT_TRUE(absl::StrContains(opts, "noexec")) << target << ": " << opts;
  }
}

TEST_F(JailTest, TmpfsWithDataAndPropagation) {
  shim::JailSpec spec = ShellSpec("cat /proc/self/mountinfo");
  shim::MountSpec m =
      MakeMount("tmpfs", "/scratch", "tmpfs", MS_NOEXEC, "size=1m,mode=700");
  m.propagation = MS_SHARED;
  spec.mounts.push_back(m);
  const std::string out = OutputOf(spec);
  std::string line;
  for (absl::string_view l : absl::StrSplit(out, '\n')) {
    if (absl::StrContains(l, " /scratch ")) line = std::string(l);
  }
  EXPECT_TRUE(absl::StrContains(line, "noexec")) << line;
  EXPECT_TRUE(absl::StrContains(line, "shared:")) << line;
  EXPECT_TRUE(absl::StrContains(line, "size=1024k")) << line;
  EXPECT_TRUE(absl::StrContains(line, "mode=700")) << line;
}

// `spec` with one more mount, of a filesystem type that does not exist.
shim::JailSpec WithBadMount(shim::JailSpec spec, int number) {
  shim::MountSpec m = MakeMount("none", "/bad", "no-such-fs");
  m.number = number;
  spec.mounts.push_back(m);
  return spec;
}

TEST_F(JailTest, MountFailureNamesTheMount) {
  EXPECT_EQ(StartFailure(WithBadMount(ShellSpec("true"), -1)),
            "jail: mounts[1] (/bad): mount: No such device");
}

// The caller's number for a mount (config.json's index, where mounts done
// outside the jail are not in the spec) is the one messages use.
TEST_F(JailTest, MountFailureUsesTheCallersNumber) {
  EXPECT_EQ(StartFailure(WithBadMount(ShellSpec("true"), 5)),
            "jail: mounts[5] (/bad): mount: No such device");
}

TEST_F(JailTest, SymlinkToHostEtcStaysInRootfs) {
  // rootfs/evil -> /etc: the mount must land on <rootfs>/etc.
  ASSERT_EQ(symlink("/etc", absl::StrCat(rootfs(), "/evil").c_str()), 0);
  ASSERT_EQ(mkdir(dir().Sub("src").c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(dir().Sub("src/marker"), "m").ok());
  const std::string before = EtcFingerprint();
  shim::JailSpec spec = ShellSpec("cat /etc/marker");
  spec.mounts.push_back(Bind(dir().Sub("src"), "/evil"));
  EXPECT_EQ(OutputOf(spec), "m");
  EXPECT_EQ(EtcFingerprint(), before);
  EXPECT_FALSE(HostMountInfoMentions(" /etc "));
}

TEST_F(JailTest, FileBindOntoAbsoluteSymlinkStaysInRootfs) {
  // rootfs/pw -> /etc/passwd: the bind covers <rootfs>/etc/passwd only.
  ASSERT_EQ(symlink("/etc/passwd", absl::StrCat(rootfs(), "/pw").c_str()), 0);
  ASSERT_TRUE(ocitest::WriteFile(dir().Sub("fake"), "fake-passwd\n").ok());
  absl::StatusOr<std::string> host_before = ocitest::ReadFile("/etc/passwd");
  ASSERT_TRUE(host_before.ok());
  shim::JailSpec spec = ShellSpec("cat /etc/passwd");
  spec.mounts.push_back(Bind(dir().Sub("fake"), "/pw"));
  EXPECT_EQ(OutputOf(spec), "fake-passwd\n");
  absl::StatusOr<std::string> host_after = ocitest::ReadFile("/etc/passwd");
  ASSERT_TRUE(host_after.ok());
  EXPECT_EQ(*host_after, *host_before);
  EXPECT_FALSE(HostMountInfoMentions(" /etc/passwd "));
}

TEST_F(JailTest, RootfsPropagationShared) {
  shim::JailSpec spec = ShellSpec("awk '$5 == \"/\"' /proc/self/mountinfo");
  spec.rootfs_propagation = MS_REC | MS_SHARED;
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(absl::StrContains(r->out, "shared:")) << r->out;
  spec.rootfs_propagation = 0;  // default: private
  r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(absl::StrContains(r->out, "shared:")) << r->out;
  EXPECT_FALSE(absl::StrContains(r->out, "master:")) << r->out;
}

TEST_F(JailTest, DotDotSymlinkChainStaysInRootfs) {
  // rootfs/up -> ../../../../.. : still the rootfs' own root.
  ASSERT_EQ(
      symlink("../../../../../../..", absl::StrCat(rootfs(), "/up").c_str()),
      0);
  const std::string before = EtcFingerprint();
  shim::JailSpec spec = ShellSpec("ls /etc/created");
  spec.mounts.push_back(MakeMount("tmpfs", "/up/etc/created", "tmpfs"));
  absl::StatusOr<RunResult> r = RunJailed(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.code, 0);
  EXPECT_EQ(EtcFingerprint(), before);
  struct stat st;
  EXPECT_NE(stat("/etc/created", &st), 0);
  EXPECT_EQ(stat(absl::StrCat(rootfs(), "/etc/created").c_str(), &st), 0);
}

TEST_F(JailTest, DotDotInDestinationIsRejected) {
  shim::JailSpec spec = ShellSpec("true");
  spec.mounts.push_back(MakeMount("tmpfs", "/a/../../etc", "tmpfs"));
  const std::string before = EtcFingerprint();
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts[1] /a/../../etc: \"..\" leads outside the root");
  EXPECT_EQ(EtcFingerprint(), before);
}

TEST_F(JailTest, DanglingSymlinkOutsideFailsClosed) {
  // rootfs/opt -> /host-only/dir: neither followed to the host nor created.
  ASSERT_EQ(symlink("/nonexistent-host-dir/x",
                    absl::StrCat(rootfs(), "/opt").c_str()),
            0);
  shim::JailSpec spec = ShellSpec("true");
  spec.mounts.push_back(MakeMount("tmpfs", "/opt/sub", "tmpfs"));
  EXPECT_THAT(StartFailure(spec), StartsWith("jail: mounts[1] (/opt/sub): "));
  struct stat st;
  EXPECT_NE(lstat("/nonexistent-host-dir", &st), 0);
}

TEST_F(JailTest, DefaultDevNodes) {
  const std::string out = RunShell(
      "for n in null zero full random urandom tty; do stat -c '%n %F %t:%T %a' "
      "/dev/$n; done; for l in fd stdin stdout stderr ptmx; do readlink "
      "/dev/$l; "
      "done; stat -c '%n %F' /dev/pts/ptmx; grep -E ' /dev(/pts|/shm|/mqueue)? "
      "' "
      "/proc/self/mountinfo | cut -d' ' -f5,9");
  EXPECT_TRUE(
      absl::StrContains(out, "/dev/null character special file 1:3 666"))
      << out;
  EXPECT_TRUE(
      absl::StrContains(out, "/dev/zero character special file 1:5 666"));
  EXPECT_TRUE(
      absl::StrContains(out, "/dev/full character special file 1:7 666"));
  EXPECT_TRUE(
      absl::StrContains(out, "/dev/random character special file 1:8 666"));
  EXPECT_TRUE(
      absl::StrContains(out, "/dev/urandom character special file 1:9 666"));
  EXPECT_TRUE(
      absl::StrContains(out, "/dev/tty character special file 5:0 666"));
  EXPECT_TRUE(absl::StrContains(
      out,
      "/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2\n"
      "pts/ptmx\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "/dev tmpfs"));
  EXPECT_TRUE(absl::StrContains(out, "/dev/pts devpts"));
  EXPECT_TRUE(absl::StrContains(out, "/dev/shm tmpfs"));
  EXPECT_TRUE(absl::StrContains(out, "/dev/mqueue mqueue"));
}

TEST_F(JailTest, DefaultDevInUserNamespaceBindsHostNodes) {
  shim::JailSpec spec = ShellSpec(
      "stat -c '%n %t:%T' /dev/null /dev/zero; echo x > /dev/null && echo OK; "
      "awk '$5 == \"/dev/null\" {print $6}' /proc/self/mountinfo");
  AddUserNamespace(&spec, 0, 0);
  EXPECT_EQ(OutputOf(spec),
            "/dev/null 1:3\n/dev/zero 1:5\nOK\nrw,nosuid,noexec,relatime\n");
}

TEST_F(JailTest, SpecMountsBelowDefaultDevInUserNamespace) {
  // runc's default spec: /dev is a tmpfs (the shim's default /dev) and
  // /dev/pts, /dev/shm, /dev/mqueue are listed as mounts of their own.
  shim::JailSpec spec = ShellSpec(
      "awk '$5 ~ /^\\/dev/ {print $5, $(NF-2)}' /proc/self/mountinfo | sort; "
      "ls /dev/null");
  AddUserNamespace(&spec, 100000, 100000);
  spec.mounts.insert(
      spec.mounts.begin(),
      {MakeMount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                 "newinstance,ptmxmode=0666,mode=0620,gid=5"),
       MakeMount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV,
                 "mode=1777,size=65536k"),
       MakeMount("mqueue", "/dev/mqueue/", "mqueue",
                 MS_NOSUID | MS_NOEXEC | MS_NODEV)});
  // Nodes are host binds in a user namespace; each mount appears once.
  EXPECT_EQ(OutputOf(spec),
            "/dev tmpfs\n/dev/full devtmpfs\n/dev/mqueue mqueue\n"
            "/dev/null devtmpfs\n/dev/pts devpts\n/dev/random devtmpfs\n"
            "/dev/shm tmpfs\n/dev/tty devtmpfs\n/dev/urandom devtmpfs\n"
            "/dev/zero devtmpfs\n/dev/null\n");
}

TEST_F(JailTest, DevicesAreCreated) {
  shim::JailSpec spec =
      ShellSpec("stat -c '%n %F %t:%T %a %u:%g' /dev/sub/mynull /dev/fifo0");
  shim::DeviceSpec d = Device("/dev/sub/mynull", S_IFCHR | 0620, makedev(1, 3));
  d.uid = 5;
  d.gid = 6;
  spec.devices.push_back(d);
  spec.devices.push_back(Device("/dev/fifo0", S_IFIFO | 0600));
  EXPECT_EQ(OutputOf(spec),
            "/dev/sub/mynull character special file 1:3 620 5:6\n"
            "/dev/fifo0 fifo 0:0 600 0:0\n");
}

TEST_F(JailTest, DevicesInUserNamespaceAreHostBinds) {
  shim::JailSpec spec = ShellSpec(
      "stat -c '%n %t:%T' /dev/zero; head -c 3 "
      "/dev/zero | od -An -tx1");
  AddUserNamespace(&spec, 0, 0);
  spec.devices.push_back(Device("/dev/zero", S_IFCHR | 0666, makedev(1, 5)));
  EXPECT_EQ(OutputOf(spec), "/dev/zero 1:5\n 00 00 00\n");
}

TEST_F(JailTest, DeviceOutsideDevIsRejected) {
  shim::JailSpec spec = ShellSpec("true");
  shim::DeviceSpec d = Device("/etc/evil", S_IFCHR | 0666, makedev(1, 3));
  spec.devices.push_back(d);
  EXPECT_EQ(StartFailure(spec), "jail: devices[0] /etc/evil: not under /dev");
  d.path = "/dev/../etc/evil";
  spec.devices = {d};
  EXPECT_EQ(StartFailure(spec),
            "jail: devices[0] /dev/../etc/evil: not under /dev");
}

TEST_F(JailTest, ReadonlyRootfs) {
  shim::JailSpec spec = ShellSpec(
      "touch /newfile 2>&1; awk '$5 == \"/\" {print $6}' "
      "/proc/self/mountinfo; echo ok > /dev/shm/w && cat /dev/shm/w");
  spec.rootfs_readonly = true;
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StrContains(out, "Read-only file system")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\nro,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "ok\n")) << out;
}

TEST_F(JailTest, MaskedAndReadonlyPaths) {
  ASSERT_TRUE(
      ocitest::WriteFile(absl::StrCat(rootfs(), "/etc/secret"), "s3cret").ok());
  ASSERT_EQ(mkdir(absl::StrCat(rootfs(), "/secretdir").c_str(), 0755), 0);
  ASSERT_TRUE(
      ocitest::WriteFile(absl::StrCat(rootfs(), "/secretdir/f"), "hidden")
          .ok());
  ASSERT_EQ(mkdir(absl::StrCat(rootfs(), "/rodir").c_str(), 0755), 0);
  shim::JailSpec spec = ShellSpec(
      "echo \"[$(cat /etc/secret)]\"; ls -A /secretdir | wc -l; "
      "touch /secretdir/x 2>/dev/null || echo MASKRO; "
      "touch /rodir/x 2>&1; cat /proc/kcore >/dev/null 2>&1 || true; "
      "grep ' /proc/sys ' /proc/self/mountinfo | cut -d' ' -f6");
  spec.masked_paths = {"/etc/secret", "/secretdir", "/does/not/exist"};
  spec.readonly_paths = {"/rodir", "/proc/sys", "/missing/too"};
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StartsWith(out, "[]\n0\nMASKRO\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "Read-only file system")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\nro,")) << out;
}

TEST_F(JailTest, IdmappedBindMount) {
  ASSERT_EQ(mkdir(dir().Sub("owned").c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(dir().Sub("owned/f"), "x").ok());
  ASSERT_EQ(chown(dir().Sub("owned/f").c_str(), 1000, 1000), 0);
  shim::JailSpec spec = ShellSpec("stat -c '%u:%g' /idm/f");
  shim::MountSpec m = Bind(dir().Sub("owned"), "/idm");
  m.uid_mappings = {{1000, 2000, 1}};
  m.gid_mappings = {{1000, 3000, 1}};
  spec.mounts.push_back(m);
  EXPECT_EQ(OutputOf(spec), "2000:3000\n");
  // The host's view is unchanged.
  struct stat st;
  ASSERT_EQ(stat(dir().Sub("owned/f").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1000u);
}

TEST_F(JailTest, IdmappedMountMustBeABind) {
  shim::JailSpec spec = ShellSpec("true");
  shim::MountSpec m = MakeMount("tmpfs", "/t", "tmpfs");
  m.uid_mappings = {{0, 1000, 1}};
  spec.mounts.push_back(m);
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts[1] (/t): idmapped mounts must be bind mounts");
}

TEST_F(JailTest, NoMountsLeftOnHost) {
  RunShell("true");
  EXPECT_FALSE(HostMountInfoMentions(dir().path()));
}

}  // namespace
}  // namespace shimtest
