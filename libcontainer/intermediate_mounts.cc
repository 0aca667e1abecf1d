#include "libcontainer/intermediate_mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/path_resolve.h"

namespace libcontainer {
namespace {

std::string FdPath(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

absl::StatusOr<base::ScopedFd> Resolve(int root_fd, const std::string& dest,
                                       shim::CreateMode mode) {
  int failed_op = 0;
  int fd = shim::OpenInRoot(root_fd, dest.c_str(), mode, &failed_op);
  if (fd < 0) {
    return base::ErrnoStatus(-fd, absl::StrCat("intermediate mount ", dest,
                                               ": resolve inside the rootfs"));
  }
  return base::ScopedFd(fd);
}

}  // namespace

absl::Status IntermediateMounts::Add(const std::string& rootfs,
                                     const Mount& mount,
                                     const std::string& source) {
  const std::string& dest = mount.destination;
  RETURN_IF_ERROR(shim::CheckContainerPath(dest, "intermediate mount"));
  base::ScopedFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root)
    return base::ErrnoStatus(errno, absl::StrCat("open rootfs ", rootfs));

  const bool bind = (mount.flags & MS_BIND) != 0;
  shim::CreateMode create = shim::CreateMode::kDirectory;
  struct stat st;
  if (bind && stat(source.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    create = shim::CreateMode::kFile;
  }
  ASSIGN_OR_RETURN(base::ScopedFd target, Resolve(root.get(), dest, create));

  // The host path, for unmounting later; read before the mount covers it.
  char real[PATH_MAX];
  ssize_t n = readlink(FdPath(target.get()).c_str(), real, sizeof(real) - 1);
  if (n < 0)
    return base::ErrnoStatus(errno, absl::StrCat("intermediate mount ", dest));
  real[n] = '\0';

  const unsigned long mount_flags =
      bind ? (mount.flags & (MS_BIND | MS_REC)) : mount.flags;
  const char* type = mount.type.empty() || bind ? nullptr : mount.type.c_str();
  const char* data = bind || mount.data.empty() ? nullptr : mount.data.c_str();
  if (::mount(source.c_str(), FdPath(target.get()).c_str(), type, mount_flags,
              data) != 0) {
    return base::ErrnoStatus(
        errno, absl::StrCat("intermediate mount ", source, " on ", dest, " (",
                            real, ")"));
  }
  targets_.push_back(real);

  // Remount and propagation apply to the new mount: resolve again so the fd
  // names the mount's root rather than the directory it covers. From a
  // fresh fd on the rootfs: for "/" (Chromium binds the root onto itself
  // there) the old fd is the covered directory itself.
  root.reset(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root)
    return base::ErrnoStatus(errno, absl::StrCat("open rootfs ", rootfs));
  ASSIGN_OR_RETURN(target, Resolve(root.get(), dest, shim::CreateMode::kNone));
  const unsigned long rest = mount.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  if (bind && rest != 0 &&
      ::mount(nullptr, FdPath(target.get()).c_str(), nullptr,
              MS_REMOUNT | MS_BIND | rest, nullptr) != 0) {
    return base::ErrnoStatus(
        errno, absl::StrCat("intermediate mount ", dest, ": remount"));
  }
  if (mount.propagation != 0 &&
      ::mount(nullptr, FdPath(target.get()).c_str(), nullptr, mount.propagation,
              nullptr) != 0) {
    return base::ErrnoStatus(
        errno, absl::StrCat("intermediate mount ", dest, ": propagation"));
  }
  return absl::OkStatus();
}

absl::Status IntermediateMounts::UnmountAll() {
  absl::Status first;
  while (!targets_.empty()) {
    const std::string& target = targets_.back();
    if (umount2(target.c_str(), MNT_DETACH) != 0 && errno != EINVAL &&
        errno != ENOENT && first.ok()) {
      first = base::ErrnoStatus(errno, absl::StrCat("umount ", target));
    }
    targets_.pop_back();
  }
  return first;
}

}  // namespace libcontainer
