#include "libcontainer/config_symbols.h"

#include <linux/securebits.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace libcontainer {
namespace {

// Older glibc headers lack these; the values are kernel ABI.
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

struct NamedBit {
  absl::string_view name;
  uint64_t value;
};

constexpr NamedBit kMountFlags[] = {
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

constexpr NamedBit kSecurebits[] = {
    {"SECBIT_NOROOT", SECBIT_NOROOT},
    {"SECBIT_NOROOT_LOCKED", SECBIT_NOROOT_LOCKED},
    {"SECBIT_NO_SETUID_FIXUP", SECBIT_NO_SETUID_FIXUP},
    {"SECBIT_NO_SETUID_FIXUP_LOCKED", SECBIT_NO_SETUID_FIXUP_LOCKED},
    {"SECBIT_KEEP_CAPS", SECBIT_KEEP_CAPS},
    {"SECBIT_KEEP_CAPS_LOCKED", SECBIT_KEEP_CAPS_LOCKED},
    {"SECBIT_NO_CAP_AMBIENT_RAISE", SECBIT_NO_CAP_AMBIENT_RAISE},
    {"SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED", SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED},
};

constexpr NamedBit kPersonalityFlags[] = {
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

// linux/sched/types.h is not shipped by every libc; the values are ABI.
constexpr NamedBit kSchedFlags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

// Names in table order, then any unknown bits in hex; "0" for none.
template <size_t N>
std::string FormatBits(uint64_t bits, const NamedBit (&table)[N]) {
  if (bits == 0) return "0";
  std::vector<std::string> parts;
  for (const NamedBit& bit : table) {
    if ((bits & bit.value) == bit.value) {
      parts.emplace_back(bit.name);
      bits &= ~bit.value;
    }
  }
  if (bits != 0) parts.push_back(absl::StrFormat("0x%x", bits));
  return absl::StrJoin(parts, "|");
}

}  // namespace

std::string NamespaceName(NamespaceType type) {
  switch (type) {
    case NamespaceType::kMount:
      return "mount";
    case NamespaceType::kPid:
      return "pid";
    case NamespaceType::kUts:
      return "uts";
    case NamespaceType::kIpc:
      return "ipc";
    case NamespaceType::kNetwork:
      return "network";
    case NamespaceType::kUser:
      return "user";
    case NamespaceType::kCgroup:
      return "cgroup";
    case NamespaceType::kTime:
      return "time";
  }
  return absl::StrCat("unknown(", static_cast<int>(type), ")");
}

std::string HookStageName(HookStage stage) {
  switch (stage) {
    case HookStage::kPrecreate:
      return "precreate";
    case HookStage::kPrestart:
      return "prestart";
    case HookStage::kCreateRuntime:
      return "createRuntime";
    case HookStage::kCreateContainer:
      return "createContainer";
    case HookStage::kPrechroot:
      return "prechroot";
    case HookStage::kStartContainer:
      return "startContainer";
    case HookStage::kPoststart:
      return "poststart";
    case HookStage::kPoststop:
      return "poststop";
  }
  return absl::StrCat("unknown(", static_cast<int>(stage), ")");
}

std::string SchedPolicyName(int policy) {
  switch (policy) {
    case SCHED_OTHER:
      return "SCHED_OTHER";
    case SCHED_FIFO:
      return "SCHED_FIFO";
    case SCHED_RR:
      return "SCHED_RR";
    case SCHED_BATCH:
      return "SCHED_BATCH";
    case SCHED_IDLE:
      return "SCHED_IDLE";
    case SCHED_DEADLINE:
      return "SCHED_DEADLINE";
  }
  return absl::StrCat(policy);
}

std::string IoPrioClassName(int io_class) {
  // IOPRIO_CLASS_* from linux/ioprio.h, which older headers lack.
  switch (io_class) {
    case 0:
      return "IOPRIO_CLASS_NONE";
    case 1:
      return "IOPRIO_CLASS_RT";
    case 2:
      return "IOPRIO_CLASS_BE";
    case 3:
      return "IOPRIO_CLASS_IDLE";
  }
  return absl::StrCat(io_class);
}

std::string PersonalityText(unsigned long persona) {
  unsigned long domain = persona & PER_MASK;
  std::string text = domain == PER_LINUX     ? "PER_LINUX"
                     : domain == PER_LINUX32 ? "PER_LINUX32"
                                             : absl::StrFormat("0x%x", domain);
  unsigned long flags = persona & ~static_cast<unsigned long>(PER_MASK);
  if (flags != 0)
    absl::StrAppend(&text, "|", FormatBits(flags, kPersonalityFlags));
  return text;
}

std::string FormatSchedFlags(uint64_t flags) {
  return FormatBits(flags, kSchedFlags);
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
    // libcap knows the names; unknown numbers come back as digits.
    char* name = cap_to_name(static_cast<cap_value_t>(cap));
    std::string upper = name != nullptr ? name : absl::StrCat(cap);
    cap_free(name);
    for (char& ch : upper) ch = std::toupper(static_cast<unsigned char>(ch));
    names.push_back(std::move(upper));
  }
  return absl::StrJoin(names, " ");
}

std::string RlimitName(int resource) {
  static constexpr std::pair<int, absl::string_view> kNames[] = {
      {RLIMIT_CPU, "RLIMIT_CPU"},
      {RLIMIT_FSIZE, "RLIMIT_FSIZE"},
      {RLIMIT_DATA, "RLIMIT_DATA"},
      {RLIMIT_STACK, "RLIMIT_STACK"},
      {RLIMIT_CORE, "RLIMIT_CORE"},
      {RLIMIT_RSS, "RLIMIT_RSS"},
      {RLIMIT_NPROC, "RLIMIT_NPROC"},
      {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
      {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
      {RLIMIT_AS, "RLIMIT_AS"},
      {RLIMIT_LOCKS, "RLIMIT_LOCKS"},
      {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
      {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
      {RLIMIT_NICE, "RLIMIT_NICE"},
      {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
      {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
  };
  for (const auto& [value, name] : kNames) {
    if (value == resource) return std::string(name);
  }
  return absl::StrCat("RLIMIT_", resource);
}

}  // namespace libcontainer
