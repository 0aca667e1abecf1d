// The OCI create/start split (JailSpec::start_fd): how `start`, a later
// process, releases the child that `create` left waiting after kReady, and
// learns whether its startContainer hooks passed and execve happened.
//
// `create` listens on a unix SOCK_SEQPACKET socket in the state directory
// (one inode, like the fifo it replaces) and hands the listening fd to the
// child. The child accepts, reads one byte ("go"), moves the connection
// onto its sync socket's number and carries on: a failure from then on
// (a start hook, execve) is one record on that connection, followed by the
// failing hook's name; success is EOF, when execve closes the
// close-on-exec connection. A connection closed before its byte arrives
// (a `start` killed halfway) is dropped and the child accepts again.
//
// Paths: bind/connect go through /proc/self/fd/<dir fd>/<name>, so the
// state directory's own path may be longer than sun_path's 108 bytes.
#ifndef MINIJAIL_SHIM_START_CHANNEL_H_
#define MINIJAIL_SHIM_START_CHANNEL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/child.h"

namespace shim {

// create: a listening socket at <dir_fd>/<name> for JailSpec::start_fd.
absl::StatusOr<base::ScopedFd> ListenForStart(int dir_fd,
                                              absl::string_view name);

// start: connects to <dir_fd>/<name>, releases the child and waits until
// it has exec'd (OK) or failed (its error: "hook startContainer[0] /bin/x:
// exited with status 3", or "jail: exec (<program>): ..."). `program` is
// only for the words of an execve failure. A child that dies without a
// word (SIGKILL meanwhile) looks like success; the caller sees it stopped.
absl::Status ReleaseWaitingChild(int dir_fd, absl::string_view name,
                                 absl::string_view program);

// Child side; async-signal-safe. Blocks until released (see above); ends
// the process if the listening socket fails.
void ChildAwaitStart(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_START_CHANNEL_H_
