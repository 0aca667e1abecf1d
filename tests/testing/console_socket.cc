#include "tests/testing/console_socket.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ocitest {

absl::StatusOr<base::ScopedFd> ListenConsoleSocket(const std::string& path) {
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": path too long"));
  }
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  base::ScopedFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd ||
      bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd.get(), 4) != 0) {
    return absl::InternalError(
        absl::StrCat("console socket ", path, ": ", strerror(errno)));
  }
  return fd;
}

base::ScopedFd ReceiveConsoleMaster(int listener, int timeout_ms,
                                    std::string* name) {
  struct pollfd pfd = {listener, POLLIN, 0};
  if (poll(&pfd, 1, timeout_ms) != 1) return base::ScopedFd();
  base::ScopedFd conn(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return base::ScopedFd();
  char buffer[64] = {};
  struct iovec iov = {buffer, sizeof(buffer) - 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  const ssize_t n = recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC);
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (n <= 0 || cmsg == nullptr || cmsg->cmsg_type != SCM_RIGHTS) {
    return base::ScopedFd();
  }
  if (name != nullptr) *name = std::string(buffer, static_cast<size_t>(n));
  int fd = -1;
  memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
  return base::ScopedFd(fd);
}

std::string ReadUntilHangup(int master, int timeout_ms) {
  std::string out;
  char buffer[256];
  for (;;) {
    struct pollfd pfd = {master, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) != 1) break;
    const ssize_t n = read(master, buffer, sizeof(buffer));
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace ocitest
