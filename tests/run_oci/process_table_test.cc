// ps's table, the user names it and list show, and the cgroup.procs reader
// behind ps and kill --all.
#include "run_oci/process_table.h"

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "run_oci/container_cgroups.h"
#include "run_oci/user_names.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;

TEST(TtyNameTest, PseudoTerminalsConsolesAndNone) {
  EXPECT_EQ(TtyName(0), "?");
  EXPECT_EQ(TtyName((136 << 8) | 3), "pts/3");
  EXPECT_EQ(TtyName((137 << 8) | 4), "pts/260");
  // Minors above 255 live in bits 20-31.
  EXPECT_EQ(TtyName((136 << 8) | (0x100 << 12)), "pts/256");
  EXPECT_EQ(TtyName((4 << 8) | 1), "tty1");
  EXPECT_EQ(TtyName((4 << 8) | 64), "ttyS0");
  EXPECT_EQ(TtyName((5 << 8) | 1), "?");
}

TEST(ProcessTableTest, ColumnsOfPsEf) {
  ProcessClock clock;
  clock.ticks_per_second = 100;
  clock.zone = absl::UTCTimeZone();
  clock.now =
      absl::FromCivil(absl::CivilSecond(2026, 12, 2, 12, 0, 0), clock.zone);
  clock.uptime = absl::Hours(48);
  ProcessRow shell;
  shell.uid = 0;
  shell.pid = 4242;
  shell.ppid = 4200;
  shell.tty_nr = (136 << 8) | 1;
  shell.cpu_ticks = 100 * 3725;  // 1 h 2 min 5 s
  // Started 2 h ago: boot + 46 h.
  shell.start_ticks = 100ull * 46 * 3600;
  shell.command = "sh -c sleep 1000";
  ProcessRow old = shell;
  old.uid = 1000;
  old.pid = 7;
  old.tty_nr = 0;
  old.cpu_ticks = 0;
  old.start_ticks = 0;  // at boot, 2 days ago
  old.command = "[kthreadd]";
  std::string table = FormatProcessTable({shell, old}, clock, [](uid_t uid) {
    return uid == 0 ? std::string("root") : "1000";
  });
  std::vector<std::string> lines =
      absl::StrSplit(table, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << table;
  EXPECT_EQ(lines[0],
            "UID          PID    PPID  C STIME TTY          TIME CMD");
  // 3725 s of CPU over 7200 s alive: 51 %.
  EXPECT_EQ(lines[1],
            "root        4242    4200 51 10:00 pts/1    01:02:05 "
            "sh -c sleep 1000");
  EXPECT_EQ(lines[2],
            "1000           7    4200  0 Nov30 ?        00:00:00 [kthreadd]");
}

TEST(UserNamesTest, FromPasswdLines) {
  const char kPasswd[] =
      "root:x:0:0:root:/root:/bin/bash\n"
      "broken line\n"
      "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
      ":x:5:5::/:/bin/false\n";
  EXPECT_EQ(UserNameFromPasswd(kPasswd, 0), "root");
  EXPECT_EQ(UserNameFromPasswd(kPasswd, 1), "daemon");
  EXPECT_EQ(UserNameFromPasswd(kPasswd, 5), std::nullopt);
  EXPECT_EQ(UserNameFromPasswd(kPasswd, 65534), std::nullopt);
  EXPECT_EQ(HostUserName(0), "root");
}

TEST(CgroupProcsTest, Parse) {
  EXPECT_THAT(*ParseCgroupProcs("12\n7\n", "p"), ElementsAre(12, 7));
  EXPECT_THAT(*ParseCgroupProcs("", "p"), ElementsAre());
  EXPECT_EQ(ParseCgroupProcs("12\nx\n", "/c/cgroup.procs").status().message(),
            "/c/cgroup.procs: not a pid: \"x\"");
}

}  // namespace
}  // namespace run_oci
