// The name <-> value tables for the kernel symbols a Config holds. run_oci
// reads config.json names through them and config_symbols prints a Config
// with them, so what is accepted and what is printed cannot drift apart.
//
// Header-only: targets that compile config_symbols.cc or run_oci's parser
// from source instead of linking libcontainer (the CMake fuzzer) get the
// tables with no source list to keep in step.
#ifndef LIBCONTAINER_SYMBOL_TABLES_H_
#define LIBCONTAINER_SYMBOL_TABLES_H_

#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/securebits.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

#include "libcontainer/config.h"

namespace libcontainer {

template <typename T>
struct Symbol {
  using ValueType = T;

  // The kernel headers' name (the OCI one for namespaces); the text format
  // prints it.
  std::string_view name;
  T value;
  // How config.json spells it where the runtime-spec does not use `name`.
  std::string_view spec_name = {};

  constexpr std::string_view SpecName() const {
    return spec_name.empty() ? name : spec_name;
  }
};

// The value config.json calls `spec_name`, exactly (case matters).
template <typename T, size_t N>
constexpr std::optional<T> ValueFromSpecName(const Symbol<T> (&table)[N],
                                             std::string_view spec_name) {
  for (const Symbol<T>& symbol : table) {
    if (symbol.SpecName() == spec_name) return symbol.value;
  }
  return std::nullopt;
}

// The printed name of `value`. Not deduced from `value`, so that an enum
// constant (RLIMIT_NOFILE) finds its row in an int table.
template <typename T, size_t N>
constexpr std::optional<std::string_view> NameOfValue(
    const Symbol<T> (&table)[N], const typename Symbol<T>::ValueType& value) {
  for (const Symbol<T>& symbol : table) {
    if (symbol.value == value) return symbol.name;
  }
  return std::nullopt;
}

// In capability order, so a capability number indexes its row.
inline constexpr Symbol<int> kCapabilities[] = {
    {"CAP_CHOWN", CAP_CHOWN},
    {"CAP_DAC_OVERRIDE", CAP_DAC_OVERRIDE},
    {"CAP_DAC_READ_SEARCH", CAP_DAC_READ_SEARCH},
    {"CAP_FOWNER", CAP_FOWNER},
    {"CAP_FSETID", CAP_FSETID},
    {"CAP_KILL", CAP_KILL},
    {"CAP_SETGID", CAP_SETGID},
    {"CAP_SETUID", CAP_SETUID},
    {"CAP_SETPCAP", CAP_SETPCAP},
    {"CAP_LINUX_IMMUTABLE", CAP_LINUX_IMMUTABLE},
    {"CAP_NET_BIND_SERVICE", CAP_NET_BIND_SERVICE},
    {"CAP_NET_BROADCAST", CAP_NET_BROADCAST},
    {"CAP_NET_ADMIN", CAP_NET_ADMIN},
    {"CAP_NET_RAW", CAP_NET_RAW},
    {"CAP_IPC_LOCK", CAP_IPC_LOCK},
    {"CAP_IPC_OWNER", CAP_IPC_OWNER},
    {"CAP_SYS_MODULE", CAP_SYS_MODULE},
    {"CAP_SYS_RAWIO", CAP_SYS_RAWIO},
    {"CAP_SYS_CHROOT", CAP_SYS_CHROOT},
    {"CAP_SYS_PTRACE", CAP_SYS_PTRACE},
    {"CAP_SYS_PACCT", CAP_SYS_PACCT},
    {"CAP_SYS_ADMIN", CAP_SYS_ADMIN},
    {"CAP_SYS_BOOT", CAP_SYS_BOOT},
    {"CAP_SYS_NICE", CAP_SYS_NICE},
    {"CAP_SYS_RESOURCE", CAP_SYS_RESOURCE},
    {"CAP_SYS_TIME", CAP_SYS_TIME},
    {"CAP_SYS_TTY_CONFIG", CAP_SYS_TTY_CONFIG},
    {"CAP_MKNOD", CAP_MKNOD},
    {"CAP_LEASE", CAP_LEASE},
    {"CAP_AUDIT_WRITE", CAP_AUDIT_WRITE},
    {"CAP_AUDIT_CONTROL", CAP_AUDIT_CONTROL},
    {"CAP_SETFCAP", CAP_SETFCAP},
    {"CAP_MAC_OVERRIDE", CAP_MAC_OVERRIDE},
    {"CAP_MAC_ADMIN", CAP_MAC_ADMIN},
    {"CAP_SYSLOG", CAP_SYSLOG},
    {"CAP_WAKE_ALARM", CAP_WAKE_ALARM},
    {"CAP_BLOCK_SUSPEND", CAP_BLOCK_SUSPEND},
    {"CAP_AUDIT_READ", CAP_AUDIT_READ},
    {"CAP_PERFMON", CAP_PERFMON},
    {"CAP_BPF", CAP_BPF},
    {"CAP_CHECKPOINT_RESTORE", CAP_CHECKPOINT_RESTORE},
};
static_assert(std::size(kCapabilities) == CAP_LAST_CAP + 1,
              "kernel headers know capabilities this table does not");
static_assert([] {
  for (size_t i = 0; i < std::size(kCapabilities); ++i) {
    if (kCapabilities[i].value != static_cast<int>(i)) return false;
  }
  return true;
}());

inline constexpr Symbol<int> kRlimits[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

// The runtime-spec's names; the kernel has only CLONE_NEW* flags.
inline constexpr Symbol<NamespaceType> kNamespaces[] = {
    {"mount", NamespaceType::kMount},     {"pid", NamespaceType::kPid},
    {"uts", NamespaceType::kUts},         {"ipc", NamespaceType::kIpc},
    {"network", NamespaceType::kNetwork}, {"user", NamespaceType::kUser},
    {"cgroup", NamespaceType::kCgroup},   {"time", NamespaceType::kTime},
};

// Masks. config.json spells them as Chromium's run_oci accepts them in
// linux.skipSecurebits, the kernel's names without the SECBIT_ prefix
// ("KEEP_CAPS", "KEEP_CAPS_LOCKED"), as its ARC++ bundles do.
inline constexpr Symbol<uint64_t> kSecurebits[] = {
    {"SECBIT_NOROOT", SECBIT_NOROOT, "NOROOT"},
    {"SECBIT_NOROOT_LOCKED", SECBIT_NOROOT_LOCKED, "NOROOT_LOCKED"},
    {"SECBIT_NO_SETUID_FIXUP", SECBIT_NO_SETUID_FIXUP, "NO_SETUID_FIXUP"},
    {"SECBIT_NO_SETUID_FIXUP_LOCKED", SECBIT_NO_SETUID_FIXUP_LOCKED,
     "NO_SETUID_FIXUP_LOCKED"},
    {"SECBIT_KEEP_CAPS", SECBIT_KEEP_CAPS, "KEEP_CAPS"},
    {"SECBIT_KEEP_CAPS_LOCKED", SECBIT_KEEP_CAPS_LOCKED, "KEEP_CAPS_LOCKED"},
    {"SECBIT_NO_CAP_AMBIENT_RAISE", SECBIT_NO_CAP_AMBIENT_RAISE,
     "NO_CAP_AMBIENT_RAISE"},
    {"SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED", SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
     "NO_CAP_AMBIENT_RAISE_LOCKED"},
};

// Only the domains the runtime-spec defines, which it spells without PER_.
inline constexpr Symbol<unsigned long> kPersonalityDomains[] = {
    {"PER_LINUX", PER_LINUX, "LINUX"},
    {"PER_LINUX32", PER_LINUX32, "LINUX32"},
};

inline constexpr Symbol<unsigned long> kPersonalityFlags[] = {
    {"UNAME26", UNAME26},
    {"ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE},
    {"FDPIC_FUNCPTRS", FDPIC_FUNCPTRS},
    {"MMAP_PAGE_ZERO", MMAP_PAGE_ZERO},
    {"ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT},
    {"READ_IMPLIES_EXEC", READ_IMPLIES_EXEC},
    {"ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT},
    {"SHORT_INODE", SHORT_INODE},
    {"WHOLE_SECONDS", WHOLE_SECONDS},
    {"STICKY_TIMEOUTS", STICKY_TIMEOUTS},
    {"ADDR_LIMIT_3GB", ADDR_LIMIT_3GB},
};

// <linux/ioprio.h> values; older kernel headers lack that file.
inline constexpr int kIoPriorityClassNone = 0;
inline constexpr Symbol<int> kIoPriorityClasses[] = {
    {"IOPRIO_CLASS_NONE", kIoPriorityClassNone},
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
};

// <linux/sched.h> values, plus SCHED_ISO, which the runtime-spec lists but
// mainline kernels never implemented (so no header defines it).
inline constexpr int kSchedIso = 4;
inline constexpr Symbol<int> kSchedulerPolicies[] = {
    {"SCHED_OTHER", 0},    {"SCHED_FIFO", 1},        {"SCHED_RR", 2},
    {"SCHED_BATCH", 3},    {"SCHED_ISO", kSchedIso}, {"SCHED_IDLE", 5},
    {"SCHED_DEADLINE", 6},
};

inline constexpr Symbol<uint64_t> kSchedulerFlags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
};

// config.json's "hooks" keys, in the order the stages run.
inline constexpr Symbol<HookStage> kHookStages[] = {
    {"precreate", HookStage::kPrecreate},
    {"prestart", HookStage::kPrestart},
    {"createRuntime", HookStage::kCreateRuntime},
    {"createContainer", HookStage::kCreateContainer},
    {"prechroot", HookStage::kPrechroot},
    {"startContainer", HookStage::kStartContainer},
    {"poststart", HookStage::kPoststart},
    {"poststop", HookStage::kPoststop},
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_SYMBOL_TABLES_H_
