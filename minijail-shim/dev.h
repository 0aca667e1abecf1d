// /dev inside the container, child side, before pivot_root: the default
// tmpfs /dev (when the spec mounts none), the default nodes in a spec's /dev
// tmpfs, and the spec's device nodes. In a
// new user namespace mknod is not allowed, so character and block devices
// become bind mounts of the host's node at the same path, as runc does.
#ifndef MINIJAIL_SHIM_DEV_H_
#define MINIJAIL_SHIM_DEV_H_

#include "minijail-shim/child.h"

namespace shim {

// tmpfs on /dev with null, zero, full, random, urandom, tty, pts, shm,
// mqueue and the fd/stdio/ptmx symlinks. Error indexes follow that order
// (see the names in sync_pipe.cc).
void MakeDefaultDev(const ChildPlan& plan, int root_fd);

// The same nodes, links and mounts in `dev`, the root of a tmpfs just
// mounted on /dev (a spec's own, with its options): created with *at calls
// relative to it, so nothing the rootfs holds is followed.
void PopulateDev(const ChildPlan& plan, int dev);

// spec.devices: parents created, mknod with mode and dev, then chown.
void MakeDevices(const ChildPlan& plan, int root_fd);

}  // namespace shim

#endif  // MINIJAIL_SHIM_DEV_H_
