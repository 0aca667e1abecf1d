#include "libcontainer/cgroup_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/small_files.h"

namespace libcontainer {

absl::Status WriteCgroupFile(const std::string& dir, absl::string_view file,
                             absl::string_view value) {
  std::string path = absl::StrCat(dir, "/", file);
  base::ScopedFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC | O_TRUNC));
  if (!fd) {
    int err = errno;
    return base::ErrnoStatus(err, absl::StrCat("cgroup: open ", path));
  }
  ssize_t n = write(fd.get(), value.data(), value.size());
  if (n < 0 || static_cast<size_t>(n) != value.size()) {
    int err = n < 0 ? errno : EIO;
    return base::ErrnoStatus(
        err, absl::StrCat("cgroup: write \"", value, "\" to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadCgroupFile(const std::string& dir,
                                           absl::string_view file) {
  absl::StatusOr<std::string> text =
      base::ReadWholeFile(absl::StrCat(dir, "/", file));
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
