// A view of the running binary that nobody can write, to re-exec through
// before a container exists (CVE-2019-5736).
//
// A container's waiting init is a clone of the runtime, so its
// /proc/<pid>/exe is the runtime's binary, and process.args[0] =
// "/proc/self/exe" executes it inside the container. Through either, a
// container process can keep an fd (an O_PATH one suffices) and, once nothing
// executes the file any more (ETXTBSY is gone), reopen it for writing: the
// next start on the host runs the container's code as root. Re-executing
// from the view below first means every process of the container side maps
// and names the view, never the host's file.
#ifndef MINIJAIL_SHIM_SEALED_EXE_H_
#define MINIJAIL_SHIM_SEALED_EXE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"

namespace shim {

enum class SealedExeKind {
  // The binary as seen through a lower-only overlayfs mount that was made
  // with fsopen/fsmount and never attached: the superblock has no upper
  // layer, so it is read-only for good (no remount can change that, and a
  // detached mount cannot be remounted or cloned from another mount
  // namespace), and its layers are private read-only clones. Costs a few
  // syscalls; the pages stay the page cache's.
  kOverlay,
  // A memfd copy with F_SEAL_WRITE|F_SEAL_GROW|F_SEAL_SHRINK|F_SEAL_SEAL:
  // costs a copy of the whole file (and its memory, while processes run it).
  kMemfd,
};

enum class SealMethod {
  kAuto,  // overlay; the memfd where overlayfs cannot be used
  kOverlay,
  kMemfd,
};

struct SealedExe {
  base::ScopedFd fd;  // O_RDONLY, close-on-exec
  SealedExeKind kind = SealedExeKind::kOverlay;
};

// The sealed view of /proc/self/exe (the file this process runs, even if
// its path was replaced since). With kAuto a failure names both attempts.
absl::StatusOr<SealedExe> SealSelfExe(SealMethod method);

// Whether /proc/self/exe is such a view: a file on a read-only overlayfs or
// a memfd sealed against writes.
absl::StatusOr<bool> SelfExeIsSealed();

// An empty memfd that may be executed and sealed, close-on-exec; fails
// where memfds may not be executed (vm.memfd_noexec = 2).
absl::StatusOr<base::ScopedFd> NewExecutableMemfd(const char* name);

// Seals a filled NewExecutableMemfd against any change and returns a
// read-only open of it, to execute.
absl::StatusOr<base::ScopedFd> SealMemfd(const base::ScopedFd& memfd);

// execveat(exe.fd, "", argv, envp, AT_EMPTY_PATH); returns only on failure.
absl::Status ExecSealed(const SealedExe& exe, char* const argv[],
                        char* const envp[]);

}  // namespace shim

#endif  // MINIJAIL_SHIM_SEALED_EXE_H_
