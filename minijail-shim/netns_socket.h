// A socket that belongs to another network namespace. A socket's network
// namespace is fixed when the socket is made, and the network namespace is
// a per-thread attribute, so a short-lived thread enters the namespace,
// makes the socket and ends: the runtime's own threads never leave theirs.
#ifndef MINIJAIL_SHIM_NETNS_SOCKET_H_
#define MINIJAIL_SHIM_NETNS_SOCKET_H_

#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"

namespace shim {

// socket(domain, type | SOCK_CLOEXEC, protocol) inside the network
// namespace `netns_fd` (an open /proc/<pid>/ns/net or bind-mounted one).
absl::StatusOr<base::ScopedFd> SocketInNetworkNamespace(int netns_fd,
                                                        int domain, int type,
                                                        int protocol);

}  // namespace shim

#endif  // MINIJAIL_SHIM_NETNS_SOCKET_H_
