#include "minijail-shim/id_map.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/scoped_fd.h"

namespace shim {
namespace {

absl::Status WriteProcFile(pid_t pid, const char* name,
                           const std::string& data) {
  const std::string path = absl::StrCat("/proc/", pid, "/", name);
  base::ScopedFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) {
    return absl::InternalError(
        absl::StrCat("jail: ", path, ": open: ", strerror(errno)));
  }
  // The kernel takes a map in one write(2) only.
  const ssize_t n = write(fd.get(), data.data(), data.size());
  if (n != static_cast<ssize_t>(data.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("jail: ", path, ": write \"", data,
                     "\": ", n < 0 ? strerror(errno) : "short write"));
  }
  return absl::OkStatus();
}

bool HaveCapSetgid() {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[0].effective & (1u << CAP_SETGID)) != 0;
}

}  // namespace

std::string FormatIdMap(const std::vector<IdMapLine>& lines) {
  std::string out;
  for (const IdMapLine& l : lines) {
    absl::StrAppend(&out, l.inside, " ", l.outside, " ", l.count, "\n");
  }
  return out;
}

absl::Status WriteIdMaps(pid_t pid, const std::vector<IdMapLine>& uid_map,
                         const std::vector<IdMapLine>& gid_map) {
  if (!gid_map.empty()) {
    if (!HaveCapSetgid()) {
      absl::Status s = WriteProcFile(pid, "setgroups", "deny");
      if (!s.ok()) return s;
    }
    absl::Status s = WriteProcFile(pid, "gid_map", FormatIdMap(gid_map));
    if (!s.ok()) return s;
  }
  if (!uid_map.empty()) {
    return WriteProcFile(pid, "uid_map", FormatIdMap(uid_map));
  }
  return absl::OkStatus();
}

absl::StatusOr<base::ScopedFd> MakeIdMapUserNamespace(
    const std::vector<IdMapLine>& uid_map,
    const std::vector<IdMapLine>& gid_map) {
  struct clone_args args;
  memset(&args, 0, sizeof(args));
  int raw_pidfd = -1;
  args.flags = CLONE_NEWUSER | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uintptr_t>(&raw_pidfd);
  args.exit_signal = SIGCHLD;
  const long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid < 0) {
    return absl::InternalError(absl::StrCat(
        "jail: idmapped mount: clone3(CLONE_NEWUSER): ", strerror(errno)));
  }
  if (pid == 0) {
    for (;;) pause();  // only its namespace matters; killed below
  }
  base::ScopedFd pidfd(raw_pidfd);
  absl::Status status = WriteIdMaps(static_cast<pid_t>(pid), uid_map, gid_map);
  base::ScopedFd ns;
  if (status.ok()) {
    const std::string path = absl::StrCat("/proc/", pid, "/ns/user");
    ns.reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns) {
      status = absl::InternalError(absl::StrCat("jail: idmapped mount: open ",
                                                path, ": ", strerror(errno)));
    }
  }
  syscall(SYS_pidfd_send_signal, pidfd.get(), SIGKILL, nullptr, 0);
  siginfo_t info;
  while (waitid(static_cast<idtype_t>(3 /* P_PIDFD */), pidfd.get(), &info,
                WEXITED) != 0 &&
         errno == EINTR) {
  }
  if (!status.ok()) return status;
  return ns;
}

}  // namespace shim
