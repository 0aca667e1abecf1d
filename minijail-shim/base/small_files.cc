#include "minijail-shim/base/small_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "minijail-shim/base/errno_status.h"
#include "minijail-shim/base/scoped_fd.h"

namespace base {
namespace {

const char* FileTypeName(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFIFO:
      return "a FIFO";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFDIR:
      return "a directory";
    case S_IFSOCK:
      return "a socket";
    case S_IFLNK:
      return "a symbolic link";
  }
  return "of an unknown type";
}

// 64 bits nobody can guess ahead of time: the temporary's name must not be
// one an attacker could have planted a link at.
uint64_t RandomSuffix() {
  uint64_t value = 0;
  if (getrandom(&value, sizeof(value), GRND_NONBLOCK) ==
      static_cast<ssize_t>(sizeof(value))) {
    return value;
  }
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (static_cast<uint64_t>(getpid()) << 40) ^
         static_cast<uint64_t>(now.tv_nsec) ^
         (static_cast<uint64_t>(now.tv_sec) << 20);
}

}  // namespace

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, absl::StrCat("write ", path));
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            const ReadOptions& options) {
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if (!options.follow_symlinks) flags |= O_NOFOLLOW;
  ScopedFd fd(open(path.c_str(), flags));
  if (!fd) {
    if (errno == ELOOP && !options.follow_symlinks) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": a symbolic link, not a regular file"));
    }
    return ErrnoStatus(errno, path);
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    return ErrnoStatus(errno, absl::StrCat("fstat ", path));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not a regular file (", FileTypeName(st.st_mode), ")"));
  }
  auto too_large = [&](uint64_t size) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": larger than ", options.max_bytes, " bytes (", size, ")"));
  };
  if (static_cast<uint64_t>(st.st_size) > options.max_bytes) {
    return too_large(static_cast<uint64_t>(st.st_size));
  }
  // st_size is a hint only (a file may grow meanwhile; /proc and sysfs
  // say 0): read at most one byte past the limit. The first read asks for
  // a page at least, because a sysctl file answers only a read at offset 0
  // (/proc/sys/kernel/cap_last_cap read one byte at a time gives "4").
  std::string text;
  text.resize(
      std::min(std::max<size_t>(st.st_size + 1, 4096), options.max_bytes + 1));
  size_t done = 0;
  for (;;) {
    if (done == text.size()) {
      if (text.size() > options.max_bytes) return too_large(text.size());
      text.resize(std::min(text.size() * 2 + 4096, options.max_bytes + 1));
    }
    ssize_t n = read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  text.resize(done);
  return text;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents, mode_t mode) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  // O_EXCL|O_NOFOLLOW: a planted file or symlink at the temporary's name
  // makes the open fail instead of redirecting the write (the --pid-file's
  // directory may be writable by others); the random part makes a second
  // try succeed.
  std::string temp;
  ScopedFd fd;
  for (int attempt = 0; attempt < 4 && !fd; ++attempt) {
    temp = absl::StrFormat("%s.%s.%016x.tmp", dir, name, RandomSuffix());
    fd.reset(open(temp.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd && errno != EEXIST) break;
  }
  if (!fd) return ErrnoStatus(errno, absl::StrCat("open ", temp));
  absl::Status written = WriteAll(fd.get(), contents, temp);
  fd.reset();
  if (written.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    written = ErrnoStatus(errno, absl::StrCat("rename ", temp));
  }
  if (!written.ok()) unlink(temp.c_str());
  return written;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  ReadOptions options;
  options.max_bytes = 16 << 20;
  options.follow_symlinks = true;
  return ReadRegularFile(path, options);
}

}  // namespace base
