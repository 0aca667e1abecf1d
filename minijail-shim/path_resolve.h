// Resolving a container path inside the new root without ever leaving it:
// openat2(RESOLVE_IN_ROOT) treats the root fd as "/" for absolute symlinks
// and "..", so a hostile rootfs (etc -> /etc) cannot redirect a mount onto
// the host. The result is an O_PATH fd; mounts go through its
// /proc/self/fd/N magic link, which names exactly that dentry.
#ifndef MINIJAIL_SHIM_PATH_RESOLVE_H_
#define MINIJAIL_SHIM_PATH_RESOLVE_H_

#include <string>

#include "absl/status/status.h"

namespace shim {

enum class CreateMode {
  kNone,       // must exist
  kDirectory,  // missing components become directories
  kFile,       // missing parents become directories, the last an empty file
};

// Child side, async-signal-safe. Returns an O_PATH|O_CLOEXEC fd, or -errno
// with *failed_op set to the Op (as int) that failed.
int OpenInRoot(int root_fd, const char* path, CreateMode mode, int* failed_op);

// The same, refusing any symlink on the way (RESOLVE_NO_SYMLINKS): for the
// mount points of proc and sysfs (CVE-2025-52881). A symlink fails with
// -ELOOP and *failed_op Op::kCrossesSymlink.
int OpenInRootNoSymlinks(int root_fd, const char* path, CreateMode mode,
                         int* failed_op);

// openat2(dir_fd, path, flags | O_CLOEXEC) with RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS: a relative path below a mount
// the child made and kept an fd to. Returns the fd or -errno (-ELOOP for a
// symlink on the way). Async-signal-safe.
int OpenBeneath(int dir_fd, const char* path, int flags);

// Writes "/proc/self/fd/<fd>" into buf (at least 32 bytes).
void FdPath(int fd, char* buf);

// Parent side: `path` must be absolute and its ".." components must not
// climb above "/". `what` names it in the error.
absl::Status CheckContainerPath(const std::string& path,
                                const std::string& what);

}  // namespace shim

#endif  // MINIJAIL_SHIM_PATH_RESOLVE_H_
