// Running CRIU: finding the binary, `criu check` before anything else (a
// kernel CRIU cannot work with fails there, and nothing has been touched
// yet), and running a dump or restore with its output kept for the error.
#ifndef LIBCONTAINER_CRIU_H_
#define LIBCONTAINER_CRIU_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace libcontainer {

// criu in $PATH, else in the sbin directories, where Debian installs it
// (engines do not always have them in PATH). NotFound when missing.
absl::StatusOr<std::string> FindCriu();

// `criu check`. FailedPrecondition "criu check failed: <criu's reason>"
// when this kernel (or criu) cannot checkpoint.
absl::Status CheckCriu(const std::string& criu);

struct CriuRun {
  int exit_status = 0;  // 128+N when killed by signal N
  std::string output;   // stdout and stderr, at most 64 KiB
};

// Runs argv (argv[0]: the binary) to the end. `pass_stdio`: criu gets our
// stdin, stdout and stderr (a restored tree inherits them, --inherit-fd)
// and its output is not kept; otherwise its output is collected.
absl::StatusOr<CriuRun> RunCriu(const std::vector<std::string>& argv,
                                bool pass_stdio = false);

// Binds `rootfs` (recursively) at `target`, an empty directory: CRIU's
// --root for a restore must be a mount point of its own (runc makes the
// same bind).
absl::Status BindRootForCriu(const std::string& rootfs,
                             const std::string& target);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CRIU_H_
