// One absl::Status from an errno, with the failing step in front:
// "cgroup: mkdir /sys/fs/cgroup/memory/x: Permission denied".
#ifndef MINIJAIL_SHIM_BASE_ERRNO_STATUS_H_
#define MINIJAIL_SHIM_BASE_ERRNO_STATUS_H_

#include <string.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace base {

inline absl::Status ErrnoStatus(int err, absl::string_view what) {
  // absl::ErrnoToStatus picks the code; the message is ours (it would
  // otherwise append strerror a second time).
  return absl::Status(absl::ErrnoToStatus(err, "").code(),
                      absl::StrCat(what, ": ", strerror(err)));
}

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_ERRNO_STATUS_H_
