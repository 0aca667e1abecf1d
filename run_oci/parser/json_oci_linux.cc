// The "linux" object of config.json: namespaces, id maps, devices, sysctls
// and the smaller security settings. Resources and seccomp live in
// json_oci_resources.cc.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "libcontainer/sysctl_scope.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/parser/json_oci_sections.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_names.h"

namespace run_oci {
namespace {

using libcontainer::ClassifySysctl;
using libcontainer::NamespaceType;
using libcontainer::SysctlScope;

// Half-open ranges [start, start + size) in 64 bits, so that one past the
// end of a range ending at 2^32 - 1 is representable.
bool Overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
  return a < b + b_size && b < a + a_size;
}

absl::Status ValidateIdMappings(const JsonReader& r, absl::string_view path,
                                const std::vector<libcontainer::IdMap>& maps) {
  constexpr uint64_t kIdSpace = uint64_t{1} << 32;
  for (size_t i = 0; i < maps.size(); ++i) {
    const libcontainer::IdMap& m = maps[i];
    std::string entry = JsonIndexPath(path, i);
    if (m.count == 0)
      return r.Error(JsonMemberPath(entry, "size"), "must be > 0");
    if (uint64_t{m.inside} + m.count > kIdSpace) {
      return r.Error(entry, absl::StrCat("containerID + size (", m.inside,
                                         " + ", m.count, ") exceeds 2^32"));
    }
    if (uint64_t{m.outside} + m.count > kIdSpace) {
      return r.Error(entry, absl::StrCat("hostID + size (", m.outside, " + ",
                                         m.count, ") exceeds 2^32"));
    }
    for (size_t j = 0; j < i; ++j) {
      const libcontainer::IdMap& o = maps[j];
      if (Overlaps(m.inside, m.count, o.inside, o.count)) {
        return r.Error(entry, absl::StrCat("container range overlaps ",
                                           JsonIndexPath(path, j)));
      }
      if (Overlaps(m.outside, m.count, o.outside, o.count)) {
        return r.Error(entry, absl::StrCat("host range overlaps ",
                                           JsonIndexPath(path, j)));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ParseNamespaces(const JsonReader& r, const JsonValue& linux_v,
                             absl::string_view linux_path,
                             std::vector<OciNamespace>* out) {
  std::set<std::string> seen;
  return r.ForEachElement(
      linux_v, linux_path, "namespaces",
      [&](const JsonValue& v, const std::string& path) -> absl::Status {
        RETURN_IF_ERROR(r.ExpectObject(v, path));
        OciNamespace ns;
        RETURN_IF_ERROR(r.Required(v, path, "type", &ns.type));
        std::string type_path = JsonMemberPath(path, "type");
        if (!NamespaceFromName(ns.type).has_value()) {
          return r.Error(type_path, absl::StrCat("unknown namespace type ",
                                                 JsonQuote(ns.type)));
        }
        if (!seen.insert(ns.type).second) {
          return r.Error(type_path, absl::StrCat("duplicate namespace type ",
                                                 JsonQuote(ns.type)));
        }
        RETURN_IF_ERROR(r.Optional(v, path, "path", &ns.path));
        if (!ns.path.empty()) {
          RETURN_IF_ERROR(
              RequireAbsolutePath(r, JsonMemberPath(path, "path"), ns.path));
        }
        out->push_back(std::move(ns));
        return absl::OkStatus();
      });
}

absl::Status ParseTimeOffsets(
    const JsonReader& r, const JsonValue& linux_v, absl::string_view linux_path,
    std::map<std::string, libcontainer::TimeOffset>* out) {
  return r.ForEachMember(
      linux_v, linux_path, "timeOffsets",
      [&](absl::string_view clock, const JsonValue& v,
          const std::string& path) -> absl::Status {
        // The only clocks a time namespace offsets (time_namespaces(7)).
        if (clock != "monotonic" && clock != "boottime") {
          return r.Error(path,
                         "unknown clock; must be \"monotonic\" or "
                         "\"boottime\"");
        }
        RETURN_IF_ERROR(r.ExpectObject(v, path));
        libcontainer::TimeOffset offset;
        offset.clock = std::string(clock);
        RETURN_IF_ERROR(r.Optional(v, path, "secs", &offset.secs));
        RETURN_IF_ERROR(r.Optional(v, path, "nanosecs", &offset.nanosecs));
        if (offset.nanosecs >= 1000000000) {
          return r.Error(JsonMemberPath(path, "nanosecs"),
                         "must be < 1000000000");
        }
        (*out)[offset.clock] = offset;
        return absl::OkStatus();
      });
}

// The kernel's dev_valid_name(): 1-15 bytes, not "." or "..", no '/',
// ':' or white space. A new name may hold one "%d", which the kernel
// expands to the first free number.
std::string NetDeviceNameProblem(absl::string_view name, bool allow_template) {
  if (name.empty() || name.size() >= 16) return "must be 1-15 bytes long";
  if (name == "." || name == "..") return "must not be \".\" or \"..\"";
  for (char c : name) {
    if (c == '/' || c == ':' ||
        absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return "must not contain '/', ':' or white space";
    }
  }
  const size_t percent = name.find('%');
  if (percent != absl::string_view::npos &&
      (!allow_template || name.substr(percent, 2) != "%d" ||
       name.find('%', percent + 1) != absl::string_view::npos)) {
    return allow_template ? "may hold one \"%d\" and no other '%'"
                          : "must not contain '%'";
  }
  return "";
}

absl::Status ParseNetDevices(const JsonReader& r, const JsonValue& linux_v,
                             absl::string_view linux_path,
                             std::map<std::string, std::string>* out) {
  return r.ForEachMember(
      linux_v, linux_path, "netDevices",
      [&](absl::string_view host_name, const JsonValue& v,
          const std::string& path) -> absl::Status {
        std::string problem = NetDeviceNameProblem(host_name, false);
        if (!problem.empty()) {
          return r.Error(path, absl::StrCat("device name ", problem));
        }
        RETURN_IF_ERROR(r.ExpectObject(v, path));
        std::string name;
        RETURN_IF_ERROR(r.Optional(v, path, "name", &name));
        if (r.Find(v, "name") != nullptr) {
          problem = NetDeviceNameProblem(name, true);
          if (!problem.empty()) {
            return r.Error(JsonMemberPath(path, "name"), problem);
          }
        }
        (*out)[std::string(host_name)] = name;
        return absl::OkStatus();
      });
}

// True if `path` is "/dev/<something>" without "." or ".." components, so
// that a device node cannot be created outside the container's /dev.
bool IsUnderDev(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/dev/")) return false;
  bool any = false;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part == "." || part == "..") return false;
    if (!part.empty()) any = true;
  }
  return any;
}

absl::Status ParseDevice(const JsonReader& r, const JsonValue& v,
                         const std::string& path, OciDevice* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  const size_t errors_before = r.error_count();
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "type", &out->type));
    if (out->type != "c" && out->type != "b" && out->type != "u" &&
        out->type != "p") {
      return r.Error(JsonMemberPath(path, "type"),
                     absl::StrCat("must be one of \"c\", \"b\", \"u\", "
                                  "\"p\", got ",
                                  JsonQuote(out->type)));
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "path", &out->path));
    if (!IsUnderDev(out->path)) {
      return r.Error(JsonMemberPath(path, "path"),
                     absl::StrCat("must be an absolute path under /dev, got ",
                                  JsonQuote(out->path)));
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(
      r, r.OptionalIntOrDecimalString(v, path, "major", &out->major));
  RETURN_OR_COLLECT(
      r, r.OptionalIntOrDecimalString(v, path, "minor", &out->minor));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "fileMode", &out->file_mode));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "uid", &out->uid));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "gid", &out->gid));
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "dynamicMajor", &out->dynamic_major));
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "dynamicMinor", &out->dynamic_minor));
  // Whether numbers are missing means something only once all were read.
  if (r.error_count() != errors_before) return absl::OkStatus();
  if (out->type != "p") {
    // Chromium's dynamic* take the number from the host's node instead.
    if (!out->major.has_value() && !out->dynamic_major) {
      return r.Error(JsonMemberPath(path, "major"),
                     absl::StrCat("required for a \"", out->type, "\" device"));
    }
    if (!out->minor.has_value() && !out->dynamic_minor) {
      return r.Error(JsonMemberPath(path, "minor"),
                     absl::StrCat("required for a \"", out->type, "\" device"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParsePersonality(const JsonReader& r, const JsonValue& v,
                              const std::string& path, OciPersonality* out) {
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "domain", &out->domain));
    if (!PersonalityDomainFromName(out->domain).has_value()) {
      return r.Error(
          JsonMemberPath(path, "domain"),
          absl::StrCat("unknown personality domain ", JsonQuote(out->domain)));
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(r, r.Optional(v, path, "flags", &out->flags));
  for (size_t i = 0; i < out->flags.size(); ++i) {
    if (!PersonalityFlagFromName(out->flags[i]).has_value()) {
      RETURN_OR_COLLECT(r,
                        r.Error(JsonIndexPath(JsonMemberPath(path, "flags"), i),
                                absl::StrCat("unknown personality flag ",
                                             JsonQuote(out->flags[i]))));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseIntelRdt(const JsonReader& r, const JsonValue& v,
                           const std::string& path,
                           libcontainer::IntelRdt* out) {
  RETURN_OR_COLLECT(r, r.Optional(v, path, "closID", &out->clos_id));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "l3CacheSchema", &out->l3_cache_schema));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "memBwSchema", &out->mem_bw_schema));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "enableCMT", &out->enable_cmt));
  return r.Optional(v, path, "enableMBM", &out->enable_mbm);
}

const OciNamespace* FindNamespace(const OciLinux& linux_config,
                                  absl::string_view type) {
  for (const OciNamespace& ns : linux_config.namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}

absl::Status ValidateSysctls(const JsonReader& r, absl::string_view linux_path,
                             const OciLinux& linux_config) {
  std::string sysctl_path = JsonMemberPath(linux_path, "sysctl");
  for (const auto& [name, value] : linux_config.sysctl) {
    std::string path = JsonKeyPath(sysctl_path, name);
    const char* needed = nullptr;
    switch (ClassifySysctl(name)) {
      case SysctlScope::kIpc:
        needed = "ipc";
        break;
      case SysctlScope::kUts:
        needed = "uts";
        break;
      case SysctlScope::kNetwork:
        needed = "network";
        break;
      case SysctlScope::kNotNamespaced:
        RETURN_OR_COLLECT(
            r, r.Error(path, "not namespaced; a container must not set it"));
        continue;
      case SysctlScope::kInvalid:
        RETURN_OR_COLLECT(r, r.Error(path, "invalid sysctl name"));
        continue;
    }
    if (FindNamespace(linux_config, needed) == nullptr) {
      RETURN_OR_COLLECT(
          r, r.Error(path, absl::StrCat("requires a \"", needed,
                                        "\" namespace in linux.namespaces")));
    }
  }
  return absl::OkStatus();
}

// A new user namespace needs both maps (the kernel refuses setgroups and
// every id change without them); maps without one have nothing to map.
absl::Status ValidateUserNamespace(const JsonReader& r,
                                   absl::string_view linux_path,
                                   const OciLinux& linux_config) {
  const OciNamespace* user = FindNamespace(linux_config, "user");
  const bool has_maps =
      !linux_config.uid_mappings.empty() || !linux_config.gid_mappings.empty();
  if (user == nullptr) {
    if (!has_maps) return absl::OkStatus();
    const char* key =
        linux_config.uid_mappings.empty() ? "gidMappings" : "uidMappings";
    return r.Error(JsonMemberPath(linux_path, key),
                   "requires a \"user\" namespace in linux.namespaces");
  }
  if (!user->path.empty()) return absl::OkStatus();  // joined: maps exist
  if (linux_config.uid_mappings.empty()) {
    return r.Error(JsonMemberPath(linux_path, "uidMappings"),
                   "required with a new \"user\" namespace");
  }
  if (linux_config.gid_mappings.empty()) {
    return r.Error(JsonMemberPath(linux_path, "gidMappings"),
                   "required with a new \"user\" namespace");
  }
  return absl::OkStatus();
}

// Offsets can only be written before the first process enters a new time
// namespace (time_namespaces(7)), so a joined one cannot take them.
absl::Status ValidateTimeOffsets(const JsonReader& r,
                                 absl::string_view linux_path,
                                 const OciLinux& linux_config) {
  if (linux_config.time_offsets.empty()) return absl::OkStatus();
  const OciNamespace* time = FindNamespace(linux_config, "time");
  if (time == nullptr || !time->path.empty()) {
    return r.Error(JsonMemberPath(linux_path, "timeOffsets"),
                   "requires a new \"time\" namespace in linux.namespaces");
  }
  return absl::OkStatus();
}

absl::Status ValidatePaths(const JsonReader& r, absl::string_view path,
                           const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    RETURN_OR_COLLECT(r,
                      RequireAbsolutePath(r, JsonIndexPath(path, i), paths[i]));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseIdMappings(const JsonReader& r, const JsonValue& object,
                             absl::string_view path, absl::string_view key,
                             std::vector<libcontainer::IdMap>* out) {
  const JsonValue* array = JsonReader::Find(object, key);
  if (array != nullptr && array->IsArray() && array->Size() > kMaxIdMappings) {
    return r.Error(
        JsonMemberPath(path, key),
        absl::StrCat("has ", array->Size(),
                     " entries; the kernel accepts at most ", kMaxIdMappings));
  }
  const size_t errors_before = r.error_count();
  RETURN_IF_ERROR(r.ForEachElement(
      object, path, key,
      [&](const JsonValue& v, const std::string& entry) -> absl::Status {
        RETURN_IF_ERROR(r.ExpectObject(v, entry));
        libcontainer::IdMap m;
        RETURN_IF_ERROR(r.Required(v, entry, "containerID", &m.inside));
        RETURN_IF_ERROR(r.Required(v, entry, "hostID", &m.outside));
        RETURN_IF_ERROR(r.Required(v, entry, "size", &m.count));
        out->push_back(m);
        return absl::OkStatus();
      }));
  // Overlaps among the entries that could be read would be half the story.
  if (r.error_count() != errors_before) return absl::OkStatus();
  return ValidateIdMappings(r, JsonMemberPath(path, key), *out);
}

// Each member is one check; collecting, the checks across members run only
// when the members they read had no problem.
absl::Status ParseLinux(const JsonReader& r, const JsonValue& v,
                        absl::string_view path, OciLinux* out) {
  const size_t errors_before = r.error_count();
  RETURN_OR_COLLECT(r, ParseNamespaces(r, v, path, &out->namespaces));
  RETURN_OR_COLLECT(
      r, ParseIdMappings(r, v, path, "uidMappings", &out->uid_mappings));
  RETURN_OR_COLLECT(
      r, ParseIdMappings(r, v, path, "gidMappings", &out->gid_mappings));
  RETURN_OR_COLLECT(r, ParseTimeOffsets(r, v, path, &out->time_offsets));
  const bool namespaces_read = r.error_count() == errors_before;
  RETURN_OR_COLLECT(
      r,
      r.ForEachElement(v, path, "devices",
                       [&](const JsonValue& d, const std::string& device_path) {
                         return ParseDevice(r, d, device_path,
                                            &out->devices.emplace_back());
                       }));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "cgroupsPath", &out->cgroups_path));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(const JsonValue* resources,
                     r.OptionalObject(v, path, "resources"));
    if (resources == nullptr) return absl::OkStatus();
    return ParseResources(r, *resources, JsonMemberPath(path, "resources"),
                          &out->resources);
  }());
  RETURN_OR_COLLECT(
      r, OptionalSection(r, v, path, "cpu", ParseLegacyCpu, &out->cpu));
  const size_t errors_before_sysctl = r.error_count();
  RETURN_OR_COLLECT(r, r.Optional(v, path, "sysctl", &out->sysctl));
  const bool sysctl_read = r.error_count() == errors_before_sysctl;
  RETURN_OR_COLLECT(r, ParseNetDevices(r, v, path, &out->net_devices));
  RETURN_OR_COLLECT(
      r, OptionalSection(r, v, path, "seccomp", ParseSeccomp, &out->seccomp));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(
        r.Optional(v, path, "rootfsPropagation", &out->rootfs_propagation));
    if (!out->rootfs_propagation.empty() &&
        !IsRootfsPropagation(out->rootfs_propagation)) {
      return r.Error(JsonMemberPath(path, "rootfsPropagation"),
                     absl::StrCat("unknown propagation ",
                                  JsonQuote(out->rootfs_propagation)));
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(r, r.Optional(v, path, "maskedPaths", &out->masked_paths));
  RETURN_OR_COLLECT(r, ValidatePaths(r, JsonMemberPath(path, "maskedPaths"),
                                     out->masked_paths));
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "readonlyPaths", &out->readonly_paths));
  RETURN_OR_COLLECT(r, ValidatePaths(r, JsonMemberPath(path, "readonlyPaths"),
                                     out->readonly_paths));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "mountLabel", &out->mount_label));
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "personality",
                                       ParsePersonality, &out->personality));
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "intelRdt", ParseIntelRdt,
                                       &out->intel_rdt));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "altSyscall", &out->alt_syscall));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "skipSecurebits", &out->skip_securebits));
  const std::vector<std::string> skip =
      out->skip_securebits.value_or(std::vector<std::string>());
  for (size_t i = 0; i < skip.size(); ++i) {
    if (!SecurebitFromName(skip[i]).has_value()) {
      RETURN_OR_COLLECT(
          r, r.Error(JsonIndexPath(JsonMemberPath(path, "skipSecurebits"), i),
                     absl::StrCat("unknown securebit ", JsonQuote(skip[i]))));
    }
  }
  RETURN_OR_COLLECT(r, r.Optional(v, path, "coreSched", &out->core_sched));

  if (!namespaces_read) return absl::OkStatus();
  RETURN_OR_COLLECT(r, ValidateUserNamespace(r, path, *out));
  RETURN_OR_COLLECT(r, ValidateTimeOffsets(r, path, *out));
  if (!sysctl_read) return absl::OkStatus();
  return ValidateSysctls(r, path, *out);
}

}  // namespace run_oci
