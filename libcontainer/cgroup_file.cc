#include "libcontainer/cgroup_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "libcontainer/errno_status.h"
#include "minijail-shim/read_file.h"
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
  absl::StatusOr<std::string> text =
      shim::ReadFile(absl::StrCat(dir, "/", file));
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("cgroup: ", text.status().message()));
  }
  return text;
}

bool CgroupFileExists(const std::string& dir, absl::string_view file) {
  std::string path = absl::StrCat(dir, "/", file);
  return access(path.c_str(), F_OK) == 0;
}

}  // namespace libcontainer
