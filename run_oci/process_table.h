// `ps`'s table: the container's processes in the columns of `ps -ef`
// (UID PID PPID C STIME TTY TIME CMD), from /proc, so that no procps is
// needed on the host and the output does not depend on its version.
#ifndef RUN_OCI_PROCESS_TABLE_H_
#define RUN_OCI_PROCESS_TABLE_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace run_oci {

struct ProcessRow {
  uid_t uid = 0;  // effective, as ps's UID
  pid_t pid = 0;
  pid_t ppid = 0;
  int64_t tty_nr = 0;
  uint64_t cpu_ticks = 0;    // user + system time
  uint64_t start_ticks = 0;  // since boot
  std::string command;       // the command line, or "[comm]" without one
};

// What turns clock ticks since boot into times.
struct ProcessClock {
  int64_t ticks_per_second = 100;
  absl::Time now;
  absl::Duration uptime;
  absl::TimeZone zone;  // STIME's
};

// NotFound when the process is gone.
absl::StatusOr<ProcessRow> ReadProcessRow(pid_t pid);
absl::StatusOr<ProcessClock> ReadProcessClock();

// ps's TTY: "pts/3", "tty1", "ttyS0", or "?".
std::string TtyName(int64_t tty_nr);

// The header and one line per row, `user_name` naming the UID column.
std::string FormatProcessTable(
    const std::vector<ProcessRow>& rows, const ProcessClock& clock,
    const std::function<std::string(uid_t)>& user_name);

}  // namespace run_oci

#endif  // RUN_OCI_PROCESS_TABLE_H_
