#include "run_oci/proc_stat.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace run_oci {
namespace {

TEST(ProcStatTest, CommWithSpacesAndParens) {
  const char kStat[] =
      "1234 (a) b) (c) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
      "987654 1000 200 18446744073709551615\n";
  absl::StatusOr<ProcStat> stat = ParseProcStat(kStat);
  ASSERT_TRUE(stat.ok()) << stat.status();
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->comm, "a) b) (c");
  EXPECT_EQ(stat->ppid, 1);
  EXPECT_EQ(stat->tty_nr, 0);
  EXPECT_EQ(stat->utime, 1u);
  EXPECT_EQ(stat->stime, 2u);
  EXPECT_EQ(stat->start_time, 987654u);
}

TEST(ProcStatTest, Malformed) {
  EXPECT_FALSE(ParseProcStat("1234 no paren").ok());
  EXPECT_FALSE(ParseProcStat("1 (x) S 1 2").ok());
}

TEST(ProcStatTest, SelfIsAliveAndRecycledPidIsNot) {
  absl::StatusOr<ProcStat> self = ReadProcStat(getpid());
  ASSERT_TRUE(self.ok()) << self.status();
  EXPECT_TRUE(IsSameProcessAlive(getpid(), self->start_time));
  EXPECT_FALSE(IsSameProcessAlive(getpid(), self->start_time + 1));
  EXPECT_FALSE(IsSameProcessAlive(0, 0));
  EXPECT_TRUE(absl::IsNotFound(ReadProcStat(0x3ffffff).status()));
}

}  // namespace
}  // namespace run_oci
