#include "minijail-shim/sealed_exe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"

// Linux 6.3; older kernels have no such flag and make every memfd
// executable.
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef OVERLAYFS_SUPER_MAGIC
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#endif

namespace shim {
namespace {

constexpr char kSelfExe[] = "/proc/self/exe";
// overlayfs without an upper layer needs two lower ones. Below the binary's
// directory, one that can neither overlap it nor matter: the name is found
// in the top layer (and checked to be the running file), and nobody can
// list the view's root. sysfs never holds a binary, and it is there on
// every host with cgroups. (A fresh detached tmpfs would do as well, but
// dissolving its mount costs an RCU grace period: milliseconds on a busy
// host.)
constexpr char kSecondLayer[] = "/sys";
constexpr unsigned int kWriteSeals = F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK;

absl::Status Errno(const std::string& what) {
  return absl::InternalError(absl::StrCat(what, ": ", strerror(errno)));
}

std::string ProcFd(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

absl::StatusOr<base::ScopedFd> OpenSelfExe() {
  base::ScopedFd fd(open(kSelfExe, O_RDONLY | O_CLOEXEC));
  if (!fd) return Errno(absl::StrCat("open ", kSelfExe));
  return fd;
}

// The kernel's own words about a refused fsconfig (the fs context's log),
// which say far more than EINVAL.
std::string FsContextLog(int fs_fd) {
  std::string log;
  char buf[256];
  ssize_t n;
  while ((n = read(fs_fd, buf, sizeof(buf) - 1)) > 0) {
    if (!log.empty()) log += "; ";
    log.append(buf, static_cast<size_t>(n));
  }
  return log.empty() ? "" : absl::StrCat(" (", log, ")");
}

absl::Status FsconfigCreate(int fs_fd, const char* fs_name) {
  if (fsconfig(fs_fd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    const int err = errno;
    return absl::InternalError(absl::StrCat(
        "fsconfig ", fs_name, " create: ", strerror(err), FsContextLog(fs_fd)));
  }
  return absl::OkStatus();
}

// What execve checked on the file, still true of the one found again by
// path (ino and times survive overlayfs; st_dev does not).
bool SameContent(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec &&
         a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

absl::StatusOr<base::ScopedFd> OverlayView(const struct stat& running) {
  char path[PATH_MAX];
  const ssize_t n = readlink(kSelfExe, path, sizeof(path) - 1);
  if (n <= 0) return Errno(absl::StrCat("readlink ", kSelfExe));
  const std::string exe(path, static_cast<size_t>(n));
  if (absl::EndsWith(exe, " (deleted)")) {
    return absl::FailedPreconditionError(
        absl::StrCat(exe, ": the binary was replaced since it started"));
  }
  const size_t slash = exe.rfind('/');
  if (slash == std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(kSelfExe, " -> ", exe, ": not an absolute path"));
  }
  const std::string dir = slash == 0 ? "/" : exe.substr(0, slash);
  const std::string name = exe.substr(slash + 1);
  base::ScopedFd dir_fd(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd) return Errno(absl::StrCat("open ", dir));

  base::ScopedFd fs(fsopen("overlay", FSOPEN_CLOEXEC));
  if (!fs) return Errno("fsopen overlay");
  // The binary's directory on top, so that its name resolves there; by fd:
  // no escaping of ':' and no second lookup of `dir`.
  const std::string lower =
      absl::StrCat(ProcFd(dir_fd.get()), ":", kSecondLayer);
  if (fsconfig(fs.get(), FSCONFIG_SET_STRING, "lowerdir", lower.c_str(), 0) !=
      0) {
    return absl::InternalError(absl::StrCat("fsconfig overlay lowerdir=", dir,
                                            ": ", strerror(errno),
                                            FsContextLog(fs.get())));
  }
  // Layers on two file systems turn xino on, which only logs; not needed.
  (void)fsconfig(fs.get(), FSCONFIG_SET_STRING, "xino", "off", 0);
  RETURN_IF_ERROR(FsconfigCreate(fs.get(), "overlay"));
  base::ScopedFd mnt(
      fsmount(fs.get(), FSMOUNT_CLOEXEC,
              MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID));
  if (!mnt) return Errno("fsmount overlay");

  base::ScopedFd file(
      openat(mnt.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!file) return Errno(absl::StrCat("open ", name, " in the overlay"));
  struct stat seen;
  if (fstat(file.get(), &seen) != 0) return Errno("fstat overlay file");
  if (!S_ISREG(seen.st_mode) || !SameContent(seen, running)) {
    return absl::FailedPreconditionError(
        absl::StrCat(exe, ": not the file this process runs (replaced?)"));
  }
  return file;
}

absl::StatusOr<base::ScopedFd> MemfdView(int running_fd, off_t size) {
  ASSIGN_OR_RETURN(base::ScopedFd memfd, NewExecutableMemfd("run_oci"));
  off_t offset = 0;
  while (offset < size) {
    const ssize_t n = sendfile(memfd.get(), running_fd, &offset,
                               static_cast<size_t>(size - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("sendfile to the memfd");
    if (n == 0) return absl::InternalError("sendfile: short copy");
  }
  return SealMemfd(memfd);
}

}  // namespace

absl::StatusOr<base::ScopedFd> NewExecutableMemfd(const char* name) {
  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) {
    fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  }
  if (fd < 0) return Errno("memfd_create (vm.memfd_noexec?)");
  return base::ScopedFd(fd);
}

absl::StatusOr<base::ScopedFd> SealMemfd(const base::ScopedFd& memfd) {
  if (fcntl(memfd.get(), F_ADD_SEALS, kWriteSeals | F_SEAL_SEAL) != 0) {
    return Errno("fcntl F_ADD_SEALS");
  }
  // Executed through a read-only open, so that not even the exe_file
  // reference was opened for writing.
  base::ScopedFd readonly(
      open(ProcFd(memfd.get()).c_str(), O_RDONLY | O_CLOEXEC));
  if (!readonly) return Errno("reopen the memfd read-only");
  return readonly;
}

absl::StatusOr<SealedExe> SealSelfExe(SealMethod method) {
  ASSIGN_OR_RETURN(base::ScopedFd running, OpenSelfExe());
  struct stat st;
  if (fstat(running.get(), &st) != 0) return Errno("fstat /proc/self/exe");
  absl::Status overlay_error;
  if (method != SealMethod::kMemfd) {
    absl::StatusOr<base::ScopedFd> view = OverlayView(st);
    if (view.ok()) return SealedExe{*std::move(view), SealedExeKind::kOverlay};
    if (method == SealMethod::kOverlay) return view.status();
    overlay_error = view.status();
  }
  absl::StatusOr<base::ScopedFd> copy = MemfdView(running.get(), st.st_size);
  if (copy.ok()) return SealedExe{*std::move(copy), SealedExeKind::kMemfd};
  if (overlay_error.ok()) return copy.status();
  return absl::InternalError(
      absl::StrCat("overlay: ", overlay_error.message(),
                   "; memfd: ", copy.status().message()));
}

absl::StatusOr<bool> SelfExeIsSealed() {
  ASSIGN_OR_RETURN(base::ScopedFd self, OpenSelfExe());
  const int seals = fcntl(self.get(), F_GET_SEALS);
  if (seals >= 0) {
    return (static_cast<unsigned int>(seals) & kWriteSeals) == kWriteSeals;
  }
  struct statfs fs;
  if (fstatfs(self.get(), &fs) != 0) return Errno("fstatfs /proc/self/exe");
  return fs.f_type == OVERLAYFS_SUPER_MAGIC && (fs.f_flags & ST_RDONLY) != 0;
}

absl::Status ExecSealed(const SealedExe& exe, char* const argv[],
                        char* const envp[]) {
  syscall(SYS_execveat, exe.fd.get(), "", argv, envp, AT_EMPTY_PATH);
  return Errno("execveat of the sealed binary");
}

}  // namespace shim
