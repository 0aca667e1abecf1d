#include "run_oci/oci_names.h"

#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/securebits.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace run_oci {
namespace {

template <typename T, size_t N>
std::optional<T> Lookup(const std::pair<std::string_view, T> (&table)[N],
                        std::string_view name) {
  for (const auto& [entry_name, value] : table) {
    if (entry_name == name) return value;
  }
  return std::nullopt;
}

template <size_t N>
bool Contains(const std::string_view (&table)[N], std::string_view name) {
  for (std::string_view entry : table) {
    if (entry == name) return true;
  }
  return false;
}

// Indexed by capability number; the static_assert below keeps the table in
// step with the kernel headers the project is built against.
constexpr std::string_view kCapabilities[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
static_assert(std::size(kCapabilities) == CAP_LAST_CAP + 1,
              "kernel headers know capabilities this table does not");
static_assert(CAP_SYS_ADMIN == 21 && CAP_CHECKPOINT_RESTORE == 40);

constexpr std::pair<std::string_view, int> kRlimits[] = {
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

// Names without "SIG", upper case.
constexpr std::pair<std::string_view, int> kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT},
    {"ILL", SIGILL},       {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},
    {"IOT", SIGIOT},       {"BUS", SIGBUS},       {"FPE", SIGFPE},
    {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},
    {"TERM", SIGTERM},     {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},
    {"CLD", SIGCHLD},      {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},     {"WINCH", SIGWINCH},
    {"IO", SIGIO},         {"POLL", SIGPOLL},     {"PWR", SIGPWR},
    {"SYS", SIGSYS},
};
constexpr int kMaxSignal = 64;  // _NSIG - 1 on Linux

constexpr std::pair<std::string_view, libcontainer::NamespaceType>
    kNamespaces[] = {
        {"mount", libcontainer::NamespaceType::kMount},
        {"pid", libcontainer::NamespaceType::kPid},
        {"uts", libcontainer::NamespaceType::kUts},
        {"ipc", libcontainer::NamespaceType::kIpc},
        {"network", libcontainer::NamespaceType::kNetwork},
        {"user", libcontainer::NamespaceType::kUser},
        {"cgroup", libcontainer::NamespaceType::kCgroup},
        {"time", libcontainer::NamespaceType::kTime},
};

constexpr std::pair<std::string_view, uint64_t> kSecurebits[] = {
    {"SECURE_NOROOT", SECBIT_NOROOT},
    {"SECURE_NOROOT_LOCKED", SECBIT_NOROOT_LOCKED},
    {"SECURE_NO_SETUID_FIXUP", SECBIT_NO_SETUID_FIXUP},
    {"SECURE_NO_SETUID_FIXUP_LOCKED", SECBIT_NO_SETUID_FIXUP_LOCKED},
    {"SECURE_KEEP_CAPS", SECBIT_KEEP_CAPS},
    {"SECURE_KEEP_CAPS_LOCKED", SECBIT_KEEP_CAPS_LOCKED},
    {"SECURE_NO_CAP_AMBIENT_RAISE", SECBIT_NO_CAP_AMBIENT_RAISE},
    {"SECURE_NO_CAP_AMBIENT_RAISE_LOCKED", SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED},
};

constexpr std::pair<std::string_view, unsigned long> kPersonalityDomains[] = {
    {"LINUX", PER_LINUX},
    {"LINUX32", PER_LINUX32},
};

constexpr std::pair<std::string_view, unsigned long> kPersonalityFlags[] = {
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

// <linux/ioprio.h> values; glibc has no header for them.
constexpr std::pair<std::string_view, int> kIoPriorityClasses[] = {
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
};

constexpr std::pair<std::string_view, int> kSchedulerPolicies[] = {
    {"SCHED_OTHER", 0},    {"SCHED_FIFO", 1}, {"SCHED_RR", 2},
    {"SCHED_BATCH", 3},    {"SCHED_ISO", 4},  {"SCHED_IDLE", 5},
    {"SCHED_DEADLINE", 6},
};

constexpr std::pair<std::string_view, uint64_t> kSchedulerFlags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
};

constexpr std::string_view kSeccompActions[] = {
    "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY",
};

constexpr std::string_view kSeccompArchitectures[] = {
    "SCMP_ARCH_X86",      "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",
    "SCMP_ARCH_ARM",      "SCMP_ARCH_AARCH64",     "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",   "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",    "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_RISCV64",  "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
    "SCMP_ARCH_SH",       "SCMP_ARCH_SHEB",
};

constexpr std::string_view kSeccompFlags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

constexpr std::string_view kSeccompOperators[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

constexpr std::string_view kRootfsPropagations[] = {
    "private", "rprivate", "shared",     "rshared",
    "slave",   "rslave",   "unbindable", "runbindable",
};

// std::string_view versions of absl's helpers: Debian's Abseil has its own
// string_view type, and these tables use the standard one.
bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (text->substr(0, prefix.size()) != prefix) return false;
  text->remove_prefix(prefix.size());
  return true;
}

// 1 or 2 decimal digits, nothing else (no sign, no spaces).
std::optional<int> SmallNumber(std::string_view text) {
  if (text.empty() || text.size() > 2) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "RTMIN", "RTMIN+3", "RTMAX-2" (upper case, no SIG) -> number.
std::optional<int> RealtimeSignal(std::string_view name) {
  int base = 0;
  int sign = 0;
  if (ConsumePrefix(&name, "RTMIN")) {
    base = SIGRTMIN;
    sign = 1;
  } else if (ConsumePrefix(&name, "RTMAX")) {
    base = SIGRTMAX;
    sign = -1;
  } else {
    return std::nullopt;
  }
  if (name.empty()) return base;
  if (!ConsumePrefix(&name, sign > 0 ? "+" : "-")) return std::nullopt;
  std::optional<int> offset = SmallNumber(name);
  if (!offset.has_value()) return std::nullopt;
  int signal = base + sign * *offset;
  if (signal < SIGRTMIN || signal > SIGRTMAX) return std::nullopt;
  return signal;
}

}  // namespace

std::optional<int> CapabilityFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kCapabilities); ++i) {
    if (kCapabilities[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<std::string_view> CapabilityName(int capability) {
  if (capability < 0 ||
      static_cast<size_t>(capability) >= std::size(kCapabilities)) {
    return std::nullopt;
  }
  return kCapabilities[capability];
}

int LastCapability() { return static_cast<int>(std::size(kCapabilities)) - 1; }

std::optional<int> RlimitFromName(std::string_view name) {
  return Lookup(kRlimits, name);
}

std::optional<int> SignalFromName(std::string_view name) {
  if (!name.empty() && name[0] >= '0' && name[0] <= '9') {
    std::optional<int> number = SmallNumber(name);
    if (!number.has_value() || *number < 1 || *number > kMaxSignal) {
      return std::nullopt;
    }
    return number;
  }
  if (name.size() > 16) return std::nullopt;  // longer than any name
  std::string upper(name);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  std::string_view bare = upper;
  ConsumePrefix(&bare, "SIG");
  if (std::optional<int> signal = Lookup(kSignals, bare)) return signal;
  return RealtimeSignal(bare);
}

std::optional<libcontainer::NamespaceType> NamespaceFromName(
    std::string_view name) {
  return Lookup(kNamespaces, name);
}

std::optional<uint64_t> SecurebitFromName(std::string_view name) {
  return Lookup(kSecurebits, name);
}

std::optional<unsigned long> PersonalityDomainFromName(std::string_view name) {
  return Lookup(kPersonalityDomains, name);
}

std::optional<unsigned long> PersonalityFlagFromName(std::string_view name) {
  return Lookup(kPersonalityFlags, name);
}

std::optional<int> IoPriorityClassFromName(std::string_view name) {
  return Lookup(kIoPriorityClasses, name);
}

std::optional<int> SchedulerPolicyFromName(std::string_view name) {
  return Lookup(kSchedulerPolicies, name);
}

std::optional<uint64_t> SchedulerFlagFromName(std::string_view name) {
  return Lookup(kSchedulerFlags, name);
}

bool IsSeccompAction(std::string_view name) {
  return Contains(kSeccompActions, name);
}

bool IsSeccompArchitecture(std::string_view name) {
  return Contains(kSeccompArchitectures, name);
}

bool IsSeccompFlag(std::string_view name) {
  return Contains(kSeccompFlags, name);
}

bool IsSeccompOperator(std::string_view name) {
  return Contains(kSeccompOperators, name);
}

bool IsRootfsPropagation(std::string_view name) {
  return Contains(kRootfsPropagations, name);
}

}  // namespace run_oci
