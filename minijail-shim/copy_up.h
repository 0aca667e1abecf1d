// tmpcopyup (podman's mounts with --read-only, crun's option): a new tmpfs
// starts with a copy of the rootfs directory it is about to cover. Child
// side, in the container's mount namespace before pivot_root, while the
// tmpfs is still detached (nobody sees it half filled). Async-signal-safe:
// getdents64 into a buffer on the stack per directory level, no allocation.
//
// Nothing in the source is followed: each entry is opened by name beneath
// its parent's fd with O_PATH | O_NOFOLLOW and examined on that fd, a
// symlink is copied as a link (its target is never looked up), and a
// regular file is read through a reopen of the very inode checked, so an
// entry swapped for a link, a FIFO or a device meanwhile is neither
// followed, nor blocked on, nor opened.
#ifndef MINIJAIL_SHIM_COPY_UP_H_
#define MINIJAIL_SHIM_COPY_UP_H_

#include "minijail-shim/sync_pipe.h"

namespace shim {

// Directory levels copied at most (each costs a few KiB of stack).
inline constexpr int kCopyUpMaxDepth = 64;

// Copies what the directory `src` holds (regular files with their data,
// directories, symlinks, device nodes, FIFOs and sockets; each with its
// mode and owner; hard links become separate files) into `dst`, the root
// of the new tmpfs. With `root_mode` / `root_owner`, `dst` itself also gets
// the mode / owner of `src` (unless the mount's own mode=, uid=, gid= say
// otherwise, the tmpfs is to look like the directory it covers).
// 0 or errno, with *op naming the call that failed.
int CopyUpTree(int src, int dst, bool root_mode, bool root_owner, Op* op);

}  // namespace shim

#endif  // MINIJAIL_SHIM_COPY_UP_H_
