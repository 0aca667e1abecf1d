#include "run_oci/parser/oci_names.h"

#include <signal.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "libcontainer/symbol_tables.h"
#include "minijail-shim/seccomp.h"
#include "run_oci/parser/mount_options.h"

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
  return libcontainer::ValueFromSpecName(libcontainer::kCapabilities, name);
}

std::optional<std::string_view> CapabilityName(int capability) {
  if (capability < 0 || capability > LastCapability()) return std::nullopt;
  return libcontainer::kCapabilities[capability].name;
}

int LastCapability() {
  return static_cast<int>(std::size(libcontainer::kCapabilities)) - 1;
}

std::optional<int> RlimitFromName(std::string_view name) {
  return libcontainer::ValueFromSpecName(libcontainer::kRlimits, name);
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
  return libcontainer::ValueFromSpecName(libcontainer::kNamespaces, name);
}

std::optional<uint64_t> SecurebitFromName(std::string_view name) {
  // "SECURE_KEEP_CAPS" (the kernel's bit-number macro) is the spelling
  // run_oci took before it followed Chromium's; kept as an alias.
  ConsumePrefix(&name, "SECURE_");
  return libcontainer::ValueFromSpecName(libcontainer::kSecurebits, name);
}

std::optional<unsigned long> PersonalityDomainFromName(std::string_view name) {
  return libcontainer::ValueFromSpecName(libcontainer::kPersonalityDomains,
                                         name);
}

std::optional<unsigned long> PersonalityFlagFromName(std::string_view name) {
  return libcontainer::ValueFromSpecName(libcontainer::kPersonalityFlags, name);
}

std::optional<int> IoPriorityClassFromName(std::string_view name) {
  std::optional<int> io_class =
      libcontainer::ValueFromSpecName(libcontainer::kIoPriorityClasses, name);
  // The kernel's "no class set" is not a class the runtime-spec lets a
  // container ask for.
  if (io_class == libcontainer::kIoPriorityClassNone) return std::nullopt;
  return io_class;
}

std::optional<int> SchedulerPolicyFromName(std::string_view name) {
  return libcontainer::ValueFromSpecName(libcontainer::kSchedulerPolicies,
                                         name);
}

std::optional<uint64_t> SchedulerFlagFromName(std::string_view name) {
  return libcontainer::ValueFromSpecName(libcontainer::kSchedulerFlags, name);
}

bool IsSeccompAction(std::string_view name) {
  return shim::IsSeccompActionName(absl::string_view(name.data(), name.size()));
}

bool IsSeccompArchitecture(std::string_view name) {
  return shim::IsSeccompArchitectureName(
      absl::string_view(name.data(), name.size()));
}

bool IsSeccompFlag(std::string_view name) {
  return shim::IsSeccompFlagName(absl::string_view(name.data(), name.size()));
}

bool IsSeccompSyscall(std::string_view name) {
  return shim::IsSeccompSyscallName(
      absl::string_view(name.data(), name.size()));
}

bool IsSeccompOperator(std::string_view name) {
  return shim::IsSeccompOperatorName(
      absl::string_view(name.data(), name.size()));
}

bool IsRootfsPropagation(std::string_view name) {
  // The mount options' table: linux.rootfsPropagation takes the same names.
  return PropagationFromName(absl::string_view(name.data(), name.size()))
      .has_value();
}

}  // namespace run_oci
