#include "libcontainer/net_devices.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/netlink.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/netns_socket.h"

namespace libcontainer {
namespace {

// One address as the kernel reported it, to be added again after the move
// (moving a device to another namespace drops its addresses).
struct SavedAddress {
  ifaddrmsg header;
  std::map<uint16_t, std::string> attrs;
};

std::string Field(const NetDevice& device) {
  return absl::StrCat("config.json: linux.netDevices.", device.host_name);
}

// The spec keeps "permanent IP addresses (IFA_F_PERMANENT) of any family
// with global scope (RT_SCOPE_UNIVERSE)"; link-local and dynamic ones are
// the kernel's or a DHCP client's to make again.
absl::StatusOr<std::vector<SavedAddress>> PermanentAddresses(
    Netlink& netlink, int index, const NetDevice& d) {
  ifaddrmsg query = {};
  query.ifa_family = AF_UNSPEC;
  NetlinkRequest request = NetlinkRequest::Make(RTM_GETADDR, 0, query);
  std::vector<SavedAddress> saved;
  RETURN_IF_ERROR(netlink.Dump(
      request,
      [&](const nlmsghdr& h) {
        if (h.nlmsg_type != RTM_NEWADDR) return;
        const auto* msg = static_cast<const ifaddrmsg*>(NLMSG_DATA(&h));
        if (static_cast<int>(msg->ifa_index) != index ||
            msg->ifa_scope != RT_SCOPE_UNIVERSE) {
          return;
        }
        NetlinkAttrs attrs = ParseAttrs(IFA_RTA(msg), IFA_PAYLOAD(&h));
        uint32_t flags = msg->ifa_flags;
        if (auto it = attrs.find(IFA_FLAGS);
            it != attrs.end() && it->second.size() == sizeof(uint32_t)) {
          memcpy(&flags, it->second.data(), sizeof(flags));
        }
        if (!(flags & IFA_F_PERMANENT)) return;
        SavedAddress address;
        address.header = *msg;
        for (uint16_t type :
             {IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_FLAGS}) {
          if (auto it = attrs.find(type); it != attrs.end()) {
            address.attrs[type] = std::string(it->second);
          }
        }
        saved.push_back(std::move(address));
      },
      absl::StrCat(Field(d), ": list addresses")));
  return saved;
}

// The index of device `name`, 0 when there is none.
absl::StatusOr<int> FindByName(Netlink& netlink, const std::string& name,
                               const NetDevice& d) {
  ifinfomsg query = {};
  NetlinkRequest request = NetlinkRequest::Make(RTM_GETLINK, 0, query);
  request.AddString(IFLA_IFNAME, name);
  int index = 0;
  absl::Status status = netlink.Call(
      request, absl::StrCat(Field(d), ": find ", name, " in the container"),
      [&](const nlmsghdr& h) {
        if (h.nlmsg_type != RTM_NEWLINK) return;
        index = static_cast<const ifinfomsg*>(NLMSG_DATA(&h))->ifi_index;
      });
  if (absl::IsNotFound(status)) return 0;  // ENODEV
  RETURN_IF_ERROR(status);
  return index;
}

absl::StatusOr<int> IndexByName(Netlink& netlink, const std::string& name,
                                const NetDevice& d) {
  ASSIGN_OR_RETURN(int index, FindByName(netlink, name, d));
  if (index == 0) {
    return absl::NotFoundError(
        absl::StrCat(Field(d), ": ", name, " did not arrive in the container"));
  }
  return index;
}

// The name the device has in the container: a "%d" template is expanded by
// the kernel, which keeps the device's index when it is free there (in a
// new namespace only lo's 1 is taken), so look the device up by index then.
absl::StatusOr<int> IndexInContainer(Netlink& netlink, int host_index,
                                     const NetDevice& d) {
  const std::string& name = d.name.empty() ? d.host_name : d.name;
  if (!absl::StrContains(name, "%d")) return IndexByName(netlink, name, d);
  ifinfomsg query = {};
  query.ifi_index = host_index;
  NetlinkRequest request = NetlinkRequest::Make(RTM_GETLINK, 0, query);
  RETURN_IF_ERROR(netlink.Call(
      request, absl::StrCat(Field(d), ": find index ", host_index)));
  return host_index;
}

absl::Status MoveOne(Netlink& host, Netlink& container, int netns_fd,
                     const NetDevice& d, int index) {
  // The kernel moves the device first and renames it second, so a taken
  // name would leave it moved under its old name: check before (nothing
  // else adds devices to a namespace the container is still being set up
  // in). A "%d" template always finds a free name.
  const std::string& name = d.name.empty() ? d.host_name : d.name;
  if (!absl::StrContains(name, "%d")) {
    ASSIGN_OR_RETURN(int taken, FindByName(container, name, d));
    if (taken != 0) {
      return absl::AlreadyExistsError(absl::StrCat(
          Field(d), ": the container already has a network device named ",
          name));
    }
  }
  ASSIGN_OR_RETURN(std::vector<SavedAddress> addresses,
                   PermanentAddresses(host, index, d));
  ifinfomsg link = {};
  link.ifi_family = AF_UNSPEC;
  link.ifi_index = index;
  NetlinkRequest move = NetlinkRequest::Make(RTM_NEWLINK, 0, link);
  move.AddU32(IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
  // One request moves and renames; the kernel expands a "%d" template.
  if (!d.name.empty()) move.AddString(IFLA_IFNAME, d.name);
  RETURN_IF_ERROR(host.Call(move, absl::StrCat(Field(d), ": move")));

  ASSIGN_OR_RETURN(int new_index, IndexInContainer(container, index, d));
  for (const SavedAddress& saved : addresses) {
    ifaddrmsg header = saved.header;
    header.ifa_index = static_cast<uint32_t>(new_index);
    NetlinkRequest add =
        NetlinkRequest::Make(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, header);
    for (const auto& [type, value] : saved.attrs) {
      add.AddAttr(type, value.data(), value.size());
    }
    RETURN_IF_ERROR(
        container.Call(add, absl::StrCat(Field(d), ": add address")));
  }
  ifinfomsg up = {};
  up.ifi_family = AF_UNSPEC;
  up.ifi_index = new_index;
  up.ifi_flags = IFF_UP;
  up.ifi_change = IFF_UP;
  NetlinkRequest set_up = NetlinkRequest::Make(RTM_NEWLINK, 0, up);
  return container.Call(set_up, absl::StrCat(Field(d), ": set up"));
}

}  // namespace

absl::Status MoveNetDevices(const std::vector<NetDevice>& devices,
                            int netns_fd) {
  if (devices.empty()) return absl::OkStatus();
  std::vector<int> indexes;
  for (const NetDevice& d : devices) {
    const unsigned int index = if_nametoindex(d.host_name.c_str());
    if (index == 0) {
      return absl::NotFoundError(
          absl::StrCat(Field(d), ": no network device ", d.host_name,
                       " in the runtime's network namespace"));
    }
    indexes.push_back(static_cast<int>(index));
  }
  ASSIGN_OR_RETURN(Netlink host, Netlink::Open());
  ASSIGN_OR_RETURN(base::ScopedFd fd,
                   shim::SocketInNetworkNamespace(netns_fd, AF_NETLINK,
                                                  SOCK_RAW, NETLINK_ROUTE));
  Netlink container(std::move(fd));
  for (size_t i = 0; i < devices.size(); ++i) {
    RETURN_IF_ERROR(MoveOne(host, container, netns_fd, devices[i], indexes[i]));
  }
  return absl::OkStatus();
}

}  // namespace libcontainer
