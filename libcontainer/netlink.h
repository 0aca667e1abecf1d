// A minimal rtnetlink client: build one request, send it, read its ack or
// its dump. Enough to move a network device between namespaces and copy
// its addresses (OCI linux.netDevices), nothing more.
#ifndef LIBCONTAINER_NETLINK_H_
#define LIBCONTAINER_NETLINK_H_

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"

namespace libcontainer {

// One netlink request: nlmsghdr, a fixed family header T (ifinfomsg,
// ifaddrmsg), then attributes.
class NetlinkRequest {
 public:
  NetlinkRequest(uint16_t type, uint16_t flags, const void* family_header,
                 size_t header_size);
  template <typename T>
  static NetlinkRequest Make(uint16_t type, uint16_t flags, const T& header) {
    return NetlinkRequest(type, flags, &header, sizeof(header));
  }

  void AddAttr(uint16_t type, const void* data, size_t size);
  void AddU32(uint16_t type, uint32_t value) {
    AddAttr(type, &value, sizeof(value));
  }
  void AddString(uint16_t type, absl::string_view value);  // NUL-terminated

  nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buffer_.data()); }
  const std::string& bytes() const { return buffer_; }

 private:
  std::string buffer_;
};

// The attributes of one message, by type (the last of a repeated type).
using NetlinkAttrs = std::map<uint16_t, absl::string_view>;
NetlinkAttrs ParseAttrs(const rtattr* first, size_t size);

class Netlink {
 public:
  // A NETLINK_ROUTE socket in the caller's network namespace.
  static absl::StatusOr<Netlink> Open();
  // One made elsewhere (shim::SocketInNetworkNamespace).
  explicit Netlink(base::ScopedFd fd) : fd_(std::move(fd)) {}

  // Sends `request` with NLM_F_ACK and waits for the kernel's ack, passing
  // any answer before it (a get's reply) to `each`; `what` prefixes the
  // error ("move eth0: File exists").
  absl::Status Call(NetlinkRequest& request, absl::string_view what,
                    const std::function<void(const nlmsghdr&)>& each = nullptr);
  // Sends a NLM_F_DUMP request and calls `each` for every answer.
  absl::Status Dump(NetlinkRequest& request,
                    const std::function<void(const nlmsghdr&)>& each,
                    absl::string_view what);

 private:
  absl::Status Send(NetlinkRequest& request, absl::string_view what);
  // Reads answers to sequence number `seq` until the ack (or, for a
  // dump, NLMSG_DONE).
  absl::Status Receive(uint32_t seq,
                       const std::function<void(const nlmsghdr&)>& each,
                       absl::string_view what);

  base::ScopedFd fd_;
  uint32_t seq_ = 0;
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_NETLINK_H_
