#include "libcontainer/netlink.h"

#include <errno.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/errno_status.h"

namespace libcontainer {
namespace {

constexpr size_t kReceiveBuffer = 32768;

void AlignTo4(std::string* buffer) {
  buffer->resize(NLMSG_ALIGN(buffer->size()), '\0');
}

}  // namespace

NetlinkRequest::NetlinkRequest(uint16_t type, uint16_t flags,
                               const void* family_header, size_t header_size) {
  buffer_.resize(NLMSG_HDRLEN, '\0');
  buffer_.append(static_cast<const char*>(family_header), header_size);
  AlignTo4(&buffer_);
  header()->nlmsg_type = type;
  header()->nlmsg_flags = NLM_F_REQUEST | flags;
}

void NetlinkRequest::AddAttr(uint16_t type, const void* data, size_t size) {
  rtattr attr;
  attr.rta_type = type;
  attr.rta_len = static_cast<uint16_t>(RTA_LENGTH(size));
  buffer_.append(reinterpret_cast<const char*>(&attr), sizeof(attr));
  buffer_.append(static_cast<const char*>(data), size);
  AlignTo4(&buffer_);
}

void NetlinkRequest::AddString(uint16_t type, absl::string_view value) {
  std::string terminated(value);
  AddAttr(type, terminated.c_str(), terminated.size() + 1);
}

NetlinkAttrs ParseAttrs(const rtattr* first, size_t size) {
  NetlinkAttrs attrs;
  int left = static_cast<int>(size);
  for (const rtattr* a = first; RTA_OK(a, left); a = RTA_NEXT(a, left)) {
    attrs[a->rta_type] = absl::string_view(
        static_cast<const char*>(RTA_DATA(a)), RTA_PAYLOAD(a));
  }
  return attrs;
}

absl::StatusOr<Netlink> Netlink::Open() {
  base::ScopedFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) return base::ErrnoStatus(errno, "netlink: socket");
  return Netlink(std::move(fd));
}

absl::Status Netlink::Send(NetlinkRequest& request, absl::string_view what) {
  nlmsghdr* h = request.header();
  h->nlmsg_len = static_cast<uint32_t>(request.bytes().size());
  h->nlmsg_seq = ++seq_;
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do {
    n = sendto(fd_.get(), request.bytes().data(), request.bytes().size(), 0,
               reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel));
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(request.bytes().size())) {
    return base::ErrnoStatus(n < 0 ? errno : EIO,
                             absl::StrCat(what, ": netlink send"));
  }
  return absl::OkStatus();
}

absl::Status Netlink::Receive(uint32_t seq,
                              const std::function<void(const nlmsghdr&)>& each,
                              absl::string_view what) {
  std::string buffer(kReceiveBuffer, '\0');
  for (;;) {
    ssize_t n;
    do {
      n = recv(fd_.get(), buffer.data(), buffer.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
      return base::ErrnoStatus(errno, absl::StrCat(what, ": netlink recv"));
    int left = static_cast<int>(n);
    for (const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(buffer.data());
         NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue;  // a late answer to an old request
      if (h->nlmsg_type == NLMSG_DONE) return absl::OkStatus();
      if (h->nlmsg_type == NLMSG_ERROR) {
        const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        if (e->error == 0) return absl::OkStatus();  // the ack
        return base::ErrnoStatus(-e->error, what);
      }
      if (each) each(*h);
    }
  }
}

absl::Status Netlink::Call(NetlinkRequest& request, absl::string_view what,
                           const std::function<void(const nlmsghdr&)>& each) {
  request.header()->nlmsg_flags |= NLM_F_ACK;
  absl::Status sent = Send(request, what);
  if (!sent.ok()) return sent;
  return Receive(seq_, each, what);
}

absl::Status Netlink::Dump(NetlinkRequest& request,
                           const std::function<void(const nlmsghdr&)>& each,
                           absl::string_view what) {
  request.header()->nlmsg_flags |= NLM_F_DUMP;
  absl::Status sent = Send(request, what);
  if (!sent.ok()) return sent;
  return Receive(seq_, each, what);
}

}  // namespace libcontainer
