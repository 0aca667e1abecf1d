// tmpcopyup: a tmpfs that starts with a copy of the rootfs directory it
// covers (files with their data, directories, symlinks, nodes; modes and
// owners), never following a symlink, and still a tmpfs.
#include "minijail-shim/copy_up.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "minijail-shim/jail.h"
#include "tests/shim/jail_fixture.h"
#include "tests/testing/temp_dir.h"

namespace shimtest {
namespace {

shim::MountSpec CopyUpTmpfs(const std::string& target,
                            const std::string& data = "") {
  shim::MountSpec m =
      MakeMount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, data);
  m.copy_up = true;
  return m;
}

class CopyUpTest : public JailTest {
 protected:
  std::string InRoot(const std::string& path) const {
    return absl::StrCat(rootfs(), path);
  }

  // /run in the image: a file with a mode and owner of its own, a
  // subdirectory two levels deep, a relative and an absolute symlink, a
  // FIFO, a setgid directory.
  void MakeImageRun() {
    ASSERT_EQ(chmod(InRoot("/run").c_str(), 0750), 0);
    ASSERT_EQ(chown(InRoot("/run").c_str(), 7, 8), 0);
    ASSERT_TRUE(ocitest::WriteFile(InRoot("/run/pidfile"), "123\n").ok());
    ASSERT_EQ(chmod(InRoot("/run/pidfile").c_str(), 0640), 0);
    ASSERT_EQ(chown(InRoot("/run/pidfile").c_str(), 5, 6), 0);
    ASSERT_EQ(mkdir(InRoot("/run/lock").c_str(), 02775), 0);
    ASSERT_EQ(chmod(InRoot("/run/lock").c_str(), 02775), 0);
    ASSERT_EQ(mkdir(InRoot("/run/lock/sub").c_str(), 0700), 0);
    ASSERT_TRUE(ocitest::WriteFile(InRoot("/run/lock/sub/deep"), "d").ok());
    ASSERT_EQ(symlink("lock/sub/deep", InRoot("/run/rel").c_str()), 0);
    ASSERT_EQ(symlink("/etc/passwd", InRoot("/run/abs").c_str()), 0);
    ASSERT_EQ(mkfifo(InRoot("/run/fifo").c_str(), 0620), 0);
    ASSERT_EQ(chmod(InRoot("/run/fifo").c_str(), 0620), 0);
  }
};

TEST_F(CopyUpTest, CopiesTheDirectoryItCovers) {
  MakeImageRun();
  shim::JailSpec spec = ShellSpec(
      "cd /run && stat -c '%n %F %a %u:%g' . pidfile lock lock/sub "
      "lock/sub/deep fifo; readlink rel; readlink abs; cat pidfile "
      "lock/sub/deep; "
      "echo; stat -f -c %T /run; echo new > /run/added && cat /run/added");
  spec.mounts.push_back(CopyUpTmpfs("/run"));
  EXPECT_EQ(OutputOf(spec),
            ". directory 750 7:8\n"
            "pidfile regular file 640 5:6\n"
            "lock directory 2775 0:0\n"
            // setgid, as mkdir in the image's setgid lock made it
            "lock/sub directory 2700 0:0\n"
            "lock/sub/deep regular file 644 0:0\n"
            "fifo fifo 620 0:0\n"
            "lock/sub/deep\n/etc/passwd\n"
            "123\nd\n"
            "tmpfs\nnew\n");
  // The image itself is untouched: the write went to the tmpfs.
  struct stat st;
  EXPECT_NE(stat(InRoot("/run/added").c_str(), &st), 0);
}

// A rootless-style container: the image belongs to the mapped ids, the
// copy is made by the user namespace's root and keeps the owners it sees.
TEST_F(CopyUpTest, InAUserNamespaceTheOwnersAreTheMappedOnes) {
  ASSERT_EQ(chown(InRoot("/run").c_str(), 100000, 100000), 0);
  ASSERT_TRUE(ocitest::WriteFile(InRoot("/run/owned"), "o", 0600).ok());
  ASSERT_EQ(chown(InRoot("/run/owned").c_str(), 100007, 100008), 0);
  ASSERT_EQ(symlink("owned", InRoot("/run/link").c_str()), 0);
  ASSERT_EQ(lchown(InRoot("/run/link").c_str(), 100003, 100004), 0);
  shim::JailSpec spec = ShellSpec(
      "stat -c '%n %a %u:%g' /run /run/owned; stat -c '%n %u:%g' /run/link; "
      "cat /run/owned");
  AddUserNamespace(&spec, 100000, 100000);
  spec.mounts.push_back(CopyUpTmpfs("/run"));
  EXPECT_EQ(OutputOf(spec),
            "/run 755 0:0\n/run/owned 600 7:8\n/run/link 3:4\no");
}

TEST_F(CopyUpTest, MountOptionsWinOverTheCoveredDirectory) {
  MakeImageRun();
  shim::JailSpec spec =
      ShellSpec("stat -c '%a %u:%g' /run; grep ' /run ' /proc/self/mountinfo");
  spec.mounts.push_back(CopyUpTmpfs("/run", "mode=1777,uid=3,gid=4,size=1m"));
  const std::string out = OutputOf(spec);
  EXPECT_TRUE(absl::StartsWith(out, "1777 3:4\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, " rw,nosuid,nodev")) << out;
  EXPECT_TRUE(absl::StrContains(out, "size=1024k")) << out;
}

TEST_F(CopyUpTest, SymlinkedTargetIsResolvedInTheRoot) {
  // /var/run -> /run (absolute, as in most images): resolved inside the
  // rootfs, so the host's /run is neither copied nor covered.
  ASSERT_TRUE(ocitest::WriteFile(InRoot("/run/mine"), "image").ok());
  ASSERT_EQ(symlink("/run", InRoot("/var/run").c_str()), 0);
  shim::JailSpec spec = ShellSpec("ls -A /run; cat /var/run/mine");
  spec.mounts.push_back(CopyUpTmpfs("/var/run"));
  EXPECT_EQ(OutputOf(spec), "mine\nimage");
}

TEST_F(CopyUpTest, SymlinkToTheHostIsCopiedNotFollowed) {
  // A directory link out of the rootfs stays a link to the container's own
  // path; nothing of the host's directory is copied.
  const std::string host_dir = dir().Sub("hostsecret");
  ASSERT_EQ(mkdir(host_dir.c_str(), 0755), 0);
  ASSERT_TRUE(ocitest::WriteFile(host_dir + "/key", "secret").ok());
  ASSERT_EQ(symlink(host_dir.c_str(), InRoot("/run/escape").c_str()), 0);
  shim::JailSpec spec =
      ShellSpec("stat -c %F /run/escape; ls /run/escape/ 2>&1 | grep -c key");
  spec.mounts.push_back(CopyUpTmpfs("/run"));
  EXPECT_EQ(OutputOf(spec), "symbolic link\n0\n");
}

TEST_F(CopyUpTest, MissingTargetIsAnEmptyTmpfs) {
  shim::JailSpec spec =
      ShellSpec("ls -A /newdir | wc -l; stat -f -c %T /newdir");
  spec.mounts.push_back(CopyUpTmpfs("/newdir"));
  EXPECT_EQ(OutputOf(spec), "0\ntmpfs\n");
}

TEST_F(CopyUpTest, TooDeepIsRefusedNamingTheMount) {
  // /run/d/d/...: one level more than is copied.
  std::string path = InRoot("/run");
  for (int i = 0; i <= shim::kCopyUpMaxDepth; ++i) {
    path += "/d";
    ASSERT_EQ(mkdir(path.c_str(), 0755), 0) << path;
  }
  shim::JailSpec spec = ShellSpec("true");
  spec.mounts.push_back(CopyUpTmpfs("/run"));
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts[1] (/run): tmpcopyup: directories nested too deep "
            "to copy");
}

TEST_F(CopyUpTest, OnlyOnATmpfs) {
  shim::JailSpec spec = ShellSpec("true");
  shim::MountSpec m = CopyUpTmpfs("/run");
  m.type = "proc";
  m.source = "proc";
  spec.mounts.push_back(m);
  EXPECT_EQ(StartFailure(spec),
            "jail: mounts[1] (/run): tmpcopyup needs a tmpfs");
}

}  // namespace
}  // namespace shimtest
