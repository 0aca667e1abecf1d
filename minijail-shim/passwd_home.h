// HOME for a process whose env has none: the home directory of its uid in
// the image's /etc/passwd, "/" when there is none (runc's default).
//
// This runs in the runtime, before clone: as full root, on the host, outside
// the container's devices cgroup. The image is hostile, so /etc/passwd is
// read only when it is a regular file inside the rootfs, never opened when
// it is a FIFO (open would block), a device node (open can have side
// effects, read can block or never end) or anything else, and only up to
// kMaxPasswdBytes.
#ifndef MINIJAIL_SHIM_PASSWD_HOME_H_
#define MINIJAIL_SHIM_PASSWD_HOME_H_

#include <sys/types.h>

#include <cstddef>
#include <string>

namespace shim {

// A bigger /etc/passwd is treated as absent.
inline constexpr size_t kMaxPasswdBytes = 1 << 20;

// `rootfs`: the container's root on the host ("" or "/": the runtime's own).
std::string HomeFromPasswd(const std::string& rootfs, uid_t uid);

}  // namespace shim

#endif  // MINIJAIL_SHIM_PASSWD_HOME_H_
