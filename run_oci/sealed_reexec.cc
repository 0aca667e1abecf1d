#include "run_oci/sealed_reexec.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/exec_stub.h"
#include "minijail-shim/sealed_exe.h"
#include "run_oci/logging.h"
#include "run_oci/timings.h"

namespace run_oci {
namespace {

// Reads and removes the marker. Its value is only a time stamp: what makes
// the re-exec safe is checked on /proc/self/exe itself.
std::optional<int64_t> TakeSealedExecMarker() {
  const char* value = getenv(kSealedExecEnv);
  if (value == nullptr) return std::nullopt;
  int64_t ns = 0;
  if (!absl::SimpleAtoi(value, &ns)) ns = 0;
  unsetenv(kSealedExecEnv);
  return ns;
}

absl::StatusOr<shim::SealMethod> SealMethodFromEnv() {
  const char* value = getenv(kSealMethodEnv);
  if (value == nullptr || *value == '\0') return shim::SealMethod::kAuto;
  const std::string method = value;
  if (method == "overlay") return shim::SealMethod::kOverlay;
  if (method == "memfd") return shim::SealMethod::kMemfd;
  return absl::InvalidArgumentError(absl::StrCat(
      kSealMethodEnv, "=", method, ": must be \"overlay\" or \"memfd\""));
}

// The first image's start becomes the process start, so that --timings
// shows the re-exec as its own phase and the total stays the whole run.
void RecordFirstImageStart(int64_t first_start) {
  RunTimes& times = GlobalRunTimes();
  times.sealed = times.process_start;
  if (first_start > 0 && first_start <= times.sealed) {
    times.process_start = first_start;
  }
}

// Set by RunFromSealedExe when a run's choice waits for its config.
char** g_deferred_argv = nullptr;

// execveat(fd, "") names the process after the fd number on older kernels
// (comm "3" instead of "run_oci"); ps and pgrep should see what they saw.
void RestoreProcessName() {
  const char* name = strrchr(program_invocation_name, '/');
  name = name == nullptr ? program_invocation_name : name + 1;
  char comm[16] = {};
  strncpy(comm, name, sizeof(comm) - 1);
  prctl(PR_SET_NAME, comm);
}

bool DefersChoice(const CommandLine& cl) {
  const char* method = getenv(kSealMethodEnv);
  if (method != nullptr && *method != '\0') return false;
  return cl.command == Command::kExec ||
         (cl.command == Command::kRun && cl.respawn.empty() &&
          cl.log_dir.empty());
}

absl::Status ReexecSealed(char** argv) {
  const int64_t first_start = GlobalRunTimes().process_start;
  ASSIGN_OR_RETURN(shim::SealMethod method, SealMethodFromEnv());
  absl::StatusOr<shim::SealedExe> exe = shim::SealSelfExe(method);
  if (!exe.ok()) {
    return absl::Status(
        exe.status().code(),
        absl::StrCat("sealing run_oci's binary against the container "
                     "(CVE-2019-5736): ",
                     exe.status().message()));
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(absl::StrCat(kSealedExecEnv, "=", first_start));
  std::vector<char*> envp = base::NullTerminated(env_strings);
  return shim::ExecSealed(*exe, argv, envp.data());
}

}  // namespace

bool StartsContainer(Command command) {
  switch (command) {
    case Command::kRun:
    case Command::kCreate:
    case Command::kStart:
    case Command::kRestore:  // CRIU starts it, but from our process
    case Command::kExec:     // its process enters the container
      return true;
    case Command::kState:
    case Command::kKill:
    case Command::kDestroy:
    case Command::kPs:
    case Command::kList:
    case Command::kFeatures:
    case Command::kSpec:
    case Command::kCheck:  // reads files only
    case Command::kPause:
    case Command::kResume:
    case Command::kUpdate:
    case Command::kEvents:
    case Command::kCheckpoint:
      return false;
  }
  // A command added without a case here: sealed, to be safe.
  return true;
}

absl::Status RunFromSealedExe(const CommandLine& cl, char** argv) {
  const std::optional<int64_t> marker = TakeSealedExecMarker();
  if (!StartsContainer(cl.command)) return absl::OkStatus();
  if (marker.has_value()) {
    // Never a second re-exec: if the view did not take, say so.
    ASSIGN_OR_RETURN(bool sealed, shim::SelfExeIsSealed());
    if (!sealed) {
      return absl::FailedPreconditionError(
          absl::StrCat(kSealedExecEnv,
                       " is set but /proc/self/exe is not a sealed view of "
                       "run_oci (CVE-2019-5736)"));
    }
    RecordFirstImageStart(*marker);
    RestoreProcessName();
    return absl::OkStatus();
  }
  if (DefersChoice(cl)) {
    g_deferred_argv = argv;
    return absl::OkStatus();
  }
  return ReexecSealed(argv);
}

absl::StatusOr<base::ScopedFd> ExecStubOrSealedReexec(
    absl::FunctionRef<std::string()> refusal) {
  if (g_deferred_argv == nullptr) return base::ScopedFd();
  char** argv = g_deferred_argv;
  g_deferred_argv = nullptr;
  std::string why = refusal();
  if (why.empty()) {
    absl::StatusOr<base::ScopedFd> stub = shim::MakeExecStub();
    if (stub.ok()) {
      // --timings: a "sealed exec" of no time, the parse goes on.
      GlobalRunTimes().sealed = GlobalRunTimes().process_start;
      LogInfo("the program is executed through the exec stub");
      return stub;
    }
    why = std::string(stub.status().message());
  }
  LogInfo(absl::StrCat("re-executing from a sealed view: ", why));
  RETURN_IF_ERROR(ReexecSealed(argv));
  return base::ScopedFd();  // not reached: ReexecSealed returns an error
}

}  // namespace run_oci
