#include "run_oci/logging.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "minijail-shim/scoped_fd.h"

namespace run_oci {
namespace {

struct LogState {
  std::string tag = "run_oci";
  bool echo_to_stderr = false;
  shim::ScopedFd file;
};

LogState& State() {
  static auto* state = new LogState;
  return *state;
}

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "";
}

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return LOG_INFO;
    case LogLevel::kWarning:
      return LOG_WARNING;
    case LogLevel::kError:
      return LOG_ERR;
  }
  return LOG_INFO;
}

}  // namespace

void InitLogging(const std::string& tag) {
  LogState& state = State();
  if (!tag.empty()) state.tag = tag;
  // openlog keeps the pointer: the string lives in the never-freed state.
  openlog(state.tag.c_str(), LOG_PID, LOG_USER);
  state.echo_to_stderr = isatty(STDERR_FILENO);
}

absl::StatusOr<std::string> LogToNewFile(const std::string& dir,
                                         const std::string& id) {
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return absl::InternalError(
        absl::StrCat("mkdir ", dir, ": ", strerror(errno)));
  }
  std::string path = absl::StrCat(
      dir, "/", id, ".",
      absl::FormatTime("%Y%m%d-%H%M%E6S", absl::Now(), absl::UTCTimeZone()));
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("open ", path, ": ", strerror(errno)));
  }
  State().file.reset(fd);
  return path;
}

absl::Status LogToExistingFile(const std::string& path) {
  // O_NONBLOCK and regular files only: a FIFO or device put in the log's
  // place must not hang state/kill/destroy.
  shim::ScopedFd fd(open(
      path.c_str(), O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  struct stat st;
  if (!fd || fstat(fd.get(), &st) != 0) {
    return absl::InternalError(
        absl::StrCat("open ", path, ": ", strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a regular file"));
  }
  State().file = std::move(fd);
  return absl::OkStatus();
}

int LogFileFd() { return State().file.get(); }

void LogQuietly(LogLevel level, absl::string_view message) {
  LogState& state = State();
  if (state.file) {
    std::string line =
        absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                      absl::UTCTimeZone()),
                     " ", state.tag, "[", getpid(), "] ", LevelName(level),
                     ": ", message, "\n");
    // One write per line with O_APPEND keeps concurrent writers' lines whole.
    (void)!write(state.file.get(), line.data(), line.size());
  } else {
    syslog(SyslogPriority(level), "%.*s", static_cast<int>(message.size()),
           message.data());
  }
}

void Log(LogLevel level, absl::string_view message) {
  LogQuietly(level, message);
  LogState& state = State();
  if (state.echo_to_stderr) {
    std::string line =
        absl::StrCat(state.tag, ": ", LevelName(level), ": ", message, "\n");
    (void)!write(STDERR_FILENO, line.data(), line.size());
  }
}

}  // namespace run_oci
