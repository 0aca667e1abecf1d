// The test's end of runc's --console-socket: a listening unix socket on
// which the runtime connects and sends the master of the container's
// pseudo-terminal (SCM_RIGHTS), and a reader of that terminal.
#ifndef TESTS_TESTING_CONSOLE_SOCKET_H_
#define TESTS_TESTING_CONSOLE_SOCKET_H_

#include <string>

#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"

namespace ocitest {

// A SOCK_STREAM unix socket bound at `path` and listening (backlog 4).
absl::StatusOr<base::ScopedFd> ListenConsoleSocket(const std::string& path);

// Accepts one connection within `timeout_ms` and takes the fd sent on it;
// `name` (if given) gets the message that came with it. Invalid on any
// failure.
base::ScopedFd ReceiveConsoleMaster(int listener, int timeout_ms,
                                    std::string* name = nullptr);

// Everything written to the terminal until it hangs up (EIO once the last
// slave fd is closed) or `timeout_ms` passes without output.
std::string ReadUntilHangup(int master, int timeout_ms);

}  // namespace ocitest

#endif  // TESTS_TESTING_CONSOLE_SOCKET_H_
