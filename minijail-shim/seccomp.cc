#include "minijail-shim/seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

absl::Status LibseccompError(const std::string& what, int rc) {
  return absl::InternalError(
      absl::StrCat("seccomp: ", what, ": ", strerror(-rc)));
}

absl::StatusOr<uint32_t> ParseAction(const std::string& name,
                                     std::optional<uint32_t> errno_ret) {
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_ERRNO")
    return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") {
    return SCMP_ACT_KILL_THREAD;
  }
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_TRACE")
    return SCMP_ACT_TRACE(errno_ret.value_or(EPERM));
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (name == "SCMP_ACT_NOTIFY") return SCMP_ACT_NOTIFY;
  return absl::InvalidArgumentError(
      absl::StrCat("seccomp: unknown action \"", name, "\""));
}

absl::StatusOr<scmp_compare> ParseOp(const std::string& name) {
  static const std::map<std::string, scmp_compare> kOps = {
      {"SCMP_CMP_NE", SCMP_CMP_NE},
      {"SCMP_CMP_LT", SCMP_CMP_LT},
      {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ},
      {"SCMP_CMP_GE", SCMP_CMP_GE},
      {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
  auto it = kOps.find(name);
  if (it == kOps.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("seccomp: unknown operator \"", name, "\""));
  }
  return it->second;
}

absl::StatusOr<uint32_t> ParseArch(const std::string& name) {
  if (!absl::StartsWith(name, "SCMP_ARCH_")) {
    return absl::InvalidArgumentError(
        absl::StrCat("seccomp: unknown architecture \"", name, "\""));
  }
  const std::string lower =
      absl::AsciiStrToLower(name.substr(strlen("SCMP_ARCH_")));
  const uint32_t arch = seccomp_arch_resolve_name(lower.c_str());
  if (arch == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("seccomp: unknown architecture \"", name, "\""));
  }
  return arch;
}

absl::StatusOr<unsigned int> ParseFlag(const std::string& name) {
  if (name == "SECCOMP_FILTER_FLAG_TSYNC") return SECCOMP_FILTER_FLAG_TSYNC;
  if (name == "SECCOMP_FILTER_FLAG_LOG") return SECCOMP_FILTER_FLAG_LOG;
  if (name == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") {
    return SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  }
  // Only with a listener (SCMP_ACT_NOTIFY); the kernel says EINVAL else.
  if (name == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") {
    return SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("seccomp: unknown flag \"", name, "\""));
}

// runc's reading of the runtime spec: conditions on distinct arguments are
// ANDed in one rule; several conditions on the same argument would never
// all hold, so each becomes its own rule (ORed).
absl::Status AddRule(scmp_filter_ctx ctx, uint32_t action, int nr,
                     const std::string& name,
                     const std::vector<scmp_arg_cmp>& cmps) {
  std::map<unsigned int, int> per_arg;
  for (const scmp_arg_cmp& c : cmps) ++per_arg[c.arg];
  bool split = false;
  for (const auto& [arg, n] : per_arg) split |= n > 1;
  if (!split) {
    int rc = seccomp_rule_add_array(ctx, action, nr, cmps.size(),
                                    cmps.empty() ? nullptr : cmps.data());
    if (rc < 0) return LibseccompError(absl::StrCat("rule for ", name), rc);
    return absl::OkStatus();
  }
  for (const scmp_arg_cmp& c : cmps) {
    int rc = seccomp_rule_add_array(ctx, action, nr, 1, &c);
    if (rc < 0) return LibseccompError(absl::StrCat("rule for ", name), rc);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<sock_filter>> Export(scmp_filter_ctx ctx) {
  base::ScopedFd memfd(memfd_create("seccomp-bpf", MFD_CLOEXEC));
  if (!memfd) {
    return absl::InternalError(
        absl::StrCat("seccomp: memfd_create: ", strerror(errno)));
  }
  int rc = seccomp_export_bpf(ctx, memfd.get());
  if (rc < 0) return LibseccompError("export", rc);
  struct stat st;
  if (fstat(memfd.get(), &st) != 0) {
    return absl::InternalError(
        absl::StrCat("seccomp: fstat: ", strerror(errno)));
  }
  if (st.st_size % sizeof(sock_filter) != 0) {
    return absl::InternalError("seccomp: exported BPF has a partial insn");
  }
  std::vector<sock_filter> program(st.st_size / sizeof(sock_filter));
  const size_t bytes = program.size() * sizeof(sock_filter);
  if (pread(memfd.get(), program.data(), bytes, 0) !=
      static_cast<ssize_t>(bytes)) {
    return absl::InternalError(
        absl::StrCat("seccomp: reading exported BPF: ", strerror(errno)));
  }
  return program;
}

}  // namespace

bool IsSeccompActionName(absl::string_view name) {
  return ParseAction(std::string(name), std::nullopt).ok();
}

bool IsSeccompOperatorName(absl::string_view name) {
  return ParseOp(std::string(name)).ok();
}

bool IsSeccompFlagName(absl::string_view name) {
  return ParseFlag(std::string(name)).ok();
}

bool IsSeccompArchitectureName(absl::string_view name) {
  // The spec spells them in capitals; libseccomp's lookup ignores case.
  for (char c : name) {
    if (absl::ascii_islower(static_cast<unsigned char>(c))) return false;
  }
  return ParseArch(std::string(name)).ok();
}

bool IsSeccompSyscallName(absl::string_view name) {
  return seccomp_syscall_resolve_name(std::string(name).c_str()) !=
         __NR_SCMP_ERROR;
}

absl::StatusOr<CompiledSeccomp> CompileSeccomp(const SeccompPolicy& policy) {
  ASSIGN_OR_RETURN(
      uint32_t default_action,
      ParseAction(policy.default_action, policy.default_errno_ret));
  CompiledSeccomp out;
  if (default_action == SCMP_ACT_NOTIFY) {
    out.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  }
  for (const std::string& flag : policy.flags) {
    ASSIGN_OR_RETURN(unsigned int f, ParseFlag(flag));
    out.flags |= f;
  }
  scmp_filter_ctx ctx = seccomp_init(default_action);
  if (ctx == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("seccomp: seccomp_init: default action ",
                     policy.default_action, " rejected"));
  }
  absl::Cleanup release = [ctx] { seccomp_release(ctx); };
  for (const std::string& name : policy.architectures) {
    ASSIGN_OR_RETURN(uint32_t arch, ParseArch(name));
    int rc = seccomp_arch_add(ctx, arch);
    if (rc < 0 && rc != -EEXIST) {
      return LibseccompError(absl::StrCat("architecture ", name), rc);
    }
  }
  for (size_t i = 0; i < policy.syscalls.size(); ++i) {
    const SeccompRule& rule = policy.syscalls[i];
    ASSIGN_OR_RETURN(uint32_t action, ParseAction(rule.action, rule.errno_ret));
    std::vector<scmp_arg_cmp> cmps;
    for (const SeccompArg& arg : rule.args) {
      ASSIGN_OR_RETURN(scmp_compare op, ParseOp(arg.op));
      if (arg.index > 5) {
        return absl::InvalidArgumentError(absl::StrCat(
            "seccomp: syscalls[", i, "]: argument index ", arg.index, " > 5"));
      }
      cmps.push_back(scmp_arg_cmp{arg.index, op, arg.value, arg.value_two});
    }
    // libseccomp refuses rules that repeat the default action.
    if (action == default_action) continue;
    if (action == SCMP_ACT_NOTIFY)
      out.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    for (const std::string& name : rule.names) {
      const int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;
      RETURN_IF_ERROR(AddRule(ctx, action, nr, name, cmps));
    }
  }
  ASSIGN_OR_RETURN(out.program, Export(ctx));
  return out;
}

void LoadSeccomp(const ChildPlan& plan) {
  const JailSpec& spec = *plan.spec;
  if (spec.seccomp_bpf.empty()) return;
  struct sock_fprog prog;
  prog.len = static_cast<unsigned short>(spec.seccomp_bpf.size());
  prog.filter = const_cast<sock_filter*>(spec.seccomp_bpf.data());
  const long rc =
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, spec.seccomp_flags, &prog);
  if (rc < 0) ChildFail(plan.sync_fd, Step::kSeccomp, -1, Op::kSyscall, errno);
  // With NEW_LISTENER the result is the notification fd; the runtime gets
  // it. (A profile that notifies on sendmsg itself would block here: the
  // listener is not being served yet, as with runc.)
  if (spec.seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
    ChildSendFd(plan.sync_fd, MsgKind::kSeccompListener, static_cast<int>(rc));
    close(static_cast<int>(rc));
  }
}

}  // namespace shim
