// process.terminal: the container's pseudo-terminal, child side.
#ifndef MINIJAIL_SHIM_CONSOLE_H_
#define MINIJAIL_SHIM_CONSOLE_H_

#include "minijail-shim/child.h"

namespace shim {

// With spec.console_socket_fd set: opens ptmx in the container's devpts at
// /dev/pts (after pivot_root; checked, see console.cc), sends the master to the
// socket with the slave's path as the message, and makes the slave
// stdin/stdout/stderr and the controlling terminal of a new session. Before the
// ids change, so that the slave can be given to the container's user.
// Async-signal-safe.
void SetUpConsole(const ChildPlan& plan);

}  // namespace shim

#endif  // MINIJAIL_SHIM_CONSOLE_H_
