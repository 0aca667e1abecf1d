#include "run_oci/notify_socket.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/phase_timer.h"

namespace run_oci {
namespace {

absl::StatusOr<std::pair<sockaddr_un, socklen_t>> UnixAddress(
    const std::string& path) {
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("notify socket ", path, ": path too long"));
  }
  memcpy(addr.sun_path, path.data(), path.size());
  // sd_notify(3): a leading '@' names an abstract socket.
  if (path[0] == '@') addr.sun_path[0] = '\0';
  return std::pair{
      addr, static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) +
                                   path.size() + (path[0] == '@' ? 0 : 1))};
}

bool HasReadyLine(absl::string_view datagram) {
  for (absl::string_view line : absl::StrSplit(datagram, '\n')) {
    if (line == "READY=1") return true;
  }
  return false;
}

}  // namespace

std::string HostNotifySocket() {
  const char* value = getenv("NOTIFY_SOCKET");
  return value != nullptr ? value : "";
}

absl::Status NotifyHost(absl::string_view message) {
  const std::string path = HostNotifySocket();
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::pair<sockaddr_un, socklen_t>> addr = UnixAddress(path);
  if (!addr.ok()) return addr.status();
  base::ScopedFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd || sendto(fd.get(), message.data(), message.size(), MSG_NOSIGNAL,
                    reinterpret_cast<const sockaddr*>(&addr->first),
                    addr->second) < 0) {
    return absl::UnavailableError(
        absl::StrCat("NOTIFY_SOCKET ", path, ": sendto: ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status NotifyReady(pid_t main_pid) {
  return NotifyHost(absl::StrCat("READY=1\nMAINPID=", main_pid, "\n"));
}

absl::StatusOr<bool> ContainerNotifies(
    bool flag, const std::map<std::string, std::string>& annotations) {
  auto it = annotations.find(kNotifyAnnotation);
  if (it == annotations.end()) return flag;
  if (it->second == "container") return true;
  if (it->second == "runtime") return flag;
  return absl::InvalidArgumentError(
      absl::StrCat("config.json: annotations.", kNotifyAnnotation, ": \"",
                   it->second, "\": must be \"runtime\" or \"container\""));
}

absl::StatusOr<ContainerNotifySocket> ContainerNotifySocket::Create(
    const std::string& state_dir, libcontainer::Config* config) {
  absl::Status added = AddToConfig(state_dir, config);
  if (!added.ok()) return added;
  return Bind(state_dir);
}

absl::Status ContainerNotifySocket::AddToConfig(const std::string& state_dir,
                                                libcontainer::Config* config) {
  const std::string dir = state_dir + "/notify";
  // 0755 whatever the umask: the container's root may be an unprivileged
  // host uid and must reach the socket.
  if (mkdir(dir.c_str(), 0755) != 0 || chmod(dir.c_str(), 0755) != 0) {
    return absl::InternalError(
        absl::StrCat("mkdir ", dir, ": ", strerror(errno)));
  }
  libcontainer::Mount mount;
  mount.source = dir;
  mount.destination = kContainerNotifyDir;
  mount.type = "bind";
  mount.flags = MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC;
  config->mounts.push_back(std::move(mount));
  config->env.push_back(absl::StrCat("NOTIFY_SOCKET=", kContainerNotifySocket));
  return absl::OkStatus();
}

absl::StatusOr<ContainerNotifySocket> ContainerNotifySocket::Bind(
    const std::string& state_dir) {
  const std::string path = state_dir + "/notify/notify.sock";
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    // Only ever a socket of ours; anything else was put there by someone
    // else and is not ours to remove.
    if (!S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat("notify socket ", path, ": exists and is not a socket"));
    }
    if (unlink(path.c_str()) != 0) {
      return absl::InternalError(
          absl::StrCat("unlink ", path, ": ", strerror(errno)));
    }
  } else if (errno != ENOENT) {
    return absl::InternalError(
        absl::StrCat("lstat ", path, ": ", strerror(errno)));
  }
  absl::StatusOr<std::pair<sockaddr_un, socklen_t>> addr = UnixAddress(path);
  if (!addr.ok()) return addr.status();
  base::ScopedFd fd(
      socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd || bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr->first),
                  addr->second) != 0) {
    return absl::InternalError(
        absl::StrCat("bind ", path, ": ", strerror(errno)));
  }
  // A user namespace's root is an unprivileged host uid; connecting needs
  // write permission on the socket.
  if (chmod(path.c_str(), 0777) != 0) {
    return absl::InternalError(
        absl::StrCat("chmod ", path, ": ", strerror(errno)));
  }
  return ContainerNotifySocket(std::move(fd));
}

bool ContainerNotifySocket::WasAddedAtCreate(const std::string& state_dir) {
  struct stat st;
  const std::string dir = state_dir + "/notify";
  return lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

absl::Status ContainerNotifySocket::WaitForReady(const std::string& id,
                                                 int pidfd,
                                                 absl::Duration timeout) const {
  const int64_t deadline_ns =
      shim::MonotonicNs() + absl::ToInt64Nanoseconds(timeout);
  char buffer[4096];
  for (;;) {
    ssize_t n;
    while ((n = recv(fd_.get(), buffer, sizeof(buffer), 0)) >= 0) {
      if (HasReadyLine(absl::string_view(buffer, n))) return absl::OkStatus();
    }
    const int64_t left_ns = deadline_ns - shim::MonotonicNs();
    if (left_ns <= 0) {
      return absl::DeadlineExceededError(absl::StrCat(
          "container ", id, ": no READY=1 on ", kContainerNotifySocket,
          " within ", absl::FormatDuration(timeout), " (--ready_timeout)"));
    }
    struct pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {pidfd, POLLIN, 0}};
    int ready = poll(fds, 2, static_cast<int>((left_ns + 999999) / 1000000));
    if (ready < 0 && errno != EINTR) {
      return absl::InternalError(absl::StrCat("poll: ", strerror(errno)));
    }
    if (ready > 0 && (fds[1].revents & POLLIN) != 0 &&
        (fds[0].revents & POLLIN) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("container ", id, ": exited before it sent READY=1"));
    }
  }
}

}  // namespace run_oci
