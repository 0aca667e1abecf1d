// run_oci's own log. Syslog by default (tag --log_tag or "run_oci"), echoed
// to stderr when stderr is a terminal; with --log_dir, a file
// <dir>/<id>.<timestamp> instead, which later commands on the same id find
// through the state directory's `log` link and append to.
#ifndef RUN_OCI_LOGGING_H_
#define RUN_OCI_LOGGING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace run_oci {

enum class LogLevel { kInfo, kWarning, kError };

// Opens syslog with `tag` (empty: "run_oci").
void InitLogging(const std::string& tag);

// Creates <dir>/<id>.<timestamp> (dir too, if missing) and logs there from
// now on; returns its path.
absl::StatusOr<std::string> LogToNewFile(const std::string& dir,
                                         const std::string& id);
// Appends to an existing log file (through the state dir's link).
absl::Status LogToExistingFile(const std::string& path);
// -1 when logging to syslog.
int LogFileFd();

void Log(LogLevel level, absl::string_view message);
// The same, never echoed to stderr (for messages already printed there).
void LogQuietly(LogLevel level, absl::string_view message);
inline void LogInfo(absl::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(absl::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogError(absl::string_view m) { Log(LogLevel::kError, m); }

}  // namespace run_oci

#endif  // RUN_OCI_LOGGING_H_
