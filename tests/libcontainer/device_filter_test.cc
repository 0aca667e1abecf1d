// The cgroup v2 device filter, loaded into this kernel and attached to a
// cgroup2 directory of this (hybrid) host: a child moved into it opens and
// mknods device nodes, and the filter's answers are checked.
#include "libcontainer/device_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "libcontainer/cgroups.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {
namespace {

CgroupDeviceRule Rule(bool allow, char type, std::optional<int64_t> major,
                      std::optional<int64_t> minor, const char* access) {
  CgroupDeviceRule rule;
  rule.allow = allow;
  rule.type = type;
  rule.major = major;
  rule.minor = minor;
  rule.access = access;
  return rule;
}

const CgroupDeviceRule kDenyAll = Rule(false, 'a', {}, {}, "rwm");

// 0 or the errno of opening `path` with `flags`.
std::function<int()> Open(const char* path, int flags) {
  return [path, flags] {
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0) return errno;
    close(fd);
    return 0;
  };
}

class DeviceFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<CgroupHierarchies> h = DiscoverCgroupHierarchies();
    ASSERT_TRUE(h.ok()) << h.status();
    // This project's hosts are cgroup v1 hybrids with cgroup2 beside.
    ASSERT_FALSE(h->unified.empty()) << "no cgroup2 hierarchy mounted";
    dir_ = absl::StrCat(h->unified, "/ocitest-devfilter-", getpid());
    ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0) << dir_ << ": " << strerror(errno);
    absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("devf");
    ASSERT_TRUE(temp.ok());
    temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
  }
  void TearDown() override {
    // The programs go with the directory.
    EXPECT_EQ(rmdir(dir_.c_str()), 0) << dir_ << ": " << strerror(errno);
  }

  absl::StatusOr<base::ScopedFd> Attach(
      const std::vector<CgroupDeviceRule>& rules,
      const base::ScopedFd& replace = base::ScopedFd()) {
    return AttachDeviceFilter(dir_, CompileDeviceFilter(rules), replace);
  }

  // Runs each probe in a child that moved itself into the cgroup `dir`
  // (the test's own by default); returns their results (0 or errno).
  std::vector<int> Probe(const std::vector<std::function<int()>>& probes,
                         std::string dir = "") {
    if (dir.empty()) dir = dir_;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return {};
    pid_t child = fork();
    if (child == 0) {
      close(fds[0]);
      std::string procs = dir + "/cgroup.procs";
      int fd = open(procs.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 || write(fd, "0", 1) != 1) _exit(2);
      close(fd);
      std::string out;
      for (const auto& probe : probes) absl::StrAppend(&out, probe(), " ");
      if (write(fds[1], out.data(), out.size()) !=
          static_cast<ssize_t>(out.size())) {
        _exit(3);
      }
      _exit(0);
    }
    close(fds[1]);
    std::string text;
    char buffer[256];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof(buffer))) > 0)
      text.append(buffer, n);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    std::vector<int> results;
    for (absl::string_view word :
         absl::StrSplit(text, ' ', absl::SkipEmpty())) {
      int value = -1;
      EXPECT_TRUE(absl::SimpleAtoi(word, &value)) << word;
      results.push_back(value);
    }
    return results;
  }

  std::string dir_;
  std::unique_ptr<ocitest::TempDir> temp_;
};

TEST_F(DeviceFilterTest, DenyAllThenAllowOneDevice) {
  absl::StatusOr<base::ScopedFd> prog =
      Attach({kDenyAll, Rule(true, 'c', 1, 3, "rwm")});
  ASSERT_TRUE(prog.ok()) << prog.status();
  EXPECT_EQ(Probe({Open("/dev/null", O_RDWR), Open("/dev/zero", O_RDONLY)}),
            (std::vector<int>{0, EPERM}));
}

TEST_F(DeviceFilterTest, EachAccessIsDecidedOnItsOwn) {
  // A later deny of writes leaves reads alone; two allows add up.
  absl::StatusOr<base::ScopedFd> prog =
      Attach({Rule(true, 'a', {}, {}, "rwm"), Rule(false, 'c', 1, 3, "w"),
              Rule(false, 'c', 1, 5, "rw"), Rule(true, 'c', 1, 5, "r"),
              Rule(true, 'c', 1, 5, "w")});
  ASSERT_TRUE(prog.ok()) << prog.status();
  EXPECT_EQ(Probe({Open("/dev/null", O_RDONLY), Open("/dev/null", O_WRONLY),
                   Open("/dev/null", O_RDWR), Open("/dev/zero", O_RDWR)}),
            (std::vector<int>{0, EPERM, EPERM, 0}));
}

TEST_F(DeviceFilterTest, WildcardsAndTypes) {
  // Any char device of major 1, reads only; block devices not at all.
  absl::StatusOr<base::ScopedFd> prog = Attach(
      {kDenyAll, Rule(true, 'c', 1, {}, "r"), Rule(true, 'b', {}, {}, "m")});
  ASSERT_TRUE(prog.ok()) << prog.status();
  const std::string blk = temp_->Sub("blk");
  const std::string chr = temp_->Sub("chr");
  EXPECT_EQ(Probe({Open("/dev/zero", O_RDONLY), Open("/dev/full", O_RDONLY),
                   Open("/dev/zero", O_WRONLY),
                   [&blk] {
                     return mknod(blk.c_str(), S_IFBLK | 0600, makedev(7, 0))
                                ? errno
                                : 0;
                   },
                   [&chr] {
                     return mknod(chr.c_str(), S_IFCHR | 0600, makedev(1, 3))
                                ? errno
                                : 0;
                   },
                   Open(blk.c_str(), O_RDONLY)}),
            (std::vector<int>{0, 0, EPERM, 0, EPERM, EPERM}));
}

TEST_F(DeviceFilterTest, ReplaceSwapsTheProgramInPlace) {
  absl::StatusOr<base::ScopedFd> first = Attach({kDenyAll});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Probe({Open("/dev/null", O_RDONLY)}), (std::vector<int>{EPERM}));
  absl::StatusOr<base::ScopedFd> second =
      Attach({kDenyAll, Rule(true, 'c', 1, 3, "r")}, *first);
  ASSERT_TRUE(second.ok()) << second.status();
  // Were both attached, the first would still deny.
  EXPECT_EQ(Probe({Open("/dev/null", O_RDONLY)}), (std::vector<int>{0}));
}

// Cgroups on a host with only cgroup2 (this host's cgroup2 tree standing in
// for one): Create attaches deny-all plus the config's rules plus the
// defaults, and AllowDevice (loop devices) replaces the program.
TEST_F(DeviceFilterTest, CgroupsOnAUnifiedOnlyHost) {
  absl::StatusOr<CgroupHierarchies> host = DiscoverCgroupHierarchies();
  ASSERT_TRUE(host.ok());
  CgroupHierarchies unified_only;
  unified_only.unified = host->unified;
  Resources resources;
  resources.devices.push_back(Rule(true, 'c', 1, 11, "r"));  // /dev/kmsg
  absl::StatusOr<Cgroups> cgroups = Cgroups::Create(
      unified_only, absl::StrCat("ocitest-devfilter-cg-", getpid()), resources,
      std::nullopt);
  ASSERT_TRUE(cgroups.ok()) << cgroups.status();
  const std::string dir = cgroups->unified_dir();
  const std::string node = temp_->Sub("node");
  // A device no rule allows (an open the filter lets through would fail
  // with ENXIO instead).
  const std::string odd = temp_->Sub("odd");
  ASSERT_EQ(mknod(odd.c_str(), S_IFCHR | 0600, makedev(99, 99)), 0);
  auto probes = [&node, &odd] {
    return std::vector<std::function<int()>>{
        Open("/dev/null", O_RDWR), Open("/dev/kmsg", O_RDONLY),
        Open("/dev/kmsg", O_WRONLY), Open(odd.c_str(), O_RDONLY), [&node] {
          int rc = mknod(node.c_str(), S_IFCHR | 0600, makedev(1, 3));
          return rc != 0 ? errno : unlink(node.c_str());
        }};
  };
  // The defaults (null; mknod of any char device), the config's kmsg rule.
  EXPECT_EQ(Probe(probes(), dir), (std::vector<int>{0, 0, EPERM, EPERM, 0}));
  ASSERT_TRUE(cgroups->AllowDevice(Rule(true, 'c', 1, 11, "w")).ok());
  EXPECT_EQ(Probe(probes(), dir), (std::vector<int>{0, 0, 0, EPERM, 0}));
  EXPECT_TRUE(cgroups->Remove().ok());
}

TEST_F(DeviceFilterTest, TooManyRulesAreAnErrorNotAWrongProgram) {
  std::vector<CgroupDeviceRule> rules(20000, Rule(true, 'c', 1, 3, "rwm"));
  rules.insert(rules.begin(), kDenyAll);
  EXPECT_TRUE(CompileDeviceFilter(rules).empty());
  absl::StatusOr<base::ScopedFd> prog = Attach(rules);
  ASSERT_FALSE(prog.ok());
  EXPECT_EQ(prog.status().message(),
            absl::StrCat("cgroup: device filter for ", dir_,
                         ": too many device rules"));
}

TEST_F(DeviceFilterTest, AttachFailureNamesTheDirectory) {
  absl::StatusOr<base::ScopedFd> prog = AttachDeviceFilter(
      dir_ + "/missing", CompileDeviceFilter({kDenyAll}), base::ScopedFd());
  ASSERT_FALSE(prog.ok());
  EXPECT_EQ(prog.status().message(),
            absl::StrCat("cgroup: open ", dir_,
                         "/missing: No such file or directory"));
}

}  // namespace
}  // namespace libcontainer
