#include "minijail-shim/path_resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/decimal.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

int OpenAt2(int dir_fd, const char* path, int flags, uint64_t resolve) {
  struct open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = static_cast<uint64_t>(flags);
  how.resolve = resolve;
  int fd;
  do {
    fd =
        static_cast<int>(syscall(SYS_openat2, dir_fd, path, &how, sizeof(how)));
    // EAGAIN: a concurrent rename raced the lookup; the kernel asks to retry.
  } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
  return fd < 0 ? -errno : fd;
}

int ResolveExisting(int root_fd, const char* path, uint64_t extra) {
  return OpenAt2(root_fd, path, O_PATH | O_CLOEXEC,
                 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra);
}

int Open(int root_fd, const char* path, CreateMode mode, uint64_t extra,
         int* failed_op);

}  // namespace

void FdPath(int fd, char* buf) {
  static const char kPrefix[] = "/proc/self/fd/";
  memcpy(buf, kPrefix, sizeof(kPrefix) - 1);
  base::WriteDecimal(static_cast<unsigned int>(fd), buf + sizeof(kPrefix) - 1);
}

int OpenInRoot(int root_fd, const char* path, CreateMode mode, int* failed_op) {
  return Open(root_fd, path, mode, 0, failed_op);
}

int OpenInRootNoSymlinks(int root_fd, const char* path, CreateMode mode,
                         int* failed_op) {
  const int fd = Open(root_fd, path, mode, RESOLVE_NO_SYMLINKS, failed_op);
  if (fd == -ELOOP) *failed_op = static_cast<int>(Op::kCrossesSymlink);
  return fd;
}

int OpenBeneath(int dir_fd, const char* path, int flags) {
  return OpenAt2(dir_fd, path, flags | O_CLOEXEC,
                 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

namespace {

int Open(int root_fd, const char* path, CreateMode mode, uint64_t extra,
         int* failed_op) {
  *failed_op = static_cast<int>(Op::kResolve);
  int fd = ResolveExisting(root_fd, path, extra);
  if (fd >= 0 || fd != -ENOENT || mode == CreateMode::kNone) return fd;

  // Walk the prefixes, each resolved from the root again (a component's
  // absolute symlink must be read relative to the container's root, not to
  // the directory it sits in), creating what is missing with *at calls on
  // the already-resolved parent.
  char buf[PATH_MAX];
  const size_t len = strlen(path);
  if (len >= sizeof(buf)) return -ENAMETOOLONG;
  memcpy(buf, path, len + 1);
  int parent = ResolveExisting(root_fd, "/", extra);
  if (parent < 0) return parent;
  size_t pos = 0;
  while (pos < len) {
    while (pos < len && buf[pos] == '/') ++pos;
    if (pos >= len) break;
    size_t end = pos;
    while (end < len && buf[end] != '/') ++end;
    const bool last = [&] {
      size_t p = end;
      while (p < len && buf[p] == '/') ++p;
      return p >= len;
    }();
    const char saved = buf[end];
    buf[end] = '\0';
    int next = ResolveExisting(root_fd, buf, extra);
    if (next == -ENOENT) {
      const char* name = buf + pos;
      if (last && mode == CreateMode::kFile) {
        int f =
            openat(parent, name,
                   O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0) {
          *failed_op = static_cast<int>(Op::kCreateFile);
          next = -errno;
        } else {
          close(f);
          next = ResolveExisting(root_fd, buf, extra);
        }
      } else if (mkdirat(parent, name, 0755) < 0) {
        *failed_op = static_cast<int>(Op::kMkdir);
        next = -errno;
      } else {
        next = ResolveExisting(root_fd, buf, extra);
      }
    }
    buf[end] = saved;
    close(parent);
    if (next < 0) return next;
    parent = next;
    pos = end;
  }
  return parent;
}

}  // namespace

absl::Status CheckContainerPath(const std::string& path,
                                const std::string& what) {
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("jail: ", what, " ", path, ": must be absolute"));
  }
  int depth = 0;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (--depth < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "jail: ", what, " ", path, ": \"..\" leads outside the root"));
      }
    } else {
      ++depth;
    }
  }
  return absl::OkStatus();
}

}  // namespace shim
