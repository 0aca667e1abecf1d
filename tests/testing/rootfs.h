// Test root file systems, built at test time from Debian's busybox-static so
// that nothing binary is committed.
#ifndef TESTS_TESTING_ROOTFS_H_
#define TESTS_TESTING_ROOTFS_H_

#include <string>

#include "absl/status/status.h"

namespace ocitest {

inline constexpr char kHostBusybox[] = "/bin/busybox";

// Fills `dir` (created if missing) with a copy of busybox, a symlink per
// applet (bin/sh, bin/cat, ...), /etc/passwd and /etc/group (root, nobody),
// and empty proc, sys, dev, tmp, root, run directories.
absl::Status MakeBusyboxRootfs(const std::string& dir);

}  // namespace ocitest

#endif  // TESTS_TESTING_ROOTFS_H_
