// run_oci's own log. Syslog by default (tag --log_tag or "run_oci"), echoed
// to stderr when stderr is a terminal (info lines only with --debug); with
// --log_dir, a file <dir>/<id>.<timestamp> instead, which later commands on
// the same id find through the state directory's `log` link and append to.
// With runc's --log FILE, warnings and errors (info lines too with --debug)
// go to FILE in runc's text or JSON format instead of syslog; container
// engines read a failed call's error back from it.
#ifndef RUN_OCI_LOGGING_H_
#define RUN_OCI_LOGGING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace run_oci {

enum class LogLevel { kInfo, kWarning, kError };
// runc's --log-format: logrus's text or JSON formatter.
enum class LogFormat { kText, kJson };

// Opens syslog with `tag` (empty: "run_oci").
void InitLogging(const std::string& tag);

// Creates <dir>/<id>.<timestamp> (dir too, if missing) and logs there from
// now on; returns its path.
absl::StatusOr<std::string> LogToNewFile(const std::string& dir,
                                         const std::string& id);
// The path LogToNewFile made, empty before (a supervisor's later setups
// continue it).
const std::string& NewLogFilePath();
// Appends to an existing log file (through the state dir's link).
absl::Status LogToExistingFile(const std::string& path);
// -1 when logging to syslog.
int LogFileFd();

// "text" or "json"; else "--log-format <name>: must be text or json".
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);
// runc's --log: appends from now on to `path` (created 0644 if missing).
absl::Status LogToRuntimeFile(const std::string& path, LogFormat format);
// Stops writing to the --log file (for tests that parse several lines).
void CloseRuntimeLog();
// --debug: info lines also go to the --log file and a terminal.
void SetDebugLogging(bool debug);
// One line of the --log file, "\n" included, as runc's logrus writes it:
// text: time="2026-12-02T05:13:29Z" level=error msg="..."
// json: {"level":"error","msg":"...","time":"2026-12-02T05:13:29Z"}
std::string FormatRuntimeLogLine(LogFormat format, LogLevel level,
                                 absl::Time time, absl::string_view message);

void Log(LogLevel level, absl::string_view message);
// The same, never echoed to stderr (for messages already printed there).
void LogQuietly(LogLevel level, absl::string_view message);
inline void LogInfo(absl::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(absl::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogError(absl::string_view m) { Log(LogLevel::kError, m); }

}  // namespace run_oci

#endif  // RUN_OCI_LOGGING_H_
