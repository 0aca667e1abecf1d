// Name lookups shared by the parser (validation), the converter (names to
// kernel numbers) and the CLI (signals). Every lookup returns nullopt for an
// unknown name; the parser reports it with the JSON path, once, and the
// converter only sees names the parser accepted. The
// kernel symbols' tables are libcontainer's (symbol_tables.h), which also
// prints them; the names only config.json uses live here.
#ifndef RUN_OCI_PARSER_OCI_NAMES_H_
#define RUN_OCI_PARSER_OCI_NAMES_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "libcontainer/config.h"

namespace run_oci {

// "CAP_SYS_ADMIN" -> 21. Exact, upper-case names with the CAP_ prefix, as
// runc accepts them; every capability up to CAP_LAST_CAP of the kernel
// headers (CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE included).
std::optional<int> CapabilityFromName(std::string_view name);
// 0..CAP_LAST_CAP -> "CAP_...", else nullopt.
std::optional<std::string_view> CapabilityName(int capability);
// The highest capability number CapabilityFromName knows.
int LastCapability();

// "RLIMIT_NOFILE" -> RLIMIT_NOFILE.
std::optional<int> RlimitFromName(std::string_view name);

// Like runc's `kill`: "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3",
// "SIGRTMAX-1"; case-insensitive, SIG prefix optional; decimal numbers 1..64.
std::optional<int> SignalFromName(std::string_view name);

// "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time".
std::optional<libcontainer::NamespaceType> NamespaceFromName(
    std::string_view name);

// Chromium's names: "NOROOT" -> SECBIT_NOROOT, "KEEP_CAPS_LOCKED" ->
// SECBIT_KEEP_CAPS_LOCKED, ... (the mask, not the bit number). The same
// names with a "SECURE_" prefix are accepted as aliases.
std::optional<uint64_t> SecurebitFromName(std::string_view name);

// "LINUX" -> PER_LINUX, "LINUX32" -> PER_LINUX32.
std::optional<unsigned long> PersonalityDomainFromName(std::string_view name);
// "ADDR_NO_RANDOMIZE" -> ADDR_NO_RANDOMIZE, ... (<sys/personality.h> names).
std::optional<unsigned long> PersonalityFlagFromName(std::string_view name);

// "IOPRIO_CLASS_RT" -> 1, "IOPRIO_CLASS_BE" -> 2, "IOPRIO_CLASS_IDLE" -> 3.
std::optional<int> IoPriorityClassFromName(std::string_view name);

// "SCHED_OTHER" -> 0 ... "SCHED_DEADLINE" -> 6 (SCHED_ISO -> 4 too, as the
// spec lists it, although mainline kernels reject it).
std::optional<int> SchedulerPolicyFromName(std::string_view name);
// "SCHED_FLAG_RESET_ON_FORK" -> 0x01, ... (<linux/sched.h> values).
std::optional<uint64_t> SchedulerFlagFromName(std::string_view name);

// Seccomp names as the runtime-spec spells them: those the shim compiles
// (shim::IsSeccomp*Name), so that a profile that parses also loads.
bool IsSeccompAction(std::string_view name);        // "SCMP_ACT_ERRNO"
bool IsSeccompArchitecture(std::string_view name);  // "SCMP_ARCH_X86_64"
bool IsSeccompFlag(std::string_view name);          // "SECCOMP_FILTER_FLAG_LOG"
bool IsSeccompOperator(std::string_view name);      // "SCMP_CMP_EQ"
bool IsSeccompSyscall(std::string_view name);       // "openat", this libseccomp

// "private", "rprivate", "shared", "rshared", "slave", "rslave",
// "unbindable", "runbindable": the propagation mount options
// (PropagationFromName in mount_options.h).
bool IsRootfsPropagation(std::string_view name);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_OCI_NAMES_H_
