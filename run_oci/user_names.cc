#include "run_oci/user_names.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/small_files.h"
#include "run_oci/state_dir.h"

namespace run_oci {

std::optional<std::string> UserNameFromPasswd(absl::string_view passwd,
                                              uid_t uid) {
  for (absl::string_view line : absl::StrSplit(passwd, '\n')) {
    // name:password:uid:gid:gecos:home:shell
    std::vector<absl::string_view> fields = absl::StrSplit(line, ':');
    uid_t line_uid = 0;
    if (fields.size() >= 3 && !fields[0].empty() &&
        absl::SimpleAtoi(fields[2], &line_uid) && line_uid == uid) {
      return std::string(fields[0]);
    }
  }
  return std::nullopt;
}

std::optional<std::string> HostUserName(uid_t uid) {
  absl::StatusOr<std::string> passwd = base::ReadWholeFile("/etc/passwd");
  if (!passwd.ok()) return std::nullopt;
  return UserNameFromPasswd(*passwd, uid);
}

}  // namespace run_oci
