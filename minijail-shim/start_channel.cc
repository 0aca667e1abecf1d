#include "minijail-shim/start_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

constexpr char kGo = 'g';

absl::StatusOr<struct sockaddr_un> AddressIn(int dir_fd,
                                             absl::string_view name) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  const std::string path = absl::StrCat("/proc/self/fd/", dir_fd, "/", name);
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("start socket ", name, ": name too long"));
  }
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

absl::Status SocketError(absl::string_view name, absl::string_view call) {
  const std::string text =
      absl::StrCat("start socket ", name, ": ", call, ": ", strerror(errno));
  // No socket, nobody listening, or a listener that closed with our
  // connection still queued: the waiting process is gone.
  return errno == ENOENT || errno == ECONNREFUSED || errno == ECONNRESET
             ? absl::FailedPreconditionError(text)
             : absl::InternalError(text);
}

}  // namespace

absl::StatusOr<base::ScopedFd> ListenForStart(int dir_fd,
                                              absl::string_view name) {
  ASSIGN_OR_RETURN(struct sockaddr_un addr, AddressIn(dir_fd, name));
  base::ScopedFd fd(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!fd) return SocketError(name, "socket");
  if (bind(fd.get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) !=
      0) {
    return SocketError(name, "bind");
  }
  if (listen(fd.get(), 1) != 0) return SocketError(name, "listen");
  return fd;
}

absl::Status ReleaseWaitingChild(int dir_fd, absl::string_view name,
                                 absl::string_view program) {
  ASSIGN_OR_RETURN(struct sockaddr_un addr, AddressIn(dir_fd, name));
  base::ScopedFd fd(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!fd) return SocketError(name, "socket");
  // Nobody listening any more: the waiting process is gone.
  if (connect(fd.get(), reinterpret_cast<struct sockaddr*>(&addr),
              sizeof(addr)) != 0) {
    return SocketError(name, "connect");
  }
  if (send(fd.get(), &kGo, 1, MSG_NOSIGNAL) != 1) {
    return SocketError(name, "send");
  }
  struct {
    ChildMsg msg;
    char text[4096];
  } buf = {};
  ssize_t n;
  do {
    n = recv(fd.get(), &buf, sizeof(buf) - 1, 0);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return absl::OkStatus();  // execve closed it
  if (n < 0) {
    // The process died before accepting (the kernel resets the pending
    // connection then): not started.
    return SocketError(name, "recv");
  }
  if (n < static_cast<ssize_t>(sizeof(ChildMsg)) ||
      buf.msg.kind != MsgKind::kFailure) {
    return absl::InternalError(absl::StrCat(
        "start socket ", name, ": unexpected message of ", n, " bytes"));
  }
  if (buf.msg.step == Step::kStartHooks) {
    const std::string hook_name(buf.text, n - sizeof(ChildMsg));
    return HookFailureToStatus(buf.msg, hook_name);
  }
  JailSpec words;  // FailureToStatus names the program of a kExec failure
  words.argv.emplace_back(program);
  return FailureToStatus(buf.msg, words);
}

void ChildAwaitStart(const ChildPlan& plan) {
  const int listen_fd = plan.spec->start_fd;
  for (;;) {
    const int conn = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      ChildFail(plan.sync_fd, Step::kStartFd, -1, Op::kAccept, errno);
    }
    char byte = 0;
    ssize_t n;
    do {
      n = recv(conn, &byte, 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n != 1 || byte != kGo) {
      close(conn);  // not a start (or one that died): wait for the next
      continue;
    }
    // The creating runtime, the sync socket's reader, is gone; `start`
    // reads our failures now. Same number, so every later ChildFail lands
    // there.
    if (dup3(conn, plan.sync_fd, O_CLOEXEC) < 0) {
      ChildFail(conn, Step::kStartFd, -1, Op::kDup, errno);
    }
    close(conn);
    // Further starts are refused by the kernel instead of queued.
    close(listen_fd);
    return;
  }
}

}  // namespace shim
