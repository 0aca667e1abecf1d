#include "run_oci/process_table.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/proc_stat.h"
#include "run_oci/state_dir.h"

namespace run_oci {
namespace {

// The effective uid: the second number of status(5)'s "Uid:" line.
absl::StatusOr<uid_t> ParseEffectiveUid(absl::string_view status,
                                        const std::string& path) {
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (!absl::ConsumePrefix(&line, "Uid:")) continue;
    std::vector<absl::string_view> ids =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    uid_t uid = 0;
    if (ids.size() >= 2 && absl::SimpleAtoi(ids[1], &uid)) return uid;
  }
  return absl::InternalError(absl::StrCat(path, ": no Uid line"));
}

std::string CommandLineText(std::string cmdline, const std::string& comm) {
  std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
  absl::StripTrailingAsciiWhitespace(&cmdline);
  // Kernel threads and zombies have none; ps shows the name in brackets.
  return cmdline.empty() ? absl::StrCat("[", comm, "]") : cmdline;
}

// ps's TIME: [DD-]HH:MM:SS.
std::string CpuTime(uint64_t ticks, int64_t ticks_per_second) {
  uint64_t seconds = ticks / static_cast<uint64_t>(ticks_per_second);
  uint64_t days = seconds / 86400;
  std::string hms = absl::StrFormat("%02d:%02d:%02d", seconds / 3600 % 24,
                                    seconds / 60 % 60, seconds % 60);
  return days > 0 ? absl::StrCat(days, "-", hms) : hms;
}

// ps's STIME: the time of day within the last 24 hours, else the month and
// day within the year, else the year.
std::string StartTime(absl::Time start, const ProcessClock& clock) {
  const char* format = "%Y";
  if (clock.now - start < absl::Hours(24)) {
    format = "%H:%M";
  } else if (absl::FormatTime("%Y", start, clock.zone) ==
             absl::FormatTime("%Y", clock.now, clock.zone)) {
    format = "%b%d";
  }
  return absl::FormatTime(format, start, clock.zone);
}

}  // namespace

absl::StatusOr<ProcessRow> ReadProcessRow(pid_t pid) {
  ASSIGN_OR_RETURN(ProcStat stat, ReadProcStat(pid));
  ProcessRow row;
  row.pid = pid;
  row.ppid = stat.ppid;
  row.tty_nr = stat.tty_nr;
  row.cpu_ticks = stat.utime + stat.stime;
  row.start_ticks = stat.start_time;
  std::string status_path = absl::StrCat("/proc/", pid, "/status");
  ASSIGN_OR_RETURN(std::string status, base::ReadWholeFile(status_path));
  ASSIGN_OR_RETURN(row.uid, ParseEffectiveUid(status, status_path));
  ASSIGN_OR_RETURN(std::string cmdline, base::ReadWholeFile(absl::StrCat(
                                            "/proc/", pid, "/cmdline")));
  row.command = CommandLineText(std::move(cmdline), stat.comm);
  return row;
}

absl::StatusOr<ProcessClock> ReadProcessClock() {
  ProcessClock clock;
  clock.ticks_per_second = sysconf(_SC_CLK_TCK);
  if (clock.ticks_per_second <= 0) clock.ticks_per_second = 100;
  clock.now = absl::Now();
  clock.zone = absl::LocalTimeZone();
  ASSIGN_OR_RETURN(std::string uptime, base::ReadWholeFile("/proc/uptime"));
  double seconds = 0;
  if (!absl::SimpleAtod(uptime.substr(0, uptime.find(' ')), &seconds)) {
    return absl::InternalError("/proc/uptime: malformed");
  }
  clock.uptime = absl::Seconds(seconds);
  return clock;
}

std::string TtyName(int64_t tty_nr) {
  // new_encode_dev(): minor in bits 0-7 and 20-31, major in bits 8-19.
  uint64_t dev = static_cast<uint64_t>(tty_nr);
  uint64_t major = (dev >> 8) & 0xfff;
  uint64_t minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) {  // Unix98 pseudo-terminal slaves
    return absl::StrCat("pts/", (major - 136) * 256 + minor);
  }
  if (major == 4 && minor < 64) return absl::StrCat("tty", minor);
  if (major == 4) return absl::StrCat("ttyS", minor - 64);
  return "?";
}

std::string FormatProcessTable(
    const std::vector<ProcessRow>& rows, const ProcessClock& clock,
    const std::function<std::string(uid_t)>& user_name) {
  std::string out =
      absl::StrFormat("%-8s %7s %7s %2s %5s %-8s %8s %s\n", "UID", "PID",
                      "PPID", "C", "STIME", "TTY", "TIME", "CMD");
  const double ticks = static_cast<double>(clock.ticks_per_second);
  const absl::Time boot = clock.now - clock.uptime;
  for (const ProcessRow& row : rows) {
    absl::Time start =
        boot + absl::Seconds(static_cast<double>(row.start_ticks) / ticks);
    double alive = absl::ToDoubleSeconds(clock.now - start) * ticks;
    // ps's C: integer percent of one CPU over the process's life, at most
    // 99.
    int cpu = alive > 0
                  ? static_cast<int>(std::min(
                        99.0, static_cast<double>(row.cpu_ticks) * 100 / alive))
                  : 0;
    absl::StrAppend(
        &out, absl::StrFormat("%-8s %7d %7d %2d %5s %-8s %8s %s\n",
                              user_name(row.uid), row.pid, row.ppid, cpu,
                              StartTime(start, clock), TtyName(row.tty_nr),
                              CpuTime(row.cpu_ticks, clock.ticks_per_second),
                              row.command));
  }
  return out;
}

}  // namespace run_oci
