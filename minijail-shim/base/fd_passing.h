// Passing one fd over a unix socket (SCM_RIGHTS): the shim's child sends
// its console master to --console-socket, run_oci the seccomp listener fd
// to the agent. Async-signal-safe: no allocation, so the child may call it
// after fork.
#ifndef MINIJAIL_SHIM_BASE_FD_PASSING_H_
#define MINIJAIL_SHIM_BASE_FD_PASSING_H_

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

namespace base {

// One sendmsg(2) of `data` with `fd` attached, again after EINTR;
// MSG_NOSIGNAL, so a peer that has gone is an EPIPE, not a SIGPIPE. The
// bytes sent (the fd goes with the first), or -1 with errno set.
inline ssize_t SendWithFd(int sock, const char* data, size_t len, int fd) {
  struct iovec iov = {const_cast<char*>(data), len};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  memset(control, 0, sizeof(control));
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  ssize_t sent;
  do {
    sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_FD_PASSING_H_
