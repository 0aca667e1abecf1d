#include "minijail-shim/exec_stub.h"

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/exec_stub/stub_image.h"
#include "minijail-shim/sealed_exe.h"

namespace shim {
namespace {

constexpr char kAllow[] = "SCMP_ACT_ALLOW";

// The stub's calls (stub_main.cc) and the one the child's walk cannot do
// without (exec.cc: without openat2 it could only execve by path, which
// follows magic links).
constexpr const char* kStubSyscalls[] = {"openat2", "fcntl", "execveat",
                                         "write", "exit_group"};
constexpr const char* kForkSyscalls[] = {"prctl", "clone"};
constexpr const char* kTerminalSyscalls[] = {"setsid", "ioctl"};

bool Names(const SeccompRule& rule, const char* name) {
  for (const std::string& n : rule.names) {
    if (n == name) return true;
  }
  return false;
}

bool AllowedWithoutConditions(const SeccompPolicy& policy, const char* name) {
  bool named = false;
  for (const SeccompRule& rule : policy.syscalls) {
    if (!Names(rule, name)) continue;
    named = true;
    if (rule.action != kAllow || !rule.args.empty()) return false;
  }
  return named || policy.default_action == kAllow;
}

template <size_t N>
bool AllAllowed(const SeccompPolicy& policy, const char* const (&names)[N]) {
  for (const char* name : names) {
    if (!AllowedWithoutConditions(policy, name)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<base::ScopedFd> MakeExecStub() {
  ASSIGN_OR_RETURN(base::ScopedFd memfd, NewExecutableMemfd("run_oci-exec"));
  RETURN_IF_ERROR(base::WriteAll(
      memfd.get(),
      absl::string_view(reinterpret_cast<const char*>(exec_stub::kImage),
                        exec_stub::kImageSize),
      "the exec stub's memfd"));
  return SealMemfd(memfd);
}

bool SeccompAllowsExecStub(const SeccompPolicy& policy, bool forks,
                           bool takes_terminal) {
  return AllAllowed(policy, kStubSyscalls) &&
         (!forks || AllAllowed(policy, kForkSyscalls)) &&
         (!takes_terminal || AllAllowed(policy, kTerminalSyscalls));
}

}  // namespace shim
