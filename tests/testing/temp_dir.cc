#include "tests/testing/temp_dir.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/scoped_fd.h"

namespace ocitest {
namespace {

absl::Status ErrnoStatus(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

int RemoveEntry(const char* path, const struct stat* st, int type,
                struct FTW* ftw) {
  // FTW_MOUNT keeps nftw on one file system; the mount point itself is
  // still visited, and rmdir of a mount point fails with EBUSY, which is
  // what we want: the leak checker reports it.
  if (type == FTW_DP) {
    rmdir(path);
  } else {
    unlink(path);
  }
  return 0;
}

}  // namespace

absl::StatusOr<TempDir> TempDir::Create(absl::string_view prefix) {
  std::string templ = absl::StrCat("/tmp/", prefix, "-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) return ErrnoStatus("mkdtemp", templ);
  if (chmod(templ.c_str(), 0755) != 0) return ErrnoStatus("chmod", templ);
  return TempDir(std::move(templ));
}

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, "")) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) RemoveTree(path_).IgnoreError();
    path_ = std::exchange(other.path_, "");
  }
  return *this;
}

TempDir::~TempDir() {
  if (!path_.empty()) RemoveTree(path_).IgnoreError();
}

std::string TempDir::Sub(absl::string_view name) const {
  return absl::StrCat(path_, "/", name);
}

absl::Status RemoveTree(const std::string& path) {
  if (nftw(path.c_str(), RemoveEntry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) !=
      0) {
    return ErrnoStatus("nftw", path);
  }
  if (access(path.c_str(), F_OK) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not fully removed (something mounted?)"));
  }
  return absl::OkStatus();
}

absl::Status WriteFile(const std::string& path, absl::string_view contents,
                       int mode) {
  base::ScopedFd fd(
      open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return ErrnoStatus("open", path);
  while (!contents.empty()) {
    ssize_t n = write(fd.get(), contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path);
    }
    contents.remove_prefix(n);
  }
  if (fchmod(fd.get(), mode) != 0) return ErrnoStatus("fchmod", path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  base::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return ErrnoStatus("open", path);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path);
    }
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

}  // namespace ocitest
