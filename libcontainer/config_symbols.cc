#include "libcontainer/config_symbols.h"

#include <sys/mount.h>
#include <sys/personality.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libcontainer/symbol_tables.h"

namespace libcontainer {
namespace {

// Older glibc headers lack it; the value is kernel ABI.
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

// Printed only: config.json names mount flags by mount(8) options instead.
constexpr Symbol<unsigned long> kMountFlags[] = {
    {"MS_BIND", MS_BIND},
    {"MS_DIRSYNC", MS_DIRSYNC},
    {"MS_I_VERSION", MS_I_VERSION},
    {"MS_LAZYTIME", MS_LAZYTIME},
    {"MS_MANDLOCK", MS_MANDLOCK},
    {"MS_MOVE", MS_MOVE},
    {"MS_NOATIME", MS_NOATIME},
    {"MS_NODEV", MS_NODEV},
    {"MS_NODIRATIME", MS_NODIRATIME},
    {"MS_NOEXEC", MS_NOEXEC},
    {"MS_NOSUID", MS_NOSUID},
    {"MS_NOSYMFOLLOW", MS_NOSYMFOLLOW},
    {"MS_POSIXACL", MS_POSIXACL},
    {"MS_PRIVATE", MS_PRIVATE},
    {"MS_RDONLY", MS_RDONLY},
    {"MS_REC", MS_REC},
    {"MS_RELATIME", MS_RELATIME},
    {"MS_REMOUNT", MS_REMOUNT},
    {"MS_SHARED", MS_SHARED},
    {"MS_SILENT", MS_SILENT},
    {"MS_SLAVE", MS_SLAVE},
    {"MS_STRICTATIME", MS_STRICTATIME},
    {"MS_SYNCHRONOUS", MS_SYNCHRONOUS},
    {"MS_UNBINDABLE", MS_UNBINDABLE},
};

// Names in table order, then any unknown bits in hex; "0" for none.
template <typename T, size_t N>
std::string FormatBits(uint64_t bits, const Symbol<T> (&table)[N]) {
  if (bits == 0) return "0";
  std::vector<std::string> parts;
  for (const Symbol<T>& bit : table) {
    if ((bits & bit.value) == bit.value) {
      parts.emplace_back(bit.name);
      bits &= ~uint64_t{bit.value};
    }
  }
  if (bits != 0) parts.push_back(absl::StrFormat("0x%x", bits));
  return absl::StrJoin(parts, "|");
}

}  // namespace

std::string NamespaceName(NamespaceType type) {
  if (std::optional<std::string_view> name = NameOfValue(kNamespaces, type)) {
    return std::string(*name);
  }
  return absl::StrCat("unknown(", static_cast<int>(type), ")");
}

std::string HookStageName(HookStage stage) {
  if (std::optional<std::string_view> name = NameOfValue(kHookStages, stage)) {
    return std::string(*name);
  }
  return absl::StrCat("unknown(", static_cast<int>(stage), ")");
}

std::string SchedPolicyName(int policy) {
  // SCHED_ISO names no policy of any kernel: show the bare number that
  // sched_setattr will be given.
  if (policy == kSchedIso) return absl::StrCat(policy);
  if (std::optional<std::string_view> name =
          NameOfValue(kSchedulerPolicies, policy)) {
    return std::string(*name);
  }
  return absl::StrCat(policy);
}

std::string IoPrioClassName(int io_class) {
  if (std::optional<std::string_view> name =
          NameOfValue(kIoPriorityClasses, io_class)) {
    return std::string(*name);
  }
  return absl::StrCat(io_class);
}

std::string PersonalityText(unsigned long persona) {
  unsigned long domain = persona & PER_MASK;
  std::optional<std::string_view> domain_name =
      NameOfValue(kPersonalityDomains, domain);
  std::string text = domain_name.has_value() ? std::string(*domain_name)
                                             : absl::StrFormat("0x%x", domain);
  unsigned long flags = persona & ~static_cast<unsigned long>(PER_MASK);
  if (flags != 0)
    absl::StrAppend(&text, "|", FormatBits(flags, kPersonalityFlags));
  return text;
}

std::string FormatSchedFlags(uint64_t flags) {
  return FormatBits(flags, kSchedulerFlags);
}

std::string FormatSecurebits(uint64_t mask) {
  return FormatBits(mask, kSecurebits);
}

std::string FormatMountFlags(unsigned long flags) {
  return FormatBits(flags, kMountFlags);
}

std::string FormatCapabilitySet(uint64_t set) {
  if (set == 0) return "none";
  std::vector<std::string> names;
  for (int cap = 0; cap < 64; ++cap) {
    if ((set & (uint64_t{1} << cap)) == 0) continue;
    // Bits beyond the table (a newer kernel's capabilities) print as digits.
    std::optional<std::string_view> name = NameOfValue(kCapabilities, cap);
    names.push_back(name.has_value() ? std::string(*name) : absl::StrCat(cap));
  }
  return absl::StrJoin(names, " ");
}

std::string RlimitName(int resource) {
  if (std::optional<std::string_view> name = NameOfValue(kRlimits, resource)) {
    return std::string(*name);
  }
  return absl::StrCat("RLIMIT_", resource);
}

}  // namespace libcontainer
