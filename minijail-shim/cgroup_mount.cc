#include "minijail-shim/cgroup_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/mounts.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {
namespace {

// The child's copy of the list: "source\0name\0" pairs. Static storage: the
// child may not allocate.
char g_binds[32768];
size_t g_binds_len = 0;

constexpr unsigned long kTmpfsFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC |
                                      MS_RELATIME | MS_NOATIME |
                                      MS_STRICTATIME | MS_NODIRATIME;

absl::StatusOr<std::string> ReadAll(const std::string& path) {
  absl::StatusOr<std::string> text = base::ReadWholeFile(path);
  if (!text.ok()) {
    return absl::InternalError(
        absl::StrCat("jail: cgroup mount: ", text.status().message()));
  }
  return text;
}

[[noreturn]] void Fail(const ChildPlan& plan, int index, Op op, int err) {
  ChildFail(plan.sync_fd, Step::kMounts, index, op, err);
}

// Binds `source` on dir_fd/name (or on dir_fd itself when name is empty),
// then remounts it with the mount's flags. 0 or errno, *op set.
int BindOne(int dir_fd, const char* source, const char* name,
            unsigned long flags, Op* op) {
  int target = dir_fd;
  if (name[0] != '\0') {
    *op = Op::kMkdir;
    if (mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST) return errno;
    *op = Op::kOpen;
    target =
        openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
    if (target < 0) return errno;
  }
  char fd_path[32];
  FdPath(target, fd_path);
  *op = Op::kMount;
  int err = mount(source, fd_path, nullptr, MS_BIND | MS_REC, nullptr) == 0
                ? 0
                : errno;
  if (target != dir_fd) close(target);
  if (err != 0 || name[0] == '\0') return err;
  // Reopen to reach the bind itself rather than the directory under it.
  *op = Op::kOpen;
  target = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (target < 0) return errno;
  FdPath(target, fd_path);
  *op = Op::kRemount;
  const unsigned long remount =
      MS_REMOUNT | MS_BIND | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) |
      (LockedMountFlags(source) & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
  err = mount(nullptr, fd_path, nullptr, remount, nullptr) == 0 ? 0 : errno;
  close(target);
  return err;
}

}  // namespace

absl::StatusOr<std::vector<CgroupBind>> CgroupBindsFrom(
    const std::string& mountinfo, const std::string& proc_cgroup) {
  struct V1Mount {
    std::string point;
    std::set<std::string> options;
  };
  std::vector<V1Mount> v1;
  std::string v2_point;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    size_t dash = 0;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (f.size() < 5 || dash + 3 >= f.size()) continue;
    if (f[dash + 1] == "cgroup") {
      V1Mount m;
      m.point = f[4];
      for (absl::string_view o : absl::StrSplit(f[dash + 3], ',')) {
        m.options.insert(std::string(o));
      }
      v1.push_back(std::move(m));
    } else if (f[dash + 1] == "cgroup2" && v2_point.empty()) {
      v2_point = f[4];
    }
  }
  std::vector<CgroupBind> binds;
  std::string v2_path;
  for (absl::string_view line : absl::StrSplit(proc_cgroup, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (f.size() != 3) continue;
    if (f[1].empty()) {
      v2_path = f[2];
      continue;
    }
    for (const V1Mount& m : v1) {
      bool all = true;
      for (absl::string_view c : absl::StrSplit(f[1], ',')) {
        all &= m.options.count(std::string(c)) != 0;
      }
      if (!all) continue;
      const std::string name = m.point.substr(m.point.rfind('/') + 1);
      binds.push_back({f[2] == "/" ? m.point : m.point + f[2], name});
      break;
    }
  }
  if (binds.empty() && !v2_point.empty() && !v2_path.empty()) {
    binds.push_back({v2_path == "/" ? v2_point : v2_point + v2_path, ""});
  }
  if (binds.empty()) {
    return absl::FailedPreconditionError(
        "jail: cgroup mount: no cgroup hierarchy found on the host");
  }
  return binds;
}

absl::Status SendCgroupBinds(int sync_fd, pid_t pid) {
  ASSIGN_OR_RETURN(std::string mountinfo, ReadAll("/proc/self/mountinfo"));
  ASSIGN_OR_RETURN(std::string cgroup,
                   ReadAll(absl::StrCat("/proc/", pid, "/cgroup")));
  ASSIGN_OR_RETURN(std::vector<CgroupBind> binds,
                   CgroupBindsFrom(mountinfo, cgroup));
  std::string msg;
  for (const CgroupBind& b : binds) {
    msg.append(b.source).push_back('\0');
    msg.append(b.name).push_back('\0');
  }
  if (msg.size() > sizeof(g_binds)) {
    return absl::ResourceExhaustedError(
        "jail: cgroup mount: too many cgroup hierarchies");
  }
  if (send(sync_fd, msg.data(), msg.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(msg.size())) {
    return absl::InternalError(
        absl::StrCat("jail: sync socket: send: ", strerror(errno)));
  }
  return absl::OkStatus();
}

void ReceiveCgroupBinds(const ChildPlan& plan) {
  ssize_t n;
  do {
    n = recv(plan.sync_fd, g_binds, sizeof(g_binds), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) _exit(126);  // the parent is gone or failed
  g_binds_len = static_cast<size_t>(n);
}

void MountCgroup(const ChildPlan& plan, int index, int root_fd) {
  const MountSpec& m = plan.spec->mounts[index];
  int op = 0;
  int fd = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kDirectory, &op);
  if (fd < 0) Fail(plan, index, static_cast<Op>(op), -fd);
  const char* first_name = g_binds + strlen(g_binds) + 1;
  if (first_name[0] == '\0') {  // cgroup v2: the container's directory itself
    Op bind_op = Op::kNone;
    const int err = BindOne(fd, g_binds, "", m.flags, &bind_op);
    if (err != 0) Fail(plan, index, bind_op, err);
    close(fd);
    fd = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kNone, &op);
    if (fd < 0) Fail(plan, index, static_cast<Op>(op), -fd);
    char fd_path[32];
    FdPath(fd, fd_path);
    const unsigned long remount =
        MS_REMOUNT | MS_BIND | (m.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) |
        (LockedMountFlags(g_binds) & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
    if (mount(nullptr, fd_path, nullptr, remount, nullptr) != 0) {
      Fail(plan, index, Op::kRemount, errno);
    }
    close(fd);
    return;
  }
  char fd_path[32];
  FdPath(fd, fd_path);
  if (mount("cgroup", fd_path, "tmpfs", m.flags & kTmpfsFlags, "mode=755") !=
      0) {
    Fail(plan, index, Op::kMount, errno);
  }
  close(fd);
  const int dir = OpenInRoot(root_fd, m.target.c_str(), CreateMode::kNone, &op);
  if (dir < 0) Fail(plan, index, static_cast<Op>(op), -dir);
  size_t pos = 0;
  while (pos < g_binds_len) {
    const char* source = g_binds + pos;
    pos += strlen(source) + 1;
    if (pos >= g_binds_len) break;
    const char* name = g_binds + pos;
    pos += strlen(name) + 1;
    Op bind_op = Op::kNone;
    const int err = BindOne(dir, source, name, m.flags, &bind_op);
    if (err != 0) Fail(plan, index, bind_op, err);
  }
  close(dir);
}

}  // namespace shim
