// Which kernel namespace, if any, isolates a sysctl. A container may set
// only sysctls its own namespaces hold (runtime-spec: "for the container");
// every other one changes the host. The split follows the kernel's
// per-namespace sysctl tables (net/, ipc/ipc_sysctl.c, ipc/mq_sysctl.c,
// kernel/utsname_sysctl.c) and agrees with runc's and crun's validators.
#ifndef LIBCONTAINER_SYSCTL_SCOPE_H_
#define LIBCONTAINER_SYSCTL_SCOPE_H_

#include "absl/strings/string_view.h"
#include "libcontainer/config.h"

namespace libcontainer {

enum class SysctlScope { kIpc, kUts, kNetwork, kNotNamespaced, kInvalid };

// `name` in either spelling: "net.ipv4.ip_forward", or with '/' so that a
// component may hold a '.' ("net/ipv4/conf/eth0.100/forwarding").
// kInvalid: an empty, "." or ".." component, which would leave /proc/sys.
SysctlScope ClassifySysctl(absl::string_view name);

// The namespace type that holds sysctls of `scope` (kIpc, kUts, kNetwork).
NamespaceType SysctlNamespace(SysctlScope scope);

}  // namespace libcontainer

#endif  // LIBCONTAINER_SYSCTL_SCOPE_H_
