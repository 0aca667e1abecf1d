// The commands that start a container run from a sealed view of run_oci's
// binary (CVE-2019-5736; minijail-shim/sealed_exe.h says how and why):
// main() re-executes itself through the view before anything else happens.
#ifndef RUN_OCI_SEALED_REEXEC_H_
#define RUN_OCI_SEALED_REEXEC_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"
#include "run_oci/cli.h"

namespace run_oci {

// Set for the re-executed image only, to the first image's start
// (CLOCK_MONOTONIC ns, for --timings). It ends the re-exec: with it set,
// /proc/self/exe must already be sealed, or the command fails; it is
// removed from the environment at once, so nothing run_oci starts sees it.
inline constexpr char kSealedExecEnv[] = "RUN_OCI_SEALED_EXEC";
// "overlay" or "memfd" forces that kind of view (benchmarks, tests); unset:
// overlay, the memfd where overlayfs cannot be used.
inline constexpr char kSealMethodEnv[] = "RUN_OCI_SEAL_METHOD";

// run, create, and start (Chromium's start creates the container when it
// does not exist yet; a start of a created one re-execs too, needlessly
// but cheaply), restore and exec.
bool StartsContainer(Command command);

// Returns OK at once for other commands. For one that starts a container:
// returns OK if this process already runs from a sealed view, otherwise
// re-executes `argv` through a new one and returns only on failure.
// Except for a plain `run` (no --respawn, no --log_dir) and `exec`, unless
// RUN_OCI_SEAL_METHOD is set: it returns OK at once and keeps `argv`, and
// the choice waits for the config (ExecStubOrSealedReexec).
absl::Status RunFromSealedExe(const CommandLine& cl, char** argv);

// For a command that put the choice off, once it knows the process and
// before anything else is done: the exec stub (minijail-shim/exec_stub.h)
// when `refusal()` (libcontainer/exec_stub_choice.h; asked only then) is
// empty and the stub
// can be made, so that this image never needs sealing; otherwise
// re-executes through the sealed view as RunFromSealedExe would have,
// returning only on failure. Without a choice put off: an empty fd.
absl::StatusOr<base::ScopedFd> ExecStubOrSealedReexec(
    absl::FunctionRef<std::string()> refusal);

}  // namespace run_oci

#endif  // RUN_OCI_SEALED_REEXEC_H_
