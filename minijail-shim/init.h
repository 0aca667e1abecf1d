// The small init that is pid 1 when JailSpec::run_as_init is false: it
// forwards signals to the program, reaps every orphan the pid namespace
// hands it, and exits with the program's status (128 + signal when the
// program was killed: pid 1 cannot re-raise a default-action signal on
// itself, the kernel ignores it for a namespace init).
#ifndef MINIJAIL_SHIM_INIT_H_
#define MINIJAIL_SHIM_INIT_H_

#include <signal.h>
#include <sys/types.h>

namespace shim {

// Child side. Blocks every signal in `saved` and the caller; call before
// forking the program, which restores `saved` before execve.
void BlockAllSignals(sigset_t* saved);

// Runs the init loop for `program`; never returns. Signals must be blocked.
// Closes every fd above 2 first: the init itself needs none.
[[noreturn]] void RunInit(pid_t program);

}  // namespace shim

#endif  // MINIJAIL_SHIM_INIT_H_
