// CVE-2025-31133 shape: /dev bound from a directory of the image, whose
// `null` is a link to a procfs file (or to any file, or another device).
// A runtime that masks by binding the container's /dev/null turns every
// masked path into a writable alias of that file. The masks must be the
// real null device (1:3) whatever the image's /dev holds, and writing to a
// masked path must reach nothing.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

// Masked files as the container sees them, then a write through one of
// them (into the null device when masked right) and whether it reached the
// canary or the container's hostname.
constexpr char kProbe[] = R"sh(
for f in /etc/secret /proc/timer_list /proc/keys; do
  echo "$f $(stat -c %F:%t:%T $f)"
done
echo pwned > /etc/secret
echo pwned > /proc/keys
echo "secret: [$(head -c 16 /etc/secret)]"
echo "canary: [$(cat /canary)]"
echo "hostname: $(hostname)"
)sh";

constexpr char kMasked[] =
    "/etc/secret character special file:1:3\n"
    "/proc/timer_list character special file:1:3\n"
    "/proc/keys character special file:1:3\n"
    "secret: []\n"
    "canary: [canary]\n"
    "hostname: e2e\n";

class DevNullMaskTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    image_dev_ = Rootfs() + "/imgdev";
    ASSERT_EQ(mkdir(image_dev_.c_str(), 0755), 0);
    ASSERT_TRUE(ocitest::WriteFile(Rootfs() + "/canary", "canary").ok());
    ASSERT_TRUE(ocitest::WriteFile(Rootfs() + "/etc/secret", "s3cret").ok());
  }

  // /dev is a bind of the image's directory; runc's masks and read-only
  // /proc/sys.
  void WriteHostileConfig() {
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":["sh","-c",)", JsonString(kProbe),
        R"(],"cwd":"/","env":["PATH=/bin:/sbin"],"user":{"uid":0,"gid":0}},)",
        R"("hostname":"e2e","mounts":[)",
        R"({"destination":"/proc","type":"proc","source":"proc"},)",
        R"({"destination":"/dev","type":"bind","source":)",
        JsonString(image_dev_), R"(,"options":["rbind"]}],)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"},)",
        R"({"type":"uts"},{"type":"ipc"},{"type":"network"}],)",
        R"("maskedPaths":["/etc/secret","/proc/timer_list","/proc/keys"],)",
        R"("readonlyPaths":["/proc/sys"]}})");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  void ExpectMasksAreTheNullDevice() {
    WriteHostileConfig();
    ocitest::CommandResult r = RunOci({"run", "c1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, kMasked);
    EXPECT_EQ(ocitest::ReadFile(Rootfs() + "/canary").value_or(""), "canary");
    EXPECT_EQ(ocitest::ReadFile(Rootfs() + "/etc/secret").value_or(""),
              "s3cret");
  }

  std::string image_dev_;
};

TEST_F(DevNullMaskTest, NullLinkedToAProcfsFile) {
  ASSERT_EQ(
      symlink("/proc/sys/kernel/hostname", (image_dev_ + "/null").c_str()), 0);
  ExpectMasksAreTheNullDevice();
}

TEST_F(DevNullMaskTest, NullLinkedToACanaryFile) {
  ASSERT_EQ(symlink("/canary", (image_dev_ + "/null").c_str()), 0);
  ExpectMasksAreTheNullDevice();
}

TEST_F(DevNullMaskTest, NullIsARegularFile) {
  ASSERT_TRUE(ocitest::WriteFile(image_dev_ + "/null", "not null").ok());
  ExpectMasksAreTheNullDevice();
  EXPECT_EQ(ocitest::ReadFile(image_dev_ + "/null").value_or(""), "not null");
}

TEST_F(DevNullMaskTest, NullIsAnotherDevice) {
  ASSERT_EQ(
      mknod((image_dev_ + "/null").c_str(), S_IFCHR | 0666, makedev(1, 5)), 0);
  ExpectMasksAreTheNullDevice();
}

TEST_F(DevNullMaskTest, NoNullAtAll) { ExpectMasksAreTheNullDevice(); }

}  // namespace
}  // namespace run_oci_test
