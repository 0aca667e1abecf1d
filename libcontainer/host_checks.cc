#include "libcontainer/host_checks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/sysctl_scope.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

bool Exists(const char* path) { return access(path, F_OK) == 0; }

// "linux.sysctl.<name>" as config.json spells it; a name with control
// characters is quoted so that the error stays one line.
std::string SysctlField(absl::string_view name) {
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return absl::StrCat("config.json: linux.sysctl.\"", absl::CEscape(name),
                          "\"");
    }
  }
  return absl::StrCat("config.json: linux.sysctl.", name);
}

const char* NamespaceName(NamespaceType type) {
  switch (type) {
    case NamespaceType::kIpc:
      return "ipc";
    case NamespaceType::kUts:
      return "uts";
    default:
      return "net";
  }
}

// The kind of namespace sysctls of that type live in, as config.json
// names it.
const char* NamespaceConfigName(NamespaceType type) {
  return type == NamespaceType::kNetwork ? "network" : NamespaceName(type);
}

bool SameInode(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Whether `path` is run_oci's own namespace of `type`, or that of pid 1 in
// its pid namespace (the host's, unless run_oci itself runs in a
// container): /proc/self/ns/net, /proc/1/ns/net, a bind mount of either.
absl::StatusOr<bool> IsRuntimeNamespace(NamespaceType type,
                                        const std::string& path, size_t index) {
  struct stat joined;
  if (stat(path.c_str(), &joined) != 0) {
    return absl::NotFoundError(absl::StrCat("config.json: linux.namespaces[",
                                            index, "].path ", path,
                                            ": stat: ", strerror(errno)));
  }
  for (const char* pid : {"self", "1"}) {
    std::string own = absl::StrCat("/proc/", pid, "/ns/", NamespaceName(type));
    struct stat st;
    if (stat(own.c_str(), &st) == 0 && SameInode(st, joined)) return true;
  }
  return false;
}

// A sysctl is written from inside the container's namespaces; when the one
// that holds it is the runtime's own (joined by path, or not unshared at
// all), the write changes the host. runc's validator refuses the same.
absl::Status CheckSysctl(const Config& config, absl::string_view name) {
  SysctlScope scope = ClassifySysctl(name);
  if (scope == SysctlScope::kInvalid) {
    return absl::InvalidArgumentError(
        absl::StrCat(SysctlField(name), ": invalid sysctl name"));
  }
  if (scope == SysctlScope::kNotNamespaced) {
    return absl::InvalidArgumentError(absl::StrCat(
        SysctlField(name), ": not namespaced; a container must not set it"));
  }
  const NamespaceType type = SysctlNamespace(scope);
  for (size_t i = 0; i < config.namespaces.size(); ++i) {
    const Namespace& ns = config.namespaces[i];
    if (ns.type != type) continue;
    if (ns.path.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(bool own, IsRuntimeNamespace(type, ns.path, i));
    if (!own) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        SysctlField(name), ": would change the host: linux.namespaces[", i,
        "].path ", ns.path, " is run_oci's own ", NamespaceConfigName(type),
        " namespace"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      SysctlField(name), ": requires a \"", NamespaceConfigName(type),
      "\" namespace in linux.namespaces"));
}

// A config value for a security module run_oci does not apply yet: an
// error either way, saying whether the host has the module (`enabled`
// exists) or only run_oci lacks it (`unsupported`).
absl::Status UnsupportedLsmValue(absl::string_view field,
                                 const std::string& value, const char* enabled,
                                 absl::string_view lsm,
                                 absl::string_view unsupported) {
  const std::string what = absl::StrCat(field, " \"", value, "\": ");
  if (!Exists(enabled)) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, lsm, " is not enabled on this host"));
  }
  return absl::UnimplementedError(absl::StrCat(what, unsupported));
}

}  // namespace

absl::Status CheckSysctlNamespaces(const Config& config) {
  for (const auto& [name, value] : config.sysctls) {
    RETURN_IF_ERROR(CheckSysctl(config, name));
  }
  return absl::OkStatus();
}

absl::Status CheckHostSupport(const Config& config) {
  if (!config.apparmor_profile.empty()) {
    return UnsupportedLsmValue(
        "process.apparmorProfile", config.apparmor_profile,
        "/sys/kernel/security/apparmor", "AppArmor",
        "applying AppArmor profiles is not supported yet");
  }
  if (config.intel_rdt) {
    if (!Exists("/sys/fs/resctrl/info")) {
      return absl::FailedPreconditionError(
          "linux.intelRdt: resctrl is not mounted at /sys/fs/resctrl");
    }
    return absl::UnimplementedError(
        "linux.intelRdt: Intel RDT is not supported yet");
  }
  if (!config.mount_label.empty()) {
    return UnsupportedLsmValue("linux.mountLabel", config.mount_label,
                               "/sys/fs/selinux/enforce", "SELinux",
                               "SELinux mount labels are not supported yet");
  }
  return CheckSysctlNamespaces(config);
}

}  // namespace libcontainer
