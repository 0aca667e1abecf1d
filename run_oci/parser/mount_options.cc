#include "run_oci/parser/mount_options.h"

#include <sys/mount.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace run_oci {
namespace {

// Older glibc headers lack it; the value is kernel ABI (Linux 5.10).
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

struct FlagOption {
  absl::string_view name;
  unsigned long set;
  unsigned long clear;
};

// The mount(8) names; each negation clears what its positive form sets.
constexpr FlagOption kFlagOptions[] = {
    {"defaults", 0, 0},
    {"ro", MS_RDONLY, 0},
    {"rw", 0, MS_RDONLY},
    {"nosuid", MS_NOSUID, 0},
    {"suid", 0, MS_NOSUID},
    {"nodev", MS_NODEV, 0},
    {"dev", 0, MS_NODEV},
    {"noexec", MS_NOEXEC, 0},
    {"exec", 0, MS_NOEXEC},
    {"sync", MS_SYNCHRONOUS, 0},
    {"async", 0, MS_SYNCHRONOUS},
    {"dirsync", MS_DIRSYNC, 0},
    {"remount", MS_REMOUNT, 0},
    {"mand", MS_MANDLOCK, 0},
    {"nomand", 0, MS_MANDLOCK},
    {"noatime", MS_NOATIME, 0},
    {"atime", 0, MS_NOATIME},
    {"nodiratime", MS_NODIRATIME, 0},
    {"diratime", 0, MS_NODIRATIME},
    {"relatime", MS_RELATIME, 0},
    {"norelatime", 0, MS_RELATIME},
    {"strictatime", MS_STRICTATIME, 0},
    {"nostrictatime", 0, MS_STRICTATIME},
    {"lazytime", MS_LAZYTIME, 0},
    {"nolazytime", 0, MS_LAZYTIME},
    {"silent", MS_SILENT, 0},
    {"loud", 0, MS_SILENT},
    {"iversion", MS_I_VERSION, 0},
    {"noiversion", 0, MS_I_VERSION},
    {"nosymfollow", MS_NOSYMFOLLOW, 0},
    {"symfollow", 0, MS_NOSYMFOLLOW},
    {"bind", MS_BIND, 0},
    {"rbind", MS_BIND | MS_REC, 0},
};

struct PropagationOption {
  absl::string_view name;
  unsigned long value;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_REC | MS_PRIVATE},
    {"slave", MS_SLAVE},           {"rslave", MS_REC | MS_SLAVE},
    {"shared", MS_SHARED},         {"rshared", MS_REC | MS_SHARED},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_REC | MS_UNBINDABLE},
};

struct RecursiveOption {
  absl::string_view name;
  uint64_t set;
  uint64_t clear;
};

// OCI 1.1 recursive attributes (mount_setattr(2) with AT_RECURSIVE). The
// atime modes are one field, not bits: each of them clears the whole field
// and sets its mode; the negations leave the kernel's default, relatime.
constexpr RecursiveOption kRecursiveOptions[] = {
    {"rro", MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, MOUNT_ATTR_NOSUID},
    {"rnodev", MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, MOUNT_ATTR_NODEV},
    {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
    {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnorelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
};

const RecursiveOption* FindRecursiveOption(absl::string_view name) {
  for (const RecursiveOption& option : kRecursiveOptions) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

// Markers that only say "this mount is idmapped"; the mappings themselves
// are the mount's uidMappings/gidMappings.
constexpr absl::string_view kIdmapMarkers[] = {"idmap", "ridmap"};

template <typename Table>
bool Contains(const Table& table, absl::string_view name) {
  for (absl::string_view entry : table) {
    if (entry == name) return true;
  }
  return false;
}

}  // namespace

std::optional<unsigned long> PropagationFromName(absl::string_view name) {
  for (const PropagationOption& option : kPropagationOptions) {
    if (option.name == name) return option.value;
  }
  return std::nullopt;
}

absl::StatusOr<MountOptions> ParseMountOptions(
    const std::vector<std::string>& options, absl::string_view context) {
  MountOptions result;
  for (size_t i = 0; i < options.size(); ++i) {
    const std::string& option = options[i];
    bool matched = false;
    for (const FlagOption& flag : kFlagOptions) {
      if (flag.name == option) {
        result.flags = (result.flags & ~flag.clear) | flag.set;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (std::optional<unsigned long> p = PropagationFromName(option)) {
      result.propagation = *p;
    } else if (option == "loop") {
      result.loop = true;
    } else if (option == "tmpcopyup") {
      result.tmpcopyup = true;
    } else if (absl::StartsWith(option, "dm=")) {
      result.verity = option.substr(3);
      if (result.verity.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            context, ".options[", i, "]: \"dm=\" needs a dm-verity table"));
      }
    } else if (const RecursiveOption* r = FindRecursiveOption(option)) {
      // A later option undoes an earlier opposite one, as for the flags.
      result.recursive_set = (result.recursive_set & ~r->clear) | r->set;
      result.recursive_clr = (result.recursive_clr & ~r->set) | r->clear;
    } else if (Contains(kIdmapMarkers, option)) {
      continue;
    } else if (option.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(context, ".options[", i, "]: empty mount option"));
    } else {
      if (!result.data.empty()) result.data.push_back(',');
      result.data.append(option);
    }
  }
  return result;
}

}  // namespace run_oci
