// systemd's readiness protocol (sd_notify(3)) for a run_oci started with
// NOTIFY_SOCKET (a Type=notify unit): once the container is up, through its
// poststart hooks, run_oci sends "READY=1" and "MAINPID=" to that socket.
// When the container is to say itself when it is ready (annotation
// org.chromium.run_oci.notify "container", or --notify-socket, as runc and
// crun always do), run_oci binds a socket of its own into the container at
// /run/notify/notify.sock, sets NOTIFY_SOCKET there, and relays the
// container's READY=1, waiting at most --ready_timeout.
#ifndef RUN_OCI_NOTIFY_SOCKET_H_
#define RUN_OCI_NOTIFY_SOCKET_H_

#include <sys/types.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libcontainer/config.h"
#include "minijail-shim/base/scoped_fd.h"

namespace run_oci {

inline constexpr char kNotifyAnnotation[] = "org.chromium.run_oci.notify";
inline constexpr char kContainerNotifyDir[] = "/run/notify";
inline constexpr char kContainerNotifySocket[] = "/run/notify/notify.sock";

// NOTIFY_SOCKET of this process, empty when unset.
std::string HostNotifySocket();

// Sends `message` as one datagram to NOTIFY_SOCKET (a path, or "@name" for
// an abstract socket); nothing when it is unset.
absl::Status NotifyHost(absl::string_view message);

// "READY=1\nMAINPID=<pid>\n" to NOTIFY_SOCKET.
absl::Status NotifyReady(pid_t main_pid);

// Whether the container notifies itself: --notify-socket, or the
// annotation ("container"; "runtime", the default, means run_oci does).
// Bad annotation values are an error naming it.
absl::StatusOr<bool> ContainerNotifies(
    bool flag, const std::map<std::string, std::string>& annotations);

// The socket the container notifies through: <dir>/notify/notify.sock.
class ContainerNotifySocket {
 public:
  // Creates and binds it (anyone may send: the container's root may be an
  // unprivileged host uid), and adds the bind of <dir>/notify at
  // /run/notify and NOTIFY_SOCKET to `config`.
  static absl::StatusOr<ContainerNotifySocket> Create(
      const std::string& state_dir, libcontainer::Config* config);

  // The two halves of Create for the OCI create-then-start, whose create
  // process exits before the container runs (as runc does it): create
  // makes <dir>/notify and adds its bind and NOTIFY_SOCKET to `config`; a
  // directory bind, so the socket start binds there later is seen inside.
  static absl::Status AddToConfig(const std::string& state_dir,
                                  libcontainer::Config* config);
  // Binds <dir>/notify/notify.sock afresh (a stale one from an earlier
  // bind is unlinked; a symlink there is refused).
  static absl::StatusOr<ContainerNotifySocket> Bind(
      const std::string& state_dir);
  // Whether create made <dir>/notify: the container notifies itself.
  static bool WasAddedAtCreate(const std::string& state_dir);

  // Waits until a datagram with a READY=1 line arrives, `pidfd` (the
  // container's init) exits, or `timeout` passes; the last two are errors
  // naming `id`.
  absl::Status WaitForReady(const std::string& id, int pidfd,
                            absl::Duration timeout) const;

  int fd() const { return fd_.get(); }

 private:
  explicit ContainerNotifySocket(base::ScopedFd fd) : fd_(std::move(fd)) {}
  base::ScopedFd fd_;
};

}  // namespace run_oci

#endif  // RUN_OCI_NOTIFY_SOCKET_H_
