#include "minijail-shim/copy_up.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "minijail-shim/path_resolve.h"

namespace shim {
namespace {

// getdents64(2)'s record; glibc only declares it under _GNU_SOURCE names
// that differ between versions.
struct Dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

bool IsDotOrDotDot(const char* name) {
  return name[0] == '.' &&
         (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

int Fail(Op* op, Op what) {
  *op = what;
  return errno != 0 ? errno : EIO;
}

// Data from `in` to `out`: copy_file_range, which the kernel does in place
// (splice between two file systems), or read/write where it refuses.
int CopyData(int in, int out, Op* op) {
  for (;;) {
    const ssize_t n = copy_file_range(in, nullptr, out, nullptr, 1 << 30, 0);
    if (n == 0) return 0;
    if (n > 0) continue;
    if (errno == EINTR) continue;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
        errno != EOPNOTSUPP) {
      return Fail(op, Op::kCopyData);
    }
    break;
  }
  char buf[4096];
  for (;;) {
    ssize_t n = read(in, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(op, Op::kCopyData);
    if (n == 0) return 0;
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = write(out, buf + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return Fail(op, Op::kCopyData);
      done += w;
    }
  }
}

// Owner first: chown clears the set-id bits the mode then puts back.
int SetOwnerAndMode(int fd, const struct stat& st, Op* op) {
  if (fchown(fd, st.st_uid, st.st_gid) != 0) return Fail(op, Op::kChown);
  if (fchmod(fd, st.st_mode & 07777) != 0) return Fail(op, Op::kChmod);
  return 0;
}

// A regular file, read through a reopen of the O_PATH fd `entry` checked
// (the magic link names that inode, not whatever the name holds now).
int CopyFile(int entry, const struct stat& st, int dst, const char* name,
             Op* op) {
  char path[32];
  FdPath(entry, path);
  const int in = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
  if (in < 0) return Fail(op, Op::kOpen);
  const int out = openat(
      dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  int err = out < 0 ? Fail(op, Op::kCreateFile) : CopyData(in, out, op);
  if (err == 0) err = SetOwnerAndMode(out, st, op);
  if (out >= 0) close(out);
  close(in);
  return err;
}

// Kept out of the recursion's frames: PATH_MAX of stack per call.
__attribute__((noinline)) int CopySymlink(int entry, const struct stat& st,
                                          int dst, const char* name, Op* op) {
  char target[PATH_MAX];
  const ssize_t n = readlinkat(entry, "", target, sizeof(target) - 1);
  if (n < 0) return Fail(op, Op::kRead);
  target[n] = '\0';
  if (symlinkat(target, dst, name) != 0) return Fail(op, Op::kSymlink);
  if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return Fail(op, Op::kChown);
  }
  return 0;
}

// Device nodes, FIFOs and sockets: mknod with the mode (the child's umask
// is 0) and the device number; a chown does not clear their mode bits.
int CopyNode(const struct stat& st, int dst, const char* name, Op* op) {
  if (mknodat(dst, name, st.st_mode & (S_IFMT | 07777), st.st_rdev) != 0) {
    return Fail(op, Op::kMknod);
  }
  if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return Fail(op, Op::kChown);
  }
  return 0;
}

int CopyEntries(int src, int dst, int depth, Op* op);

int CopyDirectory(int entry, const struct stat& st, int dst, const char* name,
                  int depth, Op* op) {
  if (depth >= kCopyUpMaxDepth) {
    *op = Op::kCopyUpTooDeep;
    return ELOOP;
  }
  if (mkdirat(dst, name, 0700) != 0) return Fail(op, Op::kMkdir);
  const int sub_dst =
      openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sub_dst < 0) return Fail(op, Op::kOpen);
  // "." below the O_PATH fd: the directory checked, opened for reading.
  const int sub_src = openat(entry, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int err = sub_src < 0 ? Fail(op, Op::kOpen)
                        : CopyEntries(sub_src, sub_dst, depth + 1, op);
  if (err == 0) err = SetOwnerAndMode(sub_dst, st, op);
  if (sub_src >= 0) close(sub_src);
  close(sub_dst);
  return err;
}

int CopyEntry(int src, int dst, const char* name, int depth, Op* op) {
  const int entry = openat(src, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (entry < 0) return Fail(op, Op::kOpen);
  struct stat st;
  int err = 0;
  if (fstat(entry, &st) != 0) {
    err = Fail(op, Op::kStat);
  } else if (S_ISREG(st.st_mode)) {
    err = CopyFile(entry, st, dst, name, op);
  } else if (S_ISDIR(st.st_mode)) {
    err = CopyDirectory(entry, st, dst, name, depth, op);
  } else if (S_ISLNK(st.st_mode)) {
    err = CopySymlink(entry, st, dst, name, op);
  } else {
    err = CopyNode(st, dst, name, op);
  }
  close(entry);
  return err;
}

int CopyEntries(int src, int dst, int depth, Op* op) {
  alignas(Dirent64) char buf[2048];
  for (;;) {
    const long n = syscall(SYS_getdents64, src, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(op, Op::kRead);
    if (n == 0) return 0;
    for (long pos = 0; pos < n;) {
      const Dirent64* d = reinterpret_cast<const Dirent64*>(buf + pos);
      pos += d->d_reclen;
      if (IsDotOrDotDot(d->d_name)) continue;
      const int err = CopyEntry(src, dst, d->d_name, depth, op);
      if (err != 0) return err;
    }
  }
}

}  // namespace

int CopyUpTree(int src, int dst, bool root_mode, bool root_owner, Op* op) {
  errno = 0;
  const int err = CopyEntries(src, dst, 0, op);
  if (err != 0) return err;
  struct stat st;
  if ((root_mode || root_owner) && fstat(src, &st) != 0) {
    return Fail(op, Op::kStat);
  }
  if (root_owner && fchown(dst, st.st_uid, st.st_gid) != 0) {
    return Fail(op, Op::kChown);
  }
  if (root_mode && fchmod(dst, st.st_mode & 07777) != 0) {
    return Fail(op, Op::kChmod);
  }
  return 0;
}

}  // namespace shim
