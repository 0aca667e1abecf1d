// Host user names for `list`'s OWNER and `ps`'s UID column, read from
// /etc/passwd itself: run_oci is a static binary, which cannot load the
// NSS modules getpwuid(3) would use.
#ifndef RUN_OCI_USER_NAMES_H_
#define RUN_OCI_USER_NAMES_H_

#include <sys/types.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace run_oci {

// The name of the first passwd(5) line with `uid`.
std::optional<std::string> UserNameFromPasswd(absl::string_view passwd,
                                              uid_t uid);
// The same from the host's /etc/passwd.
std::optional<std::string> HostUserName(uid_t uid);

}  // namespace run_oci

#endif  // RUN_OCI_USER_NAMES_H_
