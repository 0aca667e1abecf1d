#include "libcontainer/cgroup_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "libcontainer/errno_status.h"
#include "minijail-shim/scoped_fd.h"

namespace libcontainer {

absl::Status WriteCgroupFile(const std::string& dir, absl::string_view file,
                             absl::string_view value) {
  std::string path = absl::StrCat(dir, "/", file);
  shim::ScopedFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC | O_TRUNC));
  if (!fd) {
    int err = errno;
    return ErrnoStatus(err, absl::StrCat("cgroup: open ", path));
  }
  ssize_t n = write(fd.get(), value.data(), value.size());
  if (n < 0 || static_cast<size_t>(n) != value.size()) {
    int err = n < 0 ? errno : EIO;
    return ErrnoStatus(err,
                       absl::StrCat("cgroup: write \"", value, "\" to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadCgroupFile(const std::string& dir,
                                           absl::string_view file) {
  std::string path = absl::StrCat(dir, "/", file);
  shim::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int err = errno;
    return ErrnoStatus(err, absl::StrCat("cgroup: open ", path));
  }
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      return ErrnoStatus(err, absl::StrCat("cgroup: read ", path));
    }
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

bool CgroupFileExists(const std::string& dir, absl::string_view file) {
  std::string path = absl::StrCat(dir, "/", file);
  return access(path.c_str(), F_OK) == 0;
}

}  // namespace libcontainer
