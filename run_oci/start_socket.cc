#include "run_oci/start_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/start_channel.h"

namespace run_oci {
namespace {

// An O_PATH fd on the state directory: the socket is named through
// /proc/self/fd/N/, so a long --root cannot overflow sun_path.
absl::StatusOr<base::ScopedFd> OpenDir(const StateDir& dir) {
  base::ScopedFd fd(open(dir.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    return absl::InternalError(
        absl::StrCat("open ", dir.path(), ": ", strerror(errno)));
  }
  return fd;
}

}  // namespace

absl::StatusOr<base::ScopedFd> ListenStartSocket(const StateDir& dir) {
  absl::StatusOr<base::ScopedFd> dir_fd = OpenDir(dir);
  if (!dir_fd.ok()) return dir_fd.status();
  return shim::ListenForStart(dir_fd->get(), StateDir::kStartSocket);
}

absl::Status ReleaseStartSocket(const StateDir& dir,
                                const std::string& program) {
  absl::StatusOr<base::ScopedFd> dir_fd = OpenDir(dir);
  if (!dir_fd.ok()) return dir_fd.status();
  absl::Status released =
      shim::ReleaseWaitingChild(dir_fd->get(), StateDir::kStartSocket, program);
  if (absl::IsFailedPrecondition(released)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "container ", dir.id(), ": its process is gone before start (",
        released.message(), ")"));
  }
  if (!released.ok()) return released;
  const std::string path = dir.File(StateDir::kStartSocket);
  if (unlink(path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("unlink ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace run_oci
