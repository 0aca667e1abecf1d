// The compiled seccomp filter kept in <root>/.seccomp-cache: the second
// container with the same profile loads it from there, and it refuses what
// the profile refuses exactly as the freshly compiled one did.
#include <dirent.h>
#include <sys/stat.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libcontainer/seccomp_cache.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
        names.push_back(e->d_name);
      }
    }
    closedir(d);
  }
  return names;
}

class SeccompCacheE2eTest : public RunOciE2eTest {
 protected:
  // mkdir refused with `errno_ret`, on the architectures podman lists.
  void WriteMkdirRefusedConfig(int errno_ret) {
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":["sh","-c","mkdir /tmp/d 2>&1; echo rc=$?"],)",
        R"("cwd":"/","env":["PATH=/bin:/sbin:/usr/bin"],)",
        R"("user":{"uid":0,"gid":0}},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"}],)",
        R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","architectures":)",
        R"(["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],)",
        R"("syscalls":[{"names":["mkdir","mkdirat"],)",
        R"("action":"SCMP_ACT_ERRNO","errnoRet":)", errno_ret, "}]}}}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }
  std::string CacheDir() const {
    return root_ + "/" + libcontainer::kSeccompCacheDirName;
  }
};

TEST_F(SeccompCacheE2eTest, SecondRunUsesTheEntryAndStillRefuses) {
  WriteMkdirRefusedConfig(1);  // EPERM
  ocitest::CommandResult first = RunOci({"run", "c1"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, ::testing::HasSubstr("Operation not permitted"));
  EXPECT_THAT(first.out, ::testing::HasSubstr("rc=1"));
  std::vector<std::string> entries = Entries(CacheDir());
  ASSERT_THAT(entries, SizeIs(1));
  struct stat dir_st;
  ASSERT_EQ(stat(CacheDir().c_str(), &dir_st), 0);
  EXPECT_EQ(dir_st.st_mode & 07777, 0700u);
  struct stat before;
  const std::string entry = CacheDir() + "/" + entries[0];
  ASSERT_EQ(stat(entry.c_str(), &before), 0);

  ocitest::CommandResult second = RunOci({"run", "c2"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  struct stat after;
  ASSERT_EQ(stat(entry.c_str(), &after), 0);
  // Read, not rewritten.
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(Entries(CacheDir()), entries);

  // Another errno is another policy: its own entry, its own errno.
  WriteMkdirRefusedConfig(13);  // EACCES
  ocitest::CommandResult other = RunOci({"run", "c3"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_THAT(other.out, ::testing::HasSubstr("Permission denied"));
  EXPECT_THAT(Entries(CacheDir()), SizeIs(2));
  EXPECT_THAT(StateRootEntries(), IsEmpty());
}

TEST_F(SeccompCacheE2eTest, NoSeccompNoCache) {
  WriteConfig({"true"});
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st;
  EXPECT_NE(stat(CacheDir().c_str(), &st), 0);
}

}  // namespace
}  // namespace run_oci_test
