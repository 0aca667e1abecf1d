#include "run_oci/state_dir.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ocitest::TempDir> temp =
        ocitest::TempDir::Create("statedir");
    ASSERT_TRUE(temp.ok());
    temp_ = std::make_unique<ocitest::TempDir>(*std::move(temp));
    root_ = temp_->Sub("a/b/root");  // made on demand, parents included
  }
  std::unique_ptr<ocitest::TempDir> temp_;
  std::string root_;
};

TEST_F(StateDirTest, CreateIsExclusive) {
  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(dir->path(), root_ + "/c1");
  absl::StatusOr<StateDir> again = StateDir::Create(root_, "c1");
  EXPECT_TRUE(absl::IsAlreadyExists(again.status()));
  EXPECT_EQ(again.status().message(),
            "container with given ID already exists: c1");
}

TEST_F(StateDirTest, OpenNeedsTheTag) {
  absl::StatusOr<StateDir> missing = StateDir::Open(root_, "c1");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(missing.status().message(), "container c1 does not exist");

  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(StateDir::Open(root_, "c1").status()));
  absl::StatusOr<shim::ScopedFd> lock = dir->CreateLockedTag(StateRecord{});
  ASSERT_TRUE(lock.ok()) << lock.status();
  // The pending tag does not count yet.
  EXPECT_TRUE(absl::IsFailedPrecondition(StateDir::Open(root_, "c1").status()));
  ASSERT_TRUE(dir->WriteTag().ok());
  EXPECT_TRUE(StateDir::Open(root_, "c1").ok());
}

TEST_F(StateDirTest, RecordPidFileAndLinks) {
  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok());
  StateRecord record;
  record.id = "c1";
  record.pid = 42;
  ASSERT_TRUE(dir->WriteRecord(record).ok());
  absl::StatusOr<StateRecord> back = dir->ReadRecord();
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->pid, 42);
  ASSERT_TRUE(dir->WritePidFile(42).ok());
  EXPECT_EQ(ocitest::ReadFile(dir->File(StateDir::kPidFile)).value_or(""),
            "42\n");
  ASSERT_TRUE(dir->Symlink("/some/rootfs", StateDir::kContainerRootLink).ok());
  char link[256] = {};
  ASSERT_GT(readlink(dir->File(StateDir::kContainerRootLink).c_str(), link,
                     sizeof(link) - 1),
            0);
  EXPECT_STREQ(link, "/some/rootfs");
  EXPECT_FALSE(dir->HasExecFifo());
  ASSERT_EQ(mkfifo(dir->File(StateDir::kExecFifo).c_str(), 0600), 0);
  EXPECT_TRUE(dir->HasExecFifo());
}

TEST_F(StateDirTest, TheTagHoldsTheFirstRecordUntilStateJsonExists) {
  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok());
  StateRecord first;
  first.id = "c1";
  first.cgroups_path = "/a/b";
  ASSERT_TRUE(dir->CreateLockedTag(first).ok());
  ASSERT_TRUE(dir->WriteTag().ok());
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
  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(absl::IsNotFound(dir->ReadRecord().status()));
  ASSERT_TRUE(ocitest::WriteFile(dir->File(StateDir::kTag), "run_oci\n").ok());
  absl::Status status = dir->ReadRecord().status();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr(dir->File(StateDir::kTag)));
}

TEST_F(StateDirTest, TheTagIsTheLock) {
  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok());
  // No tag, no container to lock.
  EXPECT_TRUE(absl::IsNotFound(dir->Lock().status()));
  absl::StatusOr<shim::ScopedFd> creating = dir->CreateLockedTag(StateRecord{});
  ASSERT_TRUE(creating.ok()) << creating.status();
  ASSERT_TRUE(dir->WriteTag().ok());

  // Another process waits while the creator holds the lock.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<shim::ScopedFd> lock = dir->Lock();
    _exit(lock.ok() && dir->StillExists(*lock) ? 0 : 1);
  }
  usleep(50 * 1000);
  int status = 0;
  EXPECT_EQ(waitpid(child, &status, WNOHANG), 0) << "did not wait";
  creating->reset();
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(StateDirTest, StillExistsIsFalseForARecreatedId) {
  absl::StatusOr<StateDir> dir = StateDir::Create(root_, "c1");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(dir->CreateLockedTag(StateRecord{}).ok());
  ASSERT_TRUE(dir->WriteTag().ok());
  absl::StatusOr<shim::ScopedFd> lock = dir->Lock();
  ASSERT_TRUE(lock.ok()) << lock.status();
  EXPECT_TRUE(dir->StillExists(*lock));
  // A destroy removes the tag (and the directory); a create of the same id
  // makes a new one: the lock we hold is on neither.
  ASSERT_EQ(unlink(dir->File(StateDir::kTag).c_str()), 0);
  EXPECT_FALSE(dir->StillExists(*lock));
  ASSERT_TRUE(dir->CreateLockedTag(StateRecord{}).ok());
  ASSERT_TRUE(dir->WriteTag().ok());
  EXPECT_FALSE(dir->StillExists(*lock));
}

}  // namespace
}  // namespace run_oci
