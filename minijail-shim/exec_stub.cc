#include "minijail-shim/exec_stub.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
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

}  // namespace

absl::StatusOr<base::ScopedFd> MakeExecStub() {
  ASSIGN_OR_RETURN(base::ScopedFd memfd, NewExecutableMemfd("run_oci-exec"));
  const unsigned char* data = exec_stub::kImage;
  size_t left = exec_stub::kImageSize;
  while (left > 0) {
    const ssize_t n = write(memfd.get(), data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::InternalError(
          absl::StrCat("exec stub: write to the memfd: ", strerror(errno)));
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  return SealMemfd(memfd);
}

bool SeccompAllowsExecStub(const SeccompPolicy& policy, bool forks,
                           bool takes_terminal) {
  for (const char* name : kStubSyscalls) {
    if (!AllowedWithoutConditions(policy, name)) return false;
  }
  if (forks) {
    for (const char* name : kForkSyscalls) {
      if (!AllowedWithoutConditions(policy, name)) return false;
    }
  }
  if (takes_terminal) {
    for (const char* name : kTerminalSyscalls) {
      if (!AllowedWithoutConditions(policy, name)) return false;
    }
  }
  return true;
}

}  // namespace shim
