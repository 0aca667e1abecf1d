#include "run_oci/state_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/container_errors.h"
#include "run_oci/mount_cleanup.h"
#include "run_oci/proc_stat.h"

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

// base's loop; as every other failure of Create, an internal error.
absl::Status WriteAll(int fd, const std::string& data,
                      const std::string& path) {
  absl::Status status = base::WriteAll(fd, data, path);
  if (status.ok()) return status;
  return absl::InternalError(status.message());
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

// 64-bit FNV-1a: stable across processes (absl::Hash is seeded), and short
// enough that the temporary's name stays within NAME_MAX for any id that
// fits itself.
uint64_t IdHash(absl::string_view id) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// <real_root>/<TemporaryPrefix(id)><our pid>.<our start time>.
absl::StatusOr<std::string> TemporaryPath(const std::string& real_root,
                                          absl::string_view id) {
  static uint64_t start_time = [] {
    absl::StatusOr<ProcStat> self = ReadProcStat(getpid());
    return self.ok() ? self->start_time : 0;
  }();
  if (start_time == 0) {
    return absl::InternalError("/proc/self/stat: no start time");
  }
  return absl::StrCat(real_root, "/", StateDir::TemporaryPrefix(id), getpid(),
                      ".", start_time);
}

// Held by a live process: the POSIX lock a creator takes right after
// making the tag.
bool TagIsLocked(const std::string& temp) {
  std::string tag = absl::StrCat(temp, "/", StateDir::kTag);
  base::ScopedFd fd(
      open(tag.c_str(), O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return false;
  struct flock probe = {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  return fcntl(fd.get(), F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
}

// `creator` is the "<pid>.<start time>" part of a temporary's name. Dead:
// that process is gone (or the pid names another one) and nobody holds the
// tag's lock (which also covers a creator in another pid namespace).
bool IsDeadTemporary(absl::string_view creator, const std::string& temp) {
  size_t dot = creator.find('.');
  pid_t pid = 0;
  uint64_t start_time = 0;
  if (dot == absl::string_view::npos ||
      !absl::SimpleAtoi(creator.substr(0, dot), &pid) ||
      !absl::SimpleAtoi(creator.substr(dot + 1), &start_time)) {
    return false;
  }
  return !IsSameProcessAlive(pid, start_time) && !TagIsLocked(temp);
}

}  // namespace

// ".creating.<hash>." + "<pid>.<start time>" of the creator. The leading dot
// keeps it apart from every id (ValidateContainerId refuses one).
std::string StateDir::TemporaryPrefix(absl::string_view id) {
  return absl::StrFormat(".creating.%016x.", IdHash(id));
}

absl::StatusOr<StateDir> StateDir::Create(const std::string& root,
                                          const std::string& id,
                                          const StateRecord& first_record,
                                          base::ScopedFd* lock) {
  RETURN_IF_ERROR(MakeDirs(root, 0711));
  ASSIGN_OR_RETURN(std::string real_root, RealPath(root));
  ASSIGN_OR_RETURN(std::string temp, TemporaryPath(real_root, id));
  std::string path = absl::StrCat(real_root, "/", id);
  if (mkdir(temp.c_str(), 0711) != 0) {
    return absl::InternalError(SysError("mkdir", temp));
  }
  absl::Cleanup remove_temp = [&temp] { (void)RemoveDirTree(temp); };
  std::string tag = absl::StrCat(temp, "/", kTag);
  base::ScopedFd fd(open(
      tag.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd) return absl::InternalError(SysError("open", tag));
  RETURN_IF_ERROR(LockFd(fd.get(), tag));
  RETURN_IF_ERROR(WriteAll(fd.get(), StateRecordToJson(first_record), tag));
  // Atomic and exclusive: of concurrent creates of one id exactly one
  // rename succeeds, and <id> never exists without its tag (a SIGKILL
  // before this line leaves only the temporary).
  if (renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(),
                RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST || errno == ENOTEMPTY) {
      return ContainerExistsError(id);
    }
    return absl::InternalError(
        absl::StrCat("renameat2 ", temp, " -> ", path,
                     " (RENAME_NOREPLACE): ", strerror(errno)));
  }
  std::move(remove_temp).Cancel();
  *lock = std::move(fd);
  return StateDir(std::move(path), id);
}

absl::StatusOr<int> StateDir::RemoveDeadTemporaries(const std::string& root,
                                                    const std::string& id) {
  absl::StatusOr<std::string> real_root = RealPath(root);
  if (absl::IsNotFound(real_root.status())) return 0;
  if (!real_root.ok()) return real_root.status();
  DIR* dir = opendir(real_root->c_str());
  if (dir == nullptr) {
    return absl::InternalError(SysError("opendir", *real_root));
  }
  absl::Cleanup close_dir = [dir] { closedir(dir); };
  const std::string prefix = TemporaryPrefix(id);
  int removed = 0;
  absl::Status first;
  while (dirent* entry = readdir(dir)) {
    absl::string_view name = entry->d_name;
    if (!absl::ConsumePrefix(&name, prefix)) continue;
    std::string temp = absl::StrCat(*real_root, "/", entry->d_name);
    if (!IsDeadTemporary(name, temp)) continue;
    absl::Status status = RemoveDirTree(temp);
    if (status.ok()) {
      ++removed;
    } else if (first.ok()) {
      first = status;
    }
  }
  if (!first.ok()) return first;
  return removed;
}

absl::StatusOr<StateDir> StateDir::Open(const std::string& root,
                                        const std::string& id) {
  absl::StatusOr<std::string> real_root = RealPath(root);
  std::string path = absl::StrCat(real_root.ok() ? *real_root : root, "/", id);
  struct stat st;
  if (!real_root.ok() || lstat(path.c_str(), &st) != 0 ||
      !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat("container does not exist: ", id));
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
  return base::WriteFileAtomically(File(kRecord), StateRecordToJson(record));
}

absl::StatusOr<StateRecord> StateDir::ReadRecord() const {
  // A hostile state.json (deeply nested, endless, a FIFO, a link to
  // /dev/zero) must fail with one line, not crash, hang or exhaust memory
  // in state/kill/destroy.
  const base::ReadOptions options{kMaxStateRecordBytes,
                                  /*follow_symlinks=*/false};
  std::string path = File(kRecord);
  absl::StatusOr<std::string> json = base::ReadRegularFile(path, options);
  if (absl::IsNotFound(json.status())) {
    path = File(kTag);
    json = base::ReadRegularFile(path, options);
  }
  if (!json.ok()) return json.status();
  return ParseStateRecord(*json, path);
}

absl::Status StateDir::WritePidFile(pid_t pid) const {
  return base::WriteFileAtomically(File(kPidFile), absl::StrCat(pid));
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

absl::StatusOr<base::ScopedFd> StateDir::Lock() const {
  std::string path = File(kTag);
  base::ScopedFd fd(
      open(path.c_str(), O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) {
      return ContainerNotExistError(id_);
    }
    return absl::InternalError(SysError("open", path));
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a regular file"));
  }
  RETURN_IF_ERROR(LockFd(fd.get(), path));
  return fd;
}

absl::Status StateDir::Remove() const {
  absl::Status unmounted = UnmountAllUnder(path_);
  std::string root = path_.substr(0, path_.rfind('/'));
  ASSIGN_OR_RETURN(std::string temp, TemporaryPath(root, id_));
  std::string doomed = temp;
  if (renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, temp.c_str(),
                RENAME_NOREPLACE) != 0) {
    // ENOENT: a concurrent teardown (run's and a forced destroy's) got
    // there first, which is the outcome both want.
    if (errno == ENOENT) return unmounted;
    doomed = path_;  // then in place, as well as we can
  }
  absl::Status removed = RemoveDirTree(doomed);
  return unmounted.ok() ? removed : unmounted;
}

bool StateDir::StillExists(const base::ScopedFd& lock) const {
  struct stat locked, tag;
  return fstat(lock.get(), &locked) == 0 &&
         lstat(File(kTag).c_str(), &tag) == 0 && locked.st_dev == tag.st_dev &&
         locked.st_ino == tag.st_ino;
}

bool StateDir::HasStartSocket() const {
  struct stat st;
  return lstat(File(kStartSocket).c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace run_oci
