#include "run_oci/proc_stat.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/scoped_fd.h"

namespace run_oci {

absl::StatusOr<ProcStat> ParseProcStat(absl::string_view text) {
  size_t close = text.rfind(')');
  if (close == absl::string_view::npos) {
    return absl::InvalidArgumentError("/proc/<pid>/stat: no ')' after comm");
  }
  // After "comm) " come fields 3, 4, ...: field N is at index N - 3.
  std::vector<absl::string_view> fields =
      absl::StrSplit(text.substr(close + 1), ' ', absl::SkipEmpty());
  ProcStat stat;
  if (fields.size() < 20 || fields[0].size() != 1 ||
      !absl::SimpleAtoi(fields[1], &stat.ppid) ||
      !absl::SimpleAtoi(fields[4], &stat.tty_nr) ||
      !absl::SimpleAtoi(fields[11], &stat.utime) ||
      !absl::SimpleAtoi(fields[12], &stat.stime) ||
      !absl::SimpleAtoi(fields[19], &stat.start_time)) {
    return absl::InvalidArgumentError("/proc/<pid>/stat: malformed");
  }
  stat.state = fields[0][0];
  if (size_t open = text.find('(');
      open != absl::string_view::npos && open < close) {
    stat.comm = std::string(text.substr(open + 1, close - open - 1));
  }
  return stat;
}

absl::StatusOr<ProcStat> ReadProcStat(pid_t pid) {
  std::string path = absl::StrCat("/proc/", pid, "/stat");
  base::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    std::string message = absl::StrCat("open ", path, ": ", strerror(errno));
    if (errno == ENOENT || errno == ESRCH) return absl::NotFoundError(message);
    return absl::InternalError(message);
  }
  char buffer[1024];
  ssize_t n = read(fd.get(), buffer, sizeof(buffer));
  if (n < 0) {
    std::string message = absl::StrCat("read ", path, ": ", strerror(errno));
    if (errno == ESRCH) return absl::NotFoundError(message);
    return absl::InternalError(message);
  }
  return ParseProcStat(absl::string_view(buffer, static_cast<size_t>(n)));
}

bool IsSameProcessAlive(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  absl::StatusOr<ProcStat> stat = ReadProcStat(pid);
  return stat.ok() && stat->state != 'Z' && stat->state != 'X' &&
         stat->state != 'x' && stat->start_time == start_time;
}

}  // namespace run_oci
