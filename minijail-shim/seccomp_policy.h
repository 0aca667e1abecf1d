// A seccomp policy as plain data, in the OCI profile's terms. The shim
// compiles it to BPF in the parent (seccomp.h) so the child only loads it.
#ifndef MINIJAIL_SHIM_SECCOMP_POLICY_H_
#define MINIJAIL_SHIM_SECCOMP_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shim {

// Values are the OCI names as written in config.json (e.g. "SCMP_ACT_ERRNO",
// "SCMP_ARCH_X86_64", "SCMP_CMP_MASKED_EQ"), kept as strings so the parser
// can report unknown names with their JSON path and the compiler maps them
// once.
struct SeccompArg {
  uint32_t index = 0;
  uint64_t value = 0;
  uint64_t value_two = 0;
  std::string op;  // "SCMP_CMP_EQ", ...
};

struct SeccompRule {
  std::vector<std::string> names;
  std::string action;  // "SCMP_ACT_ALLOW", ...
  std::optional<uint32_t> errno_ret;
  std::vector<SeccompArg> args;
};

struct SeccompPolicy {
  std::string default_action;  // "SCMP_ACT_ERRNO", ...
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // "SCMP_ARCH_X86_64", ...
  std::vector<std::string> flags;          // "SECCOMP_FILTER_FLAG_LOG", ...
  std::string listener_path;
  std::string listener_metadata;
  std::vector<SeccompRule> syscalls;
};

}  // namespace shim

#endif  // MINIJAIL_SHIM_SECCOMP_POLICY_H_
