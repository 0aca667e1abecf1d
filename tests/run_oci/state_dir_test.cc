#include "run_oci/state_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "run_oci/proc_stat.h"
#include "run_oci/start_socket.h"
#include "tests/run_oci/dir_entries.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ocitest::TempDir> temp =
        ocitest::TempDir::Create("statedir");
    ASSERT_TRUE(temp.ok());
    temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
    root_ = temp_->Sub("a/b/root");  // made on demand, parents included
  }

  absl::StatusOr<StateDir> Create(const std::string& id,
                                  const StateRecord& first = {}) {
    return StateDir::Create(root_, id, first, &lock_);
  }

  std::vector<std::string> RootEntries() const {
    return ocitest::SortedDirEntries(root_);
  }

  std::unique_ptr<ocitest::TempDir> temp_;
  std::string root_;
  base::ScopedFd lock_;
};

TEST_F(StateDirTest, CreateIsExclusiveAndLeavesNoTemporary) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(dir->path(), root_ + "/c1");
  EXPECT_TRUE(lock_.is_valid());
  base::ScopedFd second_lock;
  absl::StatusOr<StateDir> again =
      StateDir::Create(root_, "c1", StateRecord{}, &second_lock);
  EXPECT_TRUE(absl::IsAlreadyExists(again.status()));
  EXPECT_EQ(again.status().message(),
            "container with given ID already exists: c1");
  EXPECT_FALSE(second_lock.is_valid());
  // The loser's temporary is gone too.
  EXPECT_THAT(RootEntries(), ElementsAre("c1"));
}

TEST_F(StateDirTest, TheDirectoryAppearsWithItsTag) {
  absl::StatusOr<StateDir> missing = StateDir::Open(root_, "c1");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(missing.status().message(), "container does not exist: c1");

  StateRecord first;
  first.id = "c1";
  ASSERT_TRUE(Create("c1", first).ok());
  absl::StatusOr<StateDir> opened = StateDir::Open(root_, "c1");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->ReadRecord().value_or(StateRecord{}).id, "c1");
}

TEST_F(StateDirTest, ADirectoryWithoutTheTagIsNotOurs) {
  ASSERT_TRUE(Create("other").ok());  // makes the root
  ASSERT_EQ(mkdir((root_ + "/c1").c_str(), 0755), 0);
  absl::StatusOr<StateDir> opened = StateDir::Open(root_, "c1");
  EXPECT_TRUE(absl::IsFailedPrecondition(opened.status()));
  EXPECT_TRUE(absl::IsAlreadyExists(Create("c1").status()));
  EXPECT_EQ(access((root_ + "/c1").c_str(), F_OK), 0);
}

TEST_F(StateDirTest, RecordPidFileAndLinks) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok());
  StateRecord record;
  record.id = "c1";
  record.pid = 42;
  ASSERT_TRUE(dir->WriteRecord(record).ok());
  absl::StatusOr<StateRecord> back = dir->ReadRecord();
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->pid, 42);
  ASSERT_TRUE(dir->WritePidFile(42).ok());
  // Bare digits: containerd parses the pid file with strconv.Atoi.
  EXPECT_EQ(ocitest::ReadFile(dir->File(StateDir::kPidFile)).value_or(""),
            "42");
  ASSERT_TRUE(dir->Symlink("/some/rootfs", StateDir::kContainerRootLink).ok());
  char link[256] = {};
  ASSERT_GT(readlink(dir->File(StateDir::kContainerRootLink).c_str(), link,
                     sizeof(link) - 1),
            0);
  EXPECT_STREQ(link, "/some/rootfs");
  EXPECT_FALSE(dir->HasStartSocket());
  absl::StatusOr<base::ScopedFd> sock = ListenStartSocket(*dir);
  ASSERT_TRUE(sock.ok()) << sock.status();
  EXPECT_TRUE(dir->HasStartSocket());
}

TEST_F(StateDirTest, TheTagHoldsTheFirstRecordUntilStateJsonExists) {
  StateRecord first;
  first.id = "c1";
  first.cgroups_path = "/a/b";
  absl::StatusOr<StateDir> dir = Create("c1", first);
  ASSERT_TRUE(dir.ok());
  EXPECT_NE(access(dir->File(StateDir::kRecord).c_str(), F_OK), 0);
  absl::StatusOr<StateRecord> back = dir->ReadRecord();
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->cgroups_path, "/a/b");
  EXPECT_EQ(back->pid, 0);

  StateRecord with_pid = first;
  with_pid.pid = 42;
  ASSERT_TRUE(dir->WriteRecord(with_pid).ok());
  back = dir->ReadRecord();
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->pid, 42);
}

TEST_F(StateDirTest, ABrokenRecordNamesItsFile) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(ocitest::WriteFile(dir->File(StateDir::kTag), "run_oci\n").ok());
  absl::Status status = dir->ReadRecord().status();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(dir->File(StateDir::kTag)));
}

TEST_F(StateDirTest, RecordsThatAreNotRegularFilesAreRefused) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok());
  const std::string record = dir->File(StateDir::kRecord);
  ASSERT_EQ(symlink("/dev/zero", record.c_str()), 0);
  EXPECT_EQ(dir->ReadRecord().status().message(),
            record + ": a symbolic link, not a regular file");
  ASSERT_EQ(unlink(record.c_str()), 0);
  ASSERT_EQ(mkfifo(record.c_str(), 0600), 0);
  EXPECT_EQ(dir->ReadRecord().status().message(),
            record + ": not a regular file (a FIFO)");
  ASSERT_EQ(unlink(record.c_str()), 0);
  ASSERT_TRUE(
      ocitest::WriteFile(record, std::string(kMaxStateRecordBytes + 1, ' '))
          .ok());
  EXPECT_EQ(dir->ReadRecord().status().message(),
            absl::StrCat(record, ": larger than ", kMaxStateRecordBytes,
                         " bytes (", kMaxStateRecordBytes + 1, ")"));
}

TEST_F(StateDirTest, TheTagIsTheLock) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok());
  // Another process waits while the creator holds the lock.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<base::ScopedFd> lock = dir->Lock();
    _exit(lock.ok() && dir->StillExists(*lock) ? 0 : 1);
  }
  usleep(50 * 1000);
  int status = 0;
  EXPECT_EQ(waitpid(child, &status, WNOHANG), 0) << "did not wait";
  lock_.reset();
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(StateDirTest, StillExistsIsFalseForARecreatedId) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok());
  lock_.reset();
  absl::StatusOr<base::ScopedFd> lock = dir->Lock();
  ASSERT_TRUE(lock.ok()) << lock.status();
  EXPECT_TRUE(dir->StillExists(*lock));
  // A destroy removes the directory; a create of the same id makes a new
  // one: the lock we hold is on neither.
  ASSERT_TRUE(dir->Remove().ok());
  EXPECT_FALSE(dir->StillExists(*lock));
  ASSERT_TRUE(Create("c1").ok());
  EXPECT_FALSE(dir->StillExists(*lock));
}

TEST_F(StateDirTest, RemoveLeavesNothingAndToleratesAGoneDirectory) {
  absl::StatusOr<StateDir> dir = Create("c1");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(dir->Symlink("/x", StateDir::kContainerRootLink).ok());
  ASSERT_TRUE(dir->Remove().ok());
  EXPECT_THAT(RootEntries(), IsEmpty());
  EXPECT_TRUE(dir->Remove().ok());
}

TEST_F(StateDirTest, OnlyDeadCreatorsTemporariesAreRemoved) {
  ASSERT_TRUE(Create("other").ok());  // makes the root
  const std::string prefix = root_ + "/" + StateDir::TemporaryPrefix("c1");
  absl::StatusOr<ProcStat> self = ReadProcStat(getpid());
  ASSERT_TRUE(self.ok());
  // A creator that is gone, one whose pid now names another process (us,
  // with a different start time), one alive (us), one gone whose tag is
  // still locked (a creator in another pid namespace), and another id's.
  const std::string gone = prefix + "2147483646.5";
  const std::string recycled =
      absl::StrCat(prefix, getpid(), ".", self->start_time + 1);
  const std::string alive =
      absl::StrCat(prefix, getpid(), ".", self->start_time);
  const std::string locked = prefix + "2147483645.5";
  const std::string other_id =
      root_ + "/" + StateDir::TemporaryPrefix("c2") + "2147483646.5";
  for (const std::string& dir : {gone, recycled, alive, locked, other_id}) {
    ASSERT_EQ(mkdir(dir.c_str(), 0711), 0) << dir;
  }
  ASSERT_TRUE(ocitest::WriteFile(gone + "/" + StateDir::kTag, "{}").ok());
  ASSERT_TRUE(ocitest::WriteFile(locked + "/" + StateDir::kTag, "{}").ok());
  // The lock of another process (a probe by its holder sees no conflict).
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t holder = fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    int fd = open((locked + "/" + StateDir::kTag).c_str(), O_RDWR);
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (fd < 0 || fcntl(fd, F_SETLK, &lock) != 0) _exit(1);
    (void)!write(ready[1], "x", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);

  absl::StatusOr<int> removed = StateDir::RemoveDeadTemporaries(root_, "c1");
  kill(holder, SIGKILL);
  waitpid(holder, nullptr, 0);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  EXPECT_NE(access(gone.c_str(), F_OK), 0);
  EXPECT_NE(access(recycled.c_str(), F_OK), 0);
  EXPECT_EQ(access(alive.c_str(), F_OK), 0);
  EXPECT_EQ(access(locked.c_str(), F_OK), 0);
  EXPECT_EQ(access(other_id.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace run_oci
