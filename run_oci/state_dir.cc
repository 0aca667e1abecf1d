#include "run_oci/state_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/scoped_fd.h"
#include "minijail-shim/status_macros.h"
#include "run_oci/container_errors.h"

namespace run_oci {
namespace {

std::string SysError(absl::string_view call, const std::string& path) {
  return absl::StrCat(call, " ", path, ": ", strerror(errno));
}

// mkdir -p, for the state root only.
absl::Status MakeDirs(const std::string& path, mode_t mode) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && mkdir(prefix.c_str(), mode) != 0 &&
        errno != EEXIST) {
      return absl::InternalError(SysError("mkdir", prefix));
    }
    if (slash == std::string::npos) return absl::OkStatus();
  }
}

absl::StatusOr<std::string> RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) {
    if (errno == ENOENT) return absl::NotFoundError(SysError("realpath", path));
    return absl::InternalError(SysError("realpath", path));
  }
  return std::string(resolved);
}

absl::Status WriteAll(int fd, const std::string& data,
                      const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(SysError("write", path));
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// A POSIX record lock belongs to this process: unlike flock, it is not
// shared with the container process cloned while we hold it, which keeps
// the fd until its execve (after `start`, for a created container).
absl::Status LockFd(int fd, const std::string& path) {
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  while (fcntl(fd, F_SETLKW, &lock) != 0) {
    if (errno != EINTR) {
      return absl::InternalError(SysError("fcntl F_SETLKW", path));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents) {
  std::string temp = path + ".tmp";
  shim::ScopedFd fd(
      open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) return absl::InternalError(SysError("open", temp));
  RETURN_IF_ERROR(WriteAll(fd.get(), contents, temp));
  fd.reset();
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(SysError("rename", temp));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  shim::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return absl::NotFoundError(SysError("open", path));
    return absl::InternalError(SysError("open", path));
  }
  std::string out;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(SysError("read", path));
    if (n == 0) return out;
    out.append(buffer, static_cast<size_t>(n));
  }
}

absl::StatusOr<StateDir> StateDir::Create(const std::string& root,
                                          const std::string& id) {
  RETURN_IF_ERROR(MakeDirs(root, 0711));
  ASSIGN_OR_RETURN(std::string real_root, RealPath(root));
  std::string path = absl::StrCat(real_root, "/", id);
  // mkdir fails with EEXIST for all but one of concurrent callers: the lock.
  if (mkdir(path.c_str(), 0711) != 0) {
    if (errno == EEXIST) {
      return ContainerExistsError(id);
    }
    return absl::InternalError(SysError("mkdir", path));
  }
  return StateDir(std::move(path), id);
}

absl::StatusOr<StateDir> StateDir::Open(const std::string& root,
                                        const std::string& id) {
  absl::StatusOr<std::string> real_root = RealPath(root);
  std::string path = absl::StrCat(real_root.ok() ? *real_root : root, "/", id);
  struct stat st;
  if (!real_root.ok() || lstat(path.c_str(), &st) != 0 ||
      !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(
        absl::StrCat("container ", id, " does not exist"));
  }
  StateDir dir(std::move(path), id);
  if (access(dir.File(kTag).c_str(), F_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", id, ": ", dir.path(),
                     " is not a run_oci state directory"));
  }
  return dir;
}

absl::Status StateDir::WriteRecord(const StateRecord& record) const {
  return WriteFileAtomically(File(kRecord), StateRecordToJson(record));
}

absl::StatusOr<StateRecord> StateDir::ReadRecord() const {
  std::string path = File(kRecord);
  absl::StatusOr<std::string> json = ReadWholeFile(path);
  if (absl::IsNotFound(json.status())) {
    path = File(kTag);
    json = ReadWholeFile(path);
  }
  if (!json.ok()) return json.status();
  return ParseStateRecord(*json, path);
}

absl::StatusOr<shim::ScopedFd> StateDir::CreateLockedTag(
    const StateRecord& first_record) const {
  std::string path = File(kPendingTag);
  shim::ScopedFd fd(
      open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) return absl::InternalError(SysError("open", path));
  RETURN_IF_ERROR(LockFd(fd.get(), path));
  RETURN_IF_ERROR(WriteAll(fd.get(), StateRecordToJson(first_record), path));
  return fd;
}

absl::Status StateDir::WriteTag() const {
  std::string pending = File(kPendingTag);
  if (rename(pending.c_str(), File(kTag).c_str()) != 0) {
    return absl::InternalError(SysError("rename", pending));
  }
  return absl::OkStatus();
}

absl::Status StateDir::WritePidFile(pid_t pid) const {
  return WriteFileAtomically(File(kPidFile), absl::StrCat(pid, "\n"));
}

absl::Status StateDir::Symlink(const std::string& target,
                               const char* name) const {
  std::string link = File(name);
  // Only the components below the state directory, which exists.
  for (size_t slash = link.find('/', path_.size() + 1);
       slash != std::string::npos; slash = link.find('/', slash + 1)) {
    std::string dir = link.substr(0, slash);
    if (mkdir(dir.c_str(), 0711) != 0 && errno != EEXIST) {
      return absl::InternalError(SysError("mkdir", dir));
    }
  }
  if (symlink(target.c_str(), link.c_str()) != 0) {
    return absl::InternalError(SysError("symlink", link));
  }
  return absl::OkStatus();
}

absl::StatusOr<shim::ScopedFd> StateDir::Lock() const {
  std::string path = File(kTag);
  shim::ScopedFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("container ", id_, " does not exist"));
    }
    return absl::InternalError(SysError("open", path));
  }
  RETURN_IF_ERROR(LockFd(fd.get(), path));
  return fd;
}

bool StateDir::StillExists(const shim::ScopedFd& lock) const {
  struct stat locked, tag;
  return fstat(lock.get(), &locked) == 0 &&
         lstat(File(kTag).c_str(), &tag) == 0 && locked.st_dev == tag.st_dev &&
         locked.st_ino == tag.st_ino;
}

bool StateDir::HasExecFifo() const {
  struct stat st;
  return lstat(File(kExecFifo).c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

}  // namespace run_oci
