// Device rules on cgroup v2, which has no devices controller: a
// BPF_PROG_TYPE_CGROUP_DEVICE program attached to the container's cgroup
// decides every open and mknod of a device node instead.
#ifndef LIBCONTAINER_DEVICE_FILTER_H_
#define LIBCONTAINER_DEVICE_FILTER_H_

#include <linux/bpf.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/resources.h"
#include "minijail-shim/base/scoped_fd.h"

namespace libcontainer {

// The program for `rules`, applied in order as the v1 devices controller
// applies writes to devices.allow/deny. Each requested access (mknod,
// read, write) is decided on its own by the last rule that names it and
// matches the device's type, major and minor; a rule of type a names every
// device and access (v1 reads it so). An access no rule names is allowed,
// as in a new v1 cgroup before its first "deny a". A request is granted
// when all its accesses are. Empty when the rules are too many for one
// program's jumps.
std::vector<struct bpf_insn> CompileDeviceFilter(
    const std::vector<CgroupDeviceRule>& rules);

// Loads `program` and attaches it to the cgroup2 directory `dir`
// (BPF_F_ALLOW_MULTI, so that the programs of the cgroups above still
// apply), in place of `replace` when that is a valid fd of a program this
// function attached there before. The returned fd names the program.
absl::StatusOr<base::ScopedFd> AttachDeviceFilter(
    const std::string& dir, const std::vector<struct bpf_insn>& program,
    const base::ScopedFd& replace);

}  // namespace libcontainer

#endif  // LIBCONTAINER_DEVICE_FILTER_H_
