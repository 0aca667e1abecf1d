// OCI linux.netDevices (runtime-spec 1.3): existing host network devices
// moved into the container's network namespace, renamed when asked, with
// their permanent global addresses kept and the link set up.
#ifndef LIBCONTAINER_NET_DEVICES_H_
#define LIBCONTAINER_NET_DEVICES_H_

#include <vector>

#include "absl/status/status.h"
#include "libcontainer/config.h"

namespace libcontainer {

// Moves every device of `devices` from the caller's network namespace into
// `netns_fd`'s. All of them must exist before any is moved. Errors read
// "config.json: linux.netDevices.<host name>: <what>". Nothing moves back
// on teardown: the spec leaves that to the kernel (a virtual device goes
// with its namespace, a physical one returns to the initial namespace).
absl::Status MoveNetDevices(const std::vector<NetDevice>& devices,
                            int netns_fd);

}  // namespace libcontainer

#endif  // LIBCONTAINER_NET_DEVICES_H_
