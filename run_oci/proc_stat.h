// What run_oci needs from /proc/<pid>/stat: whether the process is still
// alive (not a zombie) and its start time, which together with the pid
// names one process for good (a recycled pid has another start time), and
// for `ps` its parent, terminal and CPU time.
#ifndef RUN_OCI_PROC_STAT_H_
#define RUN_OCI_PROC_STAT_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace run_oci {

struct ProcStat {
  std::string comm;         // field 2, without the parentheses
  char state = '?';         // field 3: R, S, D, Z, X, ...
  pid_t ppid = 0;           // field 4
  int64_t tty_nr = 0;       // field 7, a device number (%d)
  uint64_t utime = 0;       // field 14, clock ticks
  uint64_t stime = 0;       // field 15, clock ticks
  uint64_t start_time = 0;  // field 22, clock ticks since boot
};

// Parses the text of /proc/<pid>/stat. The command name (field 2) may hold
// spaces and ')', so fields are counted from the last ')'.
absl::StatusOr<ProcStat> ParseProcStat(absl::string_view text);

// NotFound when the process does not exist.
absl::StatusOr<ProcStat> ReadProcStat(pid_t pid);

// True when `pid` exists, is not a zombie (or dead), and started at
// `start_time`.
bool IsSameProcessAlive(pid_t pid, uint64_t start_time);

}  // namespace run_oci

#endif  // RUN_OCI_PROC_STAT_H_
