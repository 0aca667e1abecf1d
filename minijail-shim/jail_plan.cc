#include "minijail-shim/jail_plan.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/c_strings.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "minijail-shim/caps.h"
#include "minijail-shim/exec.h"
#include "minijail-shim/exec_stub/stub_abi.h"
#include "minijail-shim/namespaces.h"
#include "minijail-shim/passwd_home.h"
#include "minijail-shim/path_resolve.h"
#include "minijail-shim/protected_paths.h"

namespace shim {
namespace {

constexpr char kDefaultPath[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool IsBind(const MountSpec& m) {
  return (m.flags & MS_BIND) != 0 || m.type == "bind" || m.type == "rbind";
}

std::vector<std::string> ExecCandidates(const JailSpec& spec) {
  // No program (an OCI config without `process`): nothing to execve, ever.
  if (spec.argv.empty()) return {};
  const std::string& prog = spec.argv[0];
  if (prog.find('/') != std::string::npos) return {prog};
  std::string path = kDefaultPath;
  for (const std::string& e : spec.env) {
    if (absl::StartsWith(e, "PATH=")) path = e.substr(5);
  }
  std::vector<std::string> out;
  for (absl::string_view dir : absl::StrSplit(path, ':')) {
    // An empty PATH entry means the current directory (execvp(3)).
    out.push_back(dir.empty() ? prog : absl::StrCat(dir, "/", prog));
  }
  return out;
}

bool HasEnv(const std::vector<std::string>& env, absl::string_view name) {
  for (const std::string& e : env) {
    if (absl::StartsWith(e, name) && e.size() > name.size() &&
        e[name.size()] == '=') {
      return true;
    }
  }
  return false;
}

// Whether the comma-separated mount data sets `name` ("mode=1777").
bool HasDataOption(const std::string& data, absl::string_view name) {
  for (absl::string_view option : absl::StrSplit(data, ',')) {
    if (absl::StartsWith(option, name) && option.size() > name.size() &&
        option[name.size()] == '=') {
      return true;
    }
  }
  return false;
}

// What MountCgroup relies on: something to bind, and either the one
// nameless entry (bound on the mount itself) or names that are each one new
// entry in the mount's tmpfs.
absl::Status CheckCgroupBinds(const JailSpec& spec, const std::string& what) {
  const std::vector<CgroupBindSpec>& binds = spec.cgroup_binds;
  if (binds.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("jail: ", what, ": no cgroup directories to bind"));
  }
  if (binds.size() == 1 && binds[0].name.empty()) return absl::OkStatus();
  for (const CgroupBindSpec& bind : binds) {
    if (bind.name.empty() || bind.name == "." || bind.name == ".." ||
        absl::StrContains(bind.name, '/')) {
      return absl::InvalidArgumentError(
          absl::StrCat("jail: ", what, ": cgroup bind of ", bind.source,
                       ": name \"", bind.name, "\" is not one entry"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

absl::Status CheckRootfs(const std::string& rootfs) {
  if (rootfs[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("jail: rootfs ", rootfs, ": must be absolute"));
  }
  struct stat st;
  if (stat(rootfs.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("jail: rootfs ", rootfs, ": stat: ", strerror(errno)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("jail: rootfs ", rootfs, ": not a directory"));
  }
  return absl::OkStatus();
}

// Each named as config.json numbers it (MountNumber).
absl::Status CheckMounts(const JailSpec& spec) {
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const MountSpec& m = spec.mounts[i];
    const std::string name = absl::StrCat("mounts[", MountNumber(m, i), "]");
    RETURN_IF_ERROR(CheckContainerPath(m.target, name));
    if ((!m.uid_mappings.empty() || !m.gid_mappings.empty()) && !IsBind(m)) {
      return absl::InvalidArgumentError(
          absl::StrCat("jail: ", name, " (", m.target,
                       "): idmapped mounts must be bind mounts"));
    }
    if (m.type == "cgroup") {
      RETURN_IF_ERROR(CheckCgroupBinds(
          spec, absl::StrCat(name, " (", m.target, "): cgroup mount")));
    }
    if (m.copy_up && m.type != "tmpfs") {
      return absl::InvalidArgumentError(absl::StrCat(
          "jail: ", name, " (", m.target, "): tmpcopyup needs a tmpfs"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDevicesAndPaths(const JailSpec& spec) {
  for (size_t i = 0; i < spec.devices.size(); ++i) {
    const std::string what = absl::StrCat("devices[", i, "]");
    RETURN_IF_ERROR(CheckContainerPath(spec.devices[i].path, what));
    if (!absl::StartsWith(spec.devices[i].path, "/dev/") ||
        absl::StrContains(spec.devices[i].path, "/..")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "jail: ", what, " ", spec.devices[i].path, ": not under /dev"));
    }
  }
  for (size_t i = 0; i < spec.masked_paths.size(); ++i) {
    RETURN_IF_ERROR(CheckContainerPath(spec.masked_paths[i],
                                       absl::StrCat("maskedPaths[", i, "]")));
  }
  for (size_t i = 0; i < spec.readonly_paths.size(); ++i) {
    RETURN_IF_ERROR(CheckContainerPath(spec.readonly_paths[i],
                                       absl::StrCat("readonlyPaths[", i, "]")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSpec(const JailSpec& spec) {
  // Only a process that waits for a start may lack a program (OCI create
  // without `process`); with no exec candidates it can never execve.
  if ((spec.argv.empty() && spec.start_fd < 0) ||
      (!spec.argv.empty() && spec.argv[0].empty())) {
    return absl::InvalidArgumentError("jail: argv: empty");
  }
  if ((!spec.hostname.empty() || !spec.domainname.empty()) &&
      !CreatesNamespace(spec, CLONE_NEWUTS)) {
    return absl::InvalidArgumentError(
        "jail: hostname/domainname: needs a new UTS namespace");
  }
  if ((!spec.uid_map.empty() || !spec.gid_map.empty()) &&
      !CreatesNamespace(spec, CLONE_NEWUSER)) {
    return absl::InvalidArgumentError(
        "jail: uid/gid mappings: need a new user namespace");
  }
  const bool fs = !spec.rootfs.empty() || !spec.mounts.empty() ||
                  spec.default_dev || !spec.devices.empty() ||
                  !spec.masked_paths.empty() || !spec.readonly_paths.empty() ||
                  spec.rootfs_readonly;
  if (fs && !HasNamespace(spec, CLONE_NEWNS)) {
    return absl::InvalidArgumentError(
        "jail: rootfs/mounts/devices/masked and readonly paths: need a "
        "mount namespace");
  }
  // A joined pid namespace: the stub forks into it (ChildPlan::stub_forks),
  // which a new time namespace's own fork would come before.
  const bool pid_ns_of_its_own = CreatesNamespace(spec, CLONE_NEWPID) ||
                                 (HasNamespace(spec, CLONE_NEWPID) &&
                                  !CreatesNamespace(spec, CLONE_NEWTIME));
  if (spec.exec_stub_fd >= 0 &&
      (!pid_ns_of_its_own || spec.start_fd >= 0 || !spec.start_hooks.empty() ||
       !spec.run_as_init || !spec.selinux_label.empty() ||
       !spec.alt_syscall_table.empty())) {
    return absl::InvalidArgumentError(
        "jail: exec_stub_fd: only for a program in a pid namespace apart "
        "from ours, started at once, without start hooks, an init, SELinux "
        "label or alt-syscall table");
  }
  if (!spec.rootfs.empty()) RETURN_IF_ERROR(CheckRootfs(spec.rootfs));
  RETURN_IF_ERROR(CheckMounts(spec));
  RETURN_IF_ERROR(CheckDevicesAndPaths(spec));
  if (!spec.selinux_label.empty() && access("/sys/fs/selinux/enforce", F_OK)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "jail: selinux label set but SELinux is not enabled (label ",
        spec.selinux_label, ")"));
  }
  return absl::OkStatus();
}

absl::Status BuildPlan(const JailSpec& spec, ChildPlan* plan) {
  plan->spec = &spec;
  plan->mounts.resize(spec.mounts.size());
  // The /dev that gets the default entries: the spec's own tmpfs, or the
  // shim's before every mount. Only mounts after it are on top of it, and
  // stand in for the default pts, shm or mqueue.
  bool after_dev = spec.default_dev;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const MountSpec& m = spec.mounts[i];
    MountPlan& mp = plan->mounts[i];
    mp.is_bind = IsBind(m);
    if (m.default_dev_nodes && !after_dev) {
      after_dev = true;
    } else if (after_dev) {
      std::string target = m.target;
      while (target.size() > 1 && target.back() == '/') target.pop_back();
      plan->spec_mounts_dev_pts |= target == "/dev/pts";
      plan->spec_mounts_dev_shm |= target == "/dev/shm";
      plan->spec_mounts_dev_mqueue |= target == "/dev/mqueue";
    }
    if (m.copy_up) {
      mp.copy_up_mode = !HasDataOption(m.data, "mode");
      mp.copy_up_owner =
          !HasDataOption(m.data, "uid") && !HasDataOption(m.data, "gid");
    }
    if (!mp.is_bind) continue;
    struct stat st;
    if (stat(m.source.c_str(), &st) != 0) {
      return absl::NotFoundError(
          absl::StrCat("jail: mounts[", MountNumber(m, i), "] (", m.target,
                       "): source ", m.source, ": stat: ", strerror(errno)));
    }
    mp.source_is_dir = S_ISDIR(st.st_mode);
    mp.remount_flags = m.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  }
  RETURN_IF_ERROR(PlanProtectedPaths(spec, plan));
  ASSIGN_OR_RETURN(plan->last_cap, LastCap());
  if (spec.caps.has_value()) {
    ASSIGN_OR_RETURN(plan->caps, PrepareCaps(*spec.caps, plan->last_cap));
    plan->set_securebits = true;
    plan->securebits = SecurebitsFor(spec);
  }
  plan->exec_paths = ExecCandidates(spec);
  plan->argv = base::NullTerminated(spec.argv);
  plan->script_argv.resize(ScriptArgvSlots(spec.argv.size()) +
                           exec_stub::kFirstProgramArg);
  plan->envp = base::NullTerminated(spec.env);
  if (!HasEnv(spec.env, "HOME")) {
    plan->home_env =
        absl::StrCat("HOME=", HomeFromPasswd(spec.rootfs, spec.uid));
    plan->envp.insert(plan->envp.end() - 1,
                      const_cast<char*>(plan->home_env.c_str()));
  }
  return absl::OkStatus();
}

}  // namespace shim
