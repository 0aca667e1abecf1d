// The compiled-filter cache (libcontainer/seccomp_cache.h): a hit gives
// exactly what libseccomp compiles, every policy member is part of the key,
// and entries or directories someone else could have written are never
// used.
#include "libcontainer/seccomp_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "minijail-shim/seccomp.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

shim::SeccompPolicy MkdirRefused() {
  shim::SeccompPolicy policy;
  policy.default_action = "SCMP_ACT_ALLOW";
  policy.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
  shim::SeccompRule rule;
  rule.names = {"mkdir", "mkdirat"};
  rule.action = "SCMP_ACT_ERRNO";
  rule.errno_ret = 1;
  policy.syscalls.push_back(rule);
  shim::SeccompRule with_arg;
  with_arg.names = {"personality"};
  with_arg.action = "SCMP_ACT_ERRNO";
  with_arg.args.push_back({0, 8, 0, "SCMP_CMP_EQ"});
  policy.syscalls.push_back(with_arg);
  return policy;
}

bool SameProgram(const std::vector<sock_filter>& a,
                 const std::vector<sock_filter>& b) {
  return a.size() == b.size() &&
         memcmp(a.data(), b.data(), a.size() * sizeof(sock_filter)) == 0;
}

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

class SeccompCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ocitest::TempDir> tmp = ocitest::TempDir::Create("sccache");
    ASSERT_TRUE(tmp.ok()) << tmp.status();
    tmp_.emplace(*std::move(tmp));
    absl::StatusOr<base::ScopedFd> dir = OpenSeccompCacheDir(tmp_->path());
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    cache_ = tmp_->Sub(kSeccompCacheDirName);
  }

  // The one entry's path (the test policy's).
  std::string OnlyEntry() {
    std::vector<std::string> names = Entries(cache_);
    EXPECT_THAT(names, SizeIs(1));
    return names.empty() ? "" : absl::StrCat(cache_, "/", names[0]);
  }

  std::optional<ocitest::TempDir> tmp_;
  base::ScopedFd dir_;
  std::string cache_;
};

TEST_F(SeccompCacheTest, DirectoryIsPrivate) {
  struct stat st;
  ASSERT_EQ(stat(cache_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST_F(SeccompCacheTest, HitIsWhatLibseccompCompiles) {
  const shim::SeccompPolicy policy = MkdirRefused();
  absl::StatusOr<shim::CompiledSeccomp> direct = shim::CompileSeccomp(policy);
  ASSERT_TRUE(direct.ok()) << direct.status();

  absl::StatusOr<shim::CompiledSeccomp> miss =
      CompileSeccompCached(policy, dir_.get());
  ASSERT_TRUE(miss.ok()) << miss.status();
  EXPECT_TRUE(SameProgram(miss->program, direct->program));
  const std::string entry = OnlyEntry();
  struct stat st;
  ASSERT_EQ(stat(entry.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  absl::StatusOr<shim::CompiledSeccomp> hit =
      CompileSeccompCached(policy, dir_.get());
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_TRUE(SameProgram(hit->program, direct->program));
  EXPECT_EQ(hit->flags, direct->flags);
  EXPECT_THAT(Entries(cache_), SizeIs(1));
}

// Rewrites the entry's instructions with one "allow everything", keeping
// its key: what an attacker who could write the entry would do.
void PlantAllowAll(const std::string& entry) {
  struct stat st;
  ASSERT_EQ(stat(entry.c_str(), &st), 0);
  std::string data(static_cast<size_t>(st.st_size), '\0');
  int fd = open(entry.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(pread(fd, data.data(), data.size(), 0),
            static_cast<ssize_t>(data.size()));
  // The file ends with the instruction count and that many instructions;
  // find the count, then make it one instruction.
  uint32_t count = 0;
  for (uint32_t n = 1; n <= 4096; ++n) {
    const size_t at = data.size() - n * sizeof(sock_filter) - 4;
    if (at >= data.size()) break;
    uint32_t stored;
    memcpy(&stored, data.data() + at, 4);
    if (stored == n) {
      count = n;
      break;
    }
  }
  ASSERT_GT(count, 0u);
  const size_t header = data.size() - count * sizeof(sock_filter) - 4;
  data.resize(header + 4 + sizeof(sock_filter));
  const uint32_t one = 1;
  memcpy(data.data() + header, &one, 4);
  const sock_filter allow = BPF_STMT(BPF_RET | BPF_K, 0x7fff0000);  // ALLOW
  memcpy(data.data() + header + 4, &allow, sizeof(allow));
  ASSERT_EQ(ftruncate(fd, 0), 0);
  ASSERT_EQ(pwrite(fd, data.data(), data.size(), 0),
            static_cast<ssize_t>(data.size()));
  close(fd);
}

// The planted entry is used when it is private (so that the cases below
// test the checks, not a broken plant) and refused otherwise.
TEST_F(SeccompCacheTest, PlantedEntryIsUsedOnlyWhenPrivate) {
  const shim::SeccompPolicy policy = MkdirRefused();
  ASSERT_TRUE(CompileSeccompCached(policy, dir_.get()).ok());
  const std::string entry = OnlyEntry();
  PlantAllowAll(entry);
  absl::StatusOr<shim::CompiledSeccomp> planted =
      CompileSeccompCached(policy, dir_.get());
  ASSERT_TRUE(planted.ok());
  EXPECT_THAT(planted->program, SizeIs(1));

  absl::StatusOr<shim::CompiledSeccomp> direct = shim::CompileSeccomp(policy);
  ASSERT_TRUE(direct.ok());
  for (mode_t mode : {0620, 0602, 0666}) {
    PlantAllowAll(entry);
    ASSERT_EQ(chmod(entry.c_str(), mode), 0);
    absl::StatusOr<shim::CompiledSeccomp> got =
        CompileSeccompCached(policy, dir_.get());
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(SameProgram(got->program, direct->program)) << mode;
  }
  PlantAllowAll(entry);
  ASSERT_EQ(chown(entry.c_str(), 1000, 1000), 0);
  absl::StatusOr<shim::CompiledSeccomp> foreign =
      CompileSeccompCached(policy, dir_.get());
  ASSERT_TRUE(foreign.ok());
  EXPECT_TRUE(SameProgram(foreign->program, direct->program));

  // A hard link (someone else's name for the same file) is refused too.
  PlantAllowAll(entry);
  ASSERT_EQ(chown(entry.c_str(), 0, 0), 0);
  ASSERT_EQ(chmod(entry.c_str(), 0600), 0);
  const std::string other = tmp_->Sub("link");
  ASSERT_EQ(link(entry.c_str(), other.c_str()), 0);
  absl::StatusOr<shim::CompiledSeccomp> linked =
      CompileSeccompCached(policy, dir_.get());
  ASSERT_TRUE(linked.ok());
  EXPECT_TRUE(SameProgram(linked->program, direct->program));
  unlink(other.c_str());
}

TEST_F(SeccompCacheTest, DamagedEntryIsRecompiledAndReplaced) {
  const shim::SeccompPolicy policy = MkdirRefused();
  absl::StatusOr<shim::CompiledSeccomp> direct = shim::CompileSeccomp(policy);
  ASSERT_TRUE(direct.ok());
  ASSERT_TRUE(CompileSeccompCached(policy, dir_.get()).ok());
  const std::string entry = OnlyEntry();
  struct stat st;
  ASSERT_EQ(stat(entry.c_str(), &st), 0);
  ASSERT_EQ(truncate(entry.c_str(), st.st_size - 3), 0);
  absl::StatusOr<shim::CompiledSeccomp> got =
      CompileSeccompCached(policy, dir_.get());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(SameProgram(got->program, direct->program));
  struct stat after;
  ASSERT_EQ(stat(entry.c_str(), &after), 0);
  EXPECT_EQ(after.st_size, st.st_size);
  EXPECT_THAT(Entries(cache_), SizeIs(1));
}

// Every member of the policy changes the key.
TEST(SeccompCacheKeyTest, EveryMemberIsInTheKey) {
  const shim::SeccompPolicy base = MkdirRefused();
  const std::string key = SeccompCacheKey(base);
  ASSERT_FALSE(key.empty()) << "this test binary has no build id";
  std::vector<std::function<void(shim::SeccompPolicy*)>> changes = {
      [](shim::SeccompPolicy* p) { p->default_action = "SCMP_ACT_LOG"; },
      [](shim::SeccompPolicy* p) { p->default_errno_ret = 1; },
      [](shim::SeccompPolicy* p) { p->architectures.pop_back(); },
      [](shim::SeccompPolicy* p) {
        p->flags.push_back("SECCOMP_FILTER_FLAG_LOG");
      },
      [](shim::SeccompPolicy* p) { p->listener_path = "/x"; },
      [](shim::SeccompPolicy* p) { p->listener_metadata = "m"; },
      [](shim::SeccompPolicy* p) { p->syscalls.pop_back(); },
      [](shim::SeccompPolicy* p) { p->syscalls[0].names[1] = "rmdir"; },
      [](shim::SeccompPolicy* p) { p->syscalls[0].action = "SCMP_ACT_KILL"; },
      [](shim::SeccompPolicy* p) { p->syscalls[0].errno_ret = 2; },
      [](shim::SeccompPolicy* p) { p->syscalls[1].args[0].index = 1; },
      [](shim::SeccompPolicy* p) { p->syscalls[1].args[0].value = 9; },
      [](shim::SeccompPolicy* p) { p->syscalls[1].args[0].value_two = 9; },
      [](shim::SeccompPolicy* p) { p->syscalls[1].args[0].op = "SCMP_CMP_NE"; },
      // Names moved between rules, or joined: the same strings, other
      // policies.
      [](shim::SeccompPolicy* p) {
        p->syscalls[0].names = {"mkdir"};
        p->syscalls[1].names.insert(p->syscalls[1].names.begin(), "mkdirat");
      },
      [](shim::SeccompPolicy* p) { p->syscalls[0].names = {"mkdirmkdirat"}; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    shim::SeccompPolicy changed = base;
    changes[i](&changed);
    EXPECT_NE(SeccompCacheKey(changed), key) << "change " << i;
  }
  EXPECT_EQ(SeccompCacheKey(MkdirRefused()), key);
}

TEST(SeccompCacheDirTest, RefusesSharedOrSymlinkedDirectory) {
  absl::StatusOr<ocitest::TempDir> tmp = ocitest::TempDir::Create("sccache");
  ASSERT_TRUE(tmp.ok());
  const std::string dir = tmp->Sub(kSeccompCacheDirName);
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(chmod(dir.c_str(), 0777), 0);
  absl::StatusOr<base::ScopedFd> shared = OpenSeccompCacheDir(tmp->path());
  EXPECT_FALSE(shared.ok());
  EXPECT_THAT(std::string(shared.status().message()),
              ::testing::HasSubstr("writable by it alone"));
  ASSERT_EQ(rmdir(dir.c_str()), 0);

  const std::string elsewhere = tmp->Sub("elsewhere");
  ASSERT_EQ(mkdir(elsewhere.c_str(), 0700), 0);
  ASSERT_EQ(symlink(elsewhere.c_str(), dir.c_str()), 0);
  EXPECT_FALSE(OpenSeccompCacheDir(tmp->path()).ok());
  EXPECT_THAT(Entries(elsewhere), IsEmpty());
}

TEST_F(SeccompCacheTest, FullDirectoryOnlyCompiles) {
  for (int i = 0; i < kMaxSeccompCacheEntries; ++i) {
    const std::string name = absl::StrCat(cache_, "/", i);
    int fd = open(name.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    close(fd);
  }
  absl::StatusOr<shim::CompiledSeccomp> got =
      CompileSeccompCached(MkdirRefused(), dir_.get());
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->program.empty());
  EXPECT_THAT(Entries(cache_), SizeIs(kMaxSeccompCacheEntries));
}

TEST(SeccompCacheNoDirTest, CompileErrorsAreReturned) {
  shim::SeccompPolicy bad = MkdirRefused();
  bad.syscalls[0].action = "SCMP_ACT_BOGUS";
  EXPECT_FALSE(CompileSeccompCached(bad, -1).ok());
}

}  // namespace
}  // namespace libcontainer
