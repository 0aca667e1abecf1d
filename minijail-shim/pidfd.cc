#include "minijail-shim/pidfd.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace shim {

absl::StatusOr<base::ScopedFd> PidfdOpen(pid_t pid) {
  // pidfds are close-on-exec by default.
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) {
    const std::string text =
        absl::StrCat("pidfd_open(", pid, "): ", strerror(errno));
    return errno == ESRCH ? absl::NotFoundError(text)
                          : absl::InternalError(text);
  }
  return base::ScopedFd(fd);
}

absl::Status PidfdSendSignal(int pidfd, int signal) {
  if (syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) != 0) {
    const std::string text =
        absl::StrCat("pidfd_send_signal(", signal, "): ", strerror(errno));
    return errno == ESRCH ? absl::NotFoundError(text)
                          : absl::InternalError(text);
  }
  return absl::OkStatus();
}

}  // namespace shim
