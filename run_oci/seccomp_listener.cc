#include "run_oci/seccomp_listener.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/fd_passing.h"
#include "minijail-shim/base/scoped_fd.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/state_json.h"

namespace run_oci {
namespace {

absl::Status Failed(const std::string& path, absl::string_view step, int err) {
  return absl::FailedPreconditionError(
      absl::StrCat("config.json: linux.seccomp.listenerPath ", path, ": ", step,
                   ": ", strerror(err)));
}

}  // namespace

std::string ContainerProcessStateJson(pid_t pid, const std::string& metadata,
                                      const std::string& state_json) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("ociVersion");
  w.String(kOciStateVersion);
  w.Key("fds");
  w.StartArray();
  w.String("seccompFd");
  w.EndArray();
  w.Key("pid");
  w.Int(pid);
  if (!metadata.empty()) {
    w.Key("metadata");
    w.String(metadata);
  }
  w.Key("state");
  // Our own state JSON, spliced in as it is (it is one object).
  w.RawValue(state_json.data(), state_json.size(), rapidjson::kObjectType);
  w.EndObject();
  return buffer.GetString();
}

absl::Status SendSeccompListener(const std::string& listener_path,
                                 int seccomp_fd,
                                 const std::string& process_state_json) {
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (listener_path.size() >= sizeof(addr.sun_path)) {
    return Failed(listener_path, "path", ENAMETOOLONG);
  }
  memcpy(addr.sun_path, listener_path.c_str(), listener_path.size() + 1);
  // SOCK_STREAM, as the spec requires of the agent's socket.
  base::ScopedFd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return Failed(listener_path, "socket", errno);
  if (connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) !=
      0) {
    return Failed(listener_path, "connect", errno);
  }
  const ssize_t sent = base::SendWithFd(sock.get(), process_state_json.data(),
                                        process_state_json.size(), seccomp_fd);
  if (sent < 0) return Failed(listener_path, "sendmsg", errno);
  // The fds go with the first byte; the rest of a long state follows.
  size_t done = static_cast<size_t>(sent);
  while (done < process_state_json.size()) {
    ssize_t n = send(sock.get(), process_state_json.data() + done,
                     process_state_json.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failed(listener_path, "send", errno);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace run_oci
