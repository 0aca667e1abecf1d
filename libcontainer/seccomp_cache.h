// Compiled seccomp filters kept between runs, as crun keeps them in
// <root>/.cache/seccomp: libseccomp takes about 14 ms of CPU to compile the
// default profile podman and Docker send (three architectures), more than
// the rest of a container's start; the BPF it produces depends only on the
// policy, the libseccomp build and the kernel it asks about.
//
// An entry holds its whole key (the policy in an unambiguous text,
// libseccomp's version and API level, the kernel release and this binary's
// build id) and is used only when that key matches byte for byte; its file
// name is only a hash of the key. Entries are written by this euid into a
// directory only it can write (0700), checked on every open, and read in
// the runtime before clone: nothing reaches the container but the loaded
// filter. A damaged, foreign or unreadable entry is a miss: the policy is
// compiled as if there were no cache.
#ifndef LIBCONTAINER_SECCOMP_CACHE_H_
#define LIBCONTAINER_SECCOMP_CACHE_H_

#include <string>

#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/seccomp.h"
#include "minijail-shim/seccomp_policy.h"

namespace libcontainer {

// The directory's name under a runtime's state root. The leading dot keeps
// it out of `list` and apart from container ids (which cannot start with a
// dot).
inline constexpr char kSeccompCacheDirName[] = ".seccomp-cache";

// Opens <parent>/<kSeccompCacheDirName>, creating it 0700. Refuses one that
// is a symlink, not a directory, not owned by this euid or writable by
// group or others.
absl::StatusOr<base::ScopedFd> OpenSeccompCacheDir(const std::string& parent);

// Everything shim::CompileSeccomp's result depends on, as one string; two
// policies that compile differently never share a key. Empty when this
// binary has no build id (then nothing is cached).
std::string SeccompCacheKey(const shim::SeccompPolicy& policy);

// shim::CompileSeccomp(policy), from the entry for it in cache_dir_fd when
// there is a valid one, else compiled and stored there (at most
// kMaxSeccompCacheEntries entries; beyond that it only compiles).
// cache_dir_fd -1: compiles. Only compilation errors are returned.
inline constexpr int kMaxSeccompCacheEntries = 64;
absl::StatusOr<shim::CompiledSeccomp> CompileSeccompCached(
    const shim::SeccompPolicy& policy, int cache_dir_fd);

}  // namespace libcontainer

#endif  // LIBCONTAINER_SECCOMP_CACHE_H_
