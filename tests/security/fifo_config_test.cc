// A config.json that is not a file (issue 9 item 13): run_oci read it with
// a blocking open and read, so a FIFO in its place hung create/run/start
// (as root, before any setup) until someone wrote to it, and /dev/zero was
// read up to the size limit. Now it is opened O_NONBLOCK and must be a
// regular file of at most 16 MiB; the error names it, and nothing is made.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"

namespace run_oci_test {
namespace {

using ::testing::IsEmpty;

class FifoConfigTest : public RunOciE2eTest {
 protected:
  void ExpectRefused(const std::function<void(const std::string&)>& plant,
                     const std::string& why) {
    std::string config = bundle_ + "/config.json";
    ASSERT_EQ(unlink(config.c_str()), 0);
    plant(config);
    for (const char* command : {"run", "create", "start"}) {
      SCOPED_TRACE(command);
      Background bg = StartRunOci({command, "c1"});
      EXPECT_EQ(WaitRunOciAtMost(bg, absl::Seconds(30)), 1);
      EXPECT_EQ(OutputOf(bg),
                absl::StrCat("run_oci: ", config, ": ", why, "\n"));
      EXPECT_THAT(StateRootEntries(), IsEmpty());
      EXPECT_THAT(leaks_->Cgroups(), IsEmpty());
    }
  }
};

TEST_F(FifoConfigTest, Fifo) {
  ExpectRefused(
      [](const std::string& config) {
        ASSERT_EQ(mkfifo(config.c_str(), 0644), 0);
      },
      "not a regular file (a FIFO)");
}

TEST_F(FifoConfigTest, SymlinkToDevZero) {
  ExpectRefused(
      [](const std::string& config) {
        ASSERT_EQ(symlink("/dev/zero", config.c_str()), 0);
      },
      "not a regular file (a character device)");
}

TEST_F(FifoConfigTest, SymlinkToAFifo) {
  ExpectRefused(
      [&](const std::string& config) {
        std::string fifo = temp_->Sub("fifo");
        ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
        ASSERT_EQ(symlink(fifo.c_str(), config.c_str()), 0);
      },
      "not a regular file (a FIFO)");
}

TEST_F(FifoConfigTest, Huge) {
  ExpectRefused(
      [](const std::string& config) {
        int fd = open(config.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(ftruncate(fd, off_t{1} << 30), 0);
        close(fd);
      },
      "larger than 16777216 bytes (1073741824)");
}

}  // namespace
}  // namespace run_oci_test
