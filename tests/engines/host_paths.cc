#include "tests/engines/host_paths.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace engines_test {
namespace {

// podman's and buildah's storage, libpod's tmp dir and locks, CNI's
// configuration, IPAM and cache, network namespaces, containerd's root and
// state (where its shims put their sockets), and the default state roots
// of run_oci (/run/containers), runc and crun.
constexpr const char* kPaths[] = {
    "/run/containers",      "/var/lib/containers", "/run/libpod",
    "/dev/shm/libpod_lock", "/etc/cni/net.d",      "/var/lib/cni",
    "/run/containerd",      "/var/lib/containerd", "/run/runc",
    "/run/user/0",
};

void List(const std::string& path, int depth, std::vector<std::string>* out) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string child = absl::StrCat(path, "/", name);
    out->push_back(child);
    struct stat st;
    if (depth > 1 && lstat(child.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      List(child, depth - 1, out);
    }
  }
}

}  // namespace

std::string SnapshotHostPaths() {
  std::string snapshot;
  for (const char* path : kPaths) {
    struct stat st;
    if (lstat(path, &st) != 0) {
      absl::StrAppend(&snapshot, path, ": absent\n");
      continue;
    }
    std::vector<std::string> entries;
    List(path, 3, &entries);
    absl::StrAppend(&snapshot, path, ": [", absl::StrJoin(entries, " "), "]\n");
  }
  return snapshot;
}

}  // namespace engines_test
