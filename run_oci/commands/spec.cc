// `spec [--rootless] [--bundle DIR]`: writes a default config.json into
// the bundle, never over an existing one.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/scoped_fd.h"
#include "run_oci/commands/commands.h"
#include "run_oci/default_spec.h"

namespace run_oci {

absl::StatusOr<int> WriteDefaultSpec(const CommandLine& cl) {
  DefaultSpecOptions options;
  options.rootless = cl.rootless;
  options.uid = geteuid();
  options.gid = getegid();
  std::string json = DefaultSpecJson(options);
  std::string path = absl::StrCat(cl.bundle, "/config.json");
  // O_EXCL: an existing config.json (or a link in its place) stays as it
  // is, with no window between a check and the write.
  base::ScopedFd fd(open(path.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0644));
  if (!fd) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(path, ": exists; remove it first"));
    }
    return absl::InternalError(absl::StrCat(path, ": open: ", strerror(errno)));
  }
  size_t done = 0;
  while (done < json.size()) {
    ssize_t n = write(fd.get(), json.data() + done, json.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string message = absl::StrCat(path, ": write: ", strerror(errno));
      unlink(path.c_str());
      return absl::InternalError(message);
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace run_oci
