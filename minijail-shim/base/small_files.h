// The small files run_oci reads and writes: config.json, the state record
// and tag, pid files. Reads are bounded and take regular files only, so a
// FIFO, a device or an endless file in their place is an error, never a
// hang or an allocation without limit. Writes go through an exclusive,
// unpredictable temporary in the target's directory and rename(2), so that
// readers see the old or the new contents, and a name planted at the
// temporary's path (a symlink to a file we must not write) is never opened.
#ifndef MINIJAIL_SHIM_BASE_SMALL_FILES_H_
#define MINIJAIL_SHIM_BASE_SMALL_FILES_H_

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace base {

struct ReadOptions {
  size_t max_bytes = 0;
  // O_NOFOLLOW: for files run_oci made itself, where a symlink can only be
  // planted. config.json may be a symlink; it must still end at a regular
  // file.
  bool follow_symlinks = false;
};

// The whole of `path`, opened O_NONBLOCK (a FIFO's open must not wait for
// a writer) and checked with fstat to be a regular file. One-line errors
// naming `path`: "<path>: <strerror>" (NotFound for ENOENT), "<path>: not a
// regular file (a FIFO)", "<path>: larger than N bytes".
absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            const ReadOptions& options);

// A host file run_oci only reads (/proc, cgroupfs, /etc/passwd), by
// ReadRegularFile with symlinks followed and a 16 MiB bound.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes all of `data` to `fd`, again after EINTR and short writes; the
// error names `path`: "write <path>: <strerror>".
absl::Status WriteAll(int fd, absl::string_view data, const std::string& path);

// Writes `contents` to `path` through <dir>/.<name>.<random>.tmp, created
// O_CREAT|O_EXCL|O_NOFOLLOW, then rename(2), which replaces a symlink at
// `path` instead of writing through it.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents,
                                 mode_t mode = 0644);

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_SMALL_FILES_H_
