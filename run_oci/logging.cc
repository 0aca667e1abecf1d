#include "run_oci/logging.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "minijail-shim/base/scoped_fd.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace run_oci {
namespace {

struct LogState {
  std::string tag = "run_oci";
  bool echo_to_stderr = false;
  base::ScopedFd file;
  std::string new_file_path;  // LogToNewFile's
  // runc's --log, its format and --debug.
  base::ScopedFd runtime_log;
  LogFormat runtime_format = LogFormat::kText;
  bool debug = false;
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

// logrus's level names.
absl::string_view RuncLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// logrus's text formatter quotes a value unless every byte is one of these.
bool NeedsQuoting(absl::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        absl::string_view("-._/@^+").find(c) == absl::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Go's %q for the bytes logrus quotes: escapes for quotes, backslashes and
// control characters; other bytes (UTF-8 included) as they are.
std::string GoQuote(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (u < 0x20 || u == 0x7f) {
      out.append(absl::StrFormat("\\x%02x", u));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

bool WantsRuntimeLog(const LogState& state, LogLevel level) {
  return state.runtime_log && (level != LogLevel::kInfo || state.debug);
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
  State().new_file_path = path;
  return path;
}

const std::string& NewLogFilePath() { return State().new_file_path; }

absl::Status LogToExistingFile(const std::string& path) {
  // O_NONBLOCK and regular files only: a FIFO or device put in the log's
  // place must not hang state/kill/destroy.
  base::ScopedFd fd(open(
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

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("--log-format ", name, ": must be text or json"));
}

absl::Status LogToRuntimeFile(const std::string& path, LogFormat format) {
  // The caller names the file (containerd: <bundle>/log.json, podman: its
  // oci-log); like runc, any file it can open, /dev/stderr included.
  int fd = open(path.c_str(),
                O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("--log ", path, ": open: ", strerror(errno)));
  }
  LogState& state = State();
  state.runtime_log.reset(fd);
  state.runtime_format = format;
  return absl::OkStatus();
}

void CloseRuntimeLog() { State().runtime_log.reset(); }

void SetDebugLogging(bool debug) { State().debug = debug; }

std::string FormatRuntimeLogLine(LogFormat format, LogLevel level,
                                 absl::Time time, absl::string_view message) {
  // logrus's default timestamp is RFC 3339 to the second, which Go's
  // time.Time (containerd reads the log into one) parses back.
  std::string when =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
  if (format == LogFormat::kText) {
    return absl::StrCat(
        "time=", GoQuote(when), " level=", RuncLevelName(level), " msg=",
        NeedsQuoting(message) ? GoQuote(message) : std::string(message), "\n");
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();  // logrus sorts the keys
  w.Key("level");
  w.String(RuncLevelName(level).data(),
           static_cast<rapidjson::SizeType>(RuncLevelName(level).size()));
  w.Key("msg");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.Key("time");
  w.String(when.data(), static_cast<rapidjson::SizeType>(when.size()));
  w.EndObject();
  return absl::StrCat(buffer.GetString(), "\n");
}

void LogQuietly(LogLevel level, absl::string_view message) {
  LogState& state = State();
  if (WantsRuntimeLog(state, level)) {
    std::string line =
        FormatRuntimeLogLine(state.runtime_format, level, absl::Now(), message);
    (void)!write(state.runtime_log.get(), line.data(), line.size());
  }
  if (state.file) {
    std::string line =
        absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                      absl::UTCTimeZone()),
                     " ", state.tag, "[", getpid(), "] ", LevelName(level),
                     ": ", message, "\n");
    // One write per line with O_APPEND keeps concurrent writers' lines whole.
    (void)!write(state.file.get(), line.data(), line.size());
  } else if (!state.runtime_log) {
    syslog(SyslogPriority(level), "%.*s", static_cast<int>(message.size()),
           message.data());
  }
}

void Log(LogLevel level, absl::string_view message) {
  LogQuietly(level, message);
  LogState& state = State();
  if (state.echo_to_stderr && (level != LogLevel::kInfo || state.debug)) {
    std::string line =
        absl::StrCat(state.tag, ": ", LevelName(level), ": ", message, "\n");
    (void)!write(STDERR_FILENO, line.data(), line.size());
  }
}

}  // namespace run_oci
