#include "libcontainer/sysctl_scope.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"

namespace libcontainer {
namespace {

// kernel.* entries of ipc/ipc_sysctl.c: per IPC namespace.
bool IsIpcKernelSysctl(absl::string_view leaf) {
  static const auto* names = new absl::flat_hash_set<absl::string_view>{
      "shmmax", "shmall",      "shmmni",      "shm_rmid_forced",
      "msgmax", "msgmni",      "auto_msgmni", "msgmnb",
      "sem",    "sem_next_id", "msg_next_id", "shm_next_id"};
  return names->contains(leaf);
}

}  // namespace

SysctlScope ClassifySysctl(absl::string_view name) {
  const char separator = name.find('/') != absl::string_view::npos ? '/' : '.';
  std::vector<absl::string_view> parts = absl::StrSplit(name, separator);
  for (absl::string_view part : parts) {
    if (part.empty() || part == "." || part == "..") {
      return SysctlScope::kInvalid;
    }
  }
  if (parts[0] == "net" && parts.size() >= 2) return SysctlScope::kNetwork;
  if (parts.size() == 2 && parts[0] == "kernel") {
    if (parts[1] == "hostname" || parts[1] == "domainname") {
      return SysctlScope::kUts;
    }
    if (IsIpcKernelSysctl(parts[1])) return SysctlScope::kIpc;
  }
  if (parts.size() == 3 && parts[0] == "fs" && parts[1] == "mqueue") {
    return SysctlScope::kIpc;
  }
  return SysctlScope::kNotNamespaced;
}

NamespaceType SysctlNamespace(SysctlScope scope) {
  switch (scope) {
    case SysctlScope::kIpc:
      return NamespaceType::kIpc;
    case SysctlScope::kUts:
      return NamespaceType::kUts;
    default:
      return NamespaceType::kNetwork;
  }
}

}  // namespace libcontainer
