#include "minijail-shim/netns_socket.h"

#include <errno.h>
#include <sched.h>
#include <sys/socket.h>

#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"

namespace shim {

absl::StatusOr<base::ScopedFd> SocketInNetworkNamespace(int netns_fd,
                                                        int domain, int type,
                                                        int protocol) {
  int fd = -1;
  int err = 0;
  const char* step = "setns";
  std::thread thread([&] {
    // CLONE_NEWNET applies to this thread only; it ends right after.
    if (setns(netns_fd, CLONE_NEWNET) != 0) {
      err = errno;
      return;
    }
    step = "socket";
    fd = socket(domain, type | SOCK_CLOEXEC, protocol);
    if (fd < 0) err = errno;
  });
  thread.join();
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("network namespace: ", step, ": ", strerror(err)));
  }
  return base::ScopedFd(fd);
}

}  // namespace shim
