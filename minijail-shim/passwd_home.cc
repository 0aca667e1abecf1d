#include "minijail-shim/passwd_home.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"

namespace shim {
namespace {

constexpr char kDefaultHome[] = "/";

// An O_PATH fd of <root>/etc/passwd resolved inside the root: no magic
// links, symlinks and ".." kept inside it. O_PATH opens nothing: no FIFO
// blocks and no device driver's open runs.
base::ScopedFd OpenPasswdPath(const std::string& rootfs) {
  const std::string root = rootfs.empty() ? "/" : rootfs;
  base::ScopedFd root_fd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd) return base::ScopedFd();
  struct open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return base::ScopedFd(static_cast<int>(
      syscall(SYS_openat2, root_fd.get(), "etc/passwd", &how, sizeof(how))));
}

// The contents of a regular /etc/passwd of at most kMaxPasswdBytes, or
// nullopt.
std::optional<std::string> ReadPasswd(const std::string& rootfs) {
  base::ScopedFd path_fd = OpenPasswdPath(rootfs);
  if (!path_fd) return std::nullopt;
  struct stat st;
  if (fstat(path_fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size > static_cast<off_t>(kMaxPasswdBytes)) {
    return std::nullopt;
  }
  // Reopening the O_PATH fd reaches the very inode checked above, so a
  // rename in the image cannot swap a FIFO or device in. This must follow
  // the /proc/self/fd magic link (O_NOFOLLOW fails it with ELOOP); what it
  // points at is already fixed. O_NONBLOCK is a second guard should it
  // ever not be a regular file.
  std::string self = absl::StrCat("/proc/self/fd/", path_fd.get());
  base::ScopedFd fd(open(self.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return std::nullopt;
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  // The file may grow after fstat: reading past the limit shows it.
  std::string passwd;
  passwd.reserve(static_cast<size_t>(st.st_size));
  char buf[4096];
  while (passwd.size() <= kMaxPasswdBytes) {
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) return passwd;
    passwd.append(buf, static_cast<size_t>(n));
  }
  return std::nullopt;
}

}  // namespace

std::string HomeFromPasswd(const std::string& rootfs, uid_t uid) {
  std::optional<std::string> passwd = ReadPasswd(rootfs);
  if (!passwd) return kDefaultHome;
  for (absl::string_view line : absl::StrSplit(*passwd, '\n')) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ':');
    uint32_t entry_uid = 0;
    if (f.size() >= 6 && absl::SimpleAtoi(f[2], &entry_uid) &&
        entry_uid == uid && !f[5].empty()) {
      return std::string(f[5]);
    }
  }
  return kDefaultHome;
}

}  // namespace shim
