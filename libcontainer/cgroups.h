// The container's cgroups across every hierarchy: find the hierarchies,
// create the container's directory in each, apply the limits, add the
// process, kill everything in it and remove it again.
//
// Hybrid hosts (v1 controllers plus a controller-less cgroup2 tree at
// /sys/fs/cgroup/unified) are handled like runc's fs driver: limits go to v1
// and the container also gets a cgroup2 directory so that it is tracked
// there too (and Resources.unified has somewhere to go).
#ifndef LIBCONTAINER_CGROUPS_H_
#define LIBCONTAINER_CGROUPS_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/cgroup_write.h"
#include "libcontainer/resources.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/jail.h"

namespace libcontainer {

struct CgroupHierarchies {
  // v1 controller ("memory", "cpu", "name=systemd") → its mount point.
  // Co-mounted controllers ("cpu,cpuacct") share a mount point.
  std::map<std::string, std::string> v1;
  // The cgroup2 mount point; empty when there is none.
  std::string unified;

  bool unified_only() const { return v1.empty() && !unified.empty(); }
};

// From /proc/self/mountinfo text. Only the first mount of a controller
// counts.
CgroupHierarchies ParseCgroupMounts(absl::string_view mountinfo);
absl::StatusOr<CgroupHierarchies> DiscoverCgroupHierarchies();

// The container's cgroup path relative to each hierarchy root: cgroups_path
// when set (absolute or relative, both taken from the root), else
// <cgroup_parent>/<id>. Rejects "..", and empty results.
absl::StatusOr<std::string> CgroupRelativePath(absl::string_view cgroups_path,
                                               absl::string_view cgroup_parent,
                                               absl::string_view id);

struct CgroupOwner {
  uid_t uid = 0;
  gid_t gid = 0;
};

// How Create treats directories that exist already, and marks its own.
// runc refuses a container cgroup with processes in it ("container's cgroup
// is not empty"): limits would change for them too, and a teardown that
// kills and removes the cgroup would kill them. Either way a directory
// Create did not make is never killed nor removed (runtime-spec: the
// runtime MAY check that the cgroup is fit for purpose, e.g. refuse a
// non-empty one).
struct CgroupCreateOptions {
  // Join an existing, non-empty directory instead of refusing it.
  bool share = false;
  // Where the path came from, first in the refusal: "config.json:
  // linux.cgroupsPath \"/x\"".
  std::string origin;
  // Unique to this create and known to its later destroy: every directory
  // Create makes carries it (see cgroup_ownership.h). Empty: none.
  std::string tag;
};

class Cgroups {
 public:
  // Creates <hierarchy>/<relative_path> everywhere (parents as needed),
  // chowns what it made to `owner`, applies `resources`. A directory that
  // exists already is used as it is, or refused when it has processes (in
  // it or below) and `options.share` is not set. On error everything created
  // is removed again.
  static absl::StatusOr<Cgroups> Create(
      const CgroupHierarchies& hierarchies, const std::string& relative_path,
      const Resources& resources, std::optional<CgroupOwner> owner,
      const CgroupCreateOptions& options = {});

  // The cgroups of a container made earlier, for DestroyDetached.
  // `created_leaves` (CreatedLeaves() of the Create that made them) are
  // the container's directories that are its own: KillAll kills in them
  // and Remove() removes them. Without the list (a create that died before
  // recording it) its own are those carrying `tag` (CgroupCreateOptions::
  // tag), with their tagged ancestors; other container directories are
  // removed only when they have no processes (left with a warning
  // otherwise). Remove() also takes, when empty, those of `created_parents`
  // (CreatedParents()) that are ancestors of a leaf. Entries of either list
  // that are not the container's directories or their ancestors are
  // ignored: the lists come from the state directory.
  static Cgroups Existing(const CgroupHierarchies& hierarchies,
                          const std::string& relative_path,
                          const std::vector<std::string>& created_parents = {},
                          const std::optional<std::vector<std::string>>&
                              created_leaves = std::nullopt,
                          absl::string_view tag = "");

  Cgroups(Cgroups&&) = default;
  Cgroups& operator=(Cgroups&&) = default;

  // Adds one device rule after the configured ones: a devices.allow write
  // on v1, a new device filter in place of the old one on a cgroup2-only
  // host; a no-op with neither.
  absl::Status AllowDevice(const CgroupDeviceRule& rule);

  // New limits for a container that exists (runc update): Create's plans
  // and writes, in an order that suits limits already in force, without
  // the device rules, which stay as created (cgroup_update.cc).
  absl::Status Update(const CgroupHierarchies& hierarchies,
                      const Resources& resources);

  // Moves `pid` into every cgroup of the container.
  absl::Status AddProcess(pid_t pid) const;

  // What a child needs to join every cgroup of the container by itself,
  // without the global lock that AddProcess's writes take (see
  // shim::JailSpec::cgroup_joins): each v1 directory's "tasks" file, open
  // for writing, and the cgroup2 directory (invalid when there is none).
  struct SelfJoin {
    std::vector<base::ScopedFd> tasks_fds;
    std::vector<std::string> tasks_paths;
    base::ScopedFd cgroup2_dir;
  };
  absl::StatusOr<SelfJoin> OpenForSelfJoin() const;

  // In the container's directories that Create made: freezes, SIGKILLs
  // every member, thaws and waits (bounded) until they are empty. Missing
  // cgroups are fine. Directories it did not make are left alone: the
  // caller kills the container's init there (with a new pid namespace the
  // kernel then kills the rest).
  absl::Status KillAll() const;

  // Removes the directories Create made (the container's and its parents),
  // deepest first. Missing ones are fine; a busy one is an error.
  absl::Status Remove();

  // Remove() for a container whose processes should all be gone already:
  // one rmdir pass, no waiting. True when every directory of the
  // container's own is gone; false at the first one that is busy or
  // fails, which stays with those after it for KillAll() and Remove().
  // The kernel refuses to rmdir a cgroup with members, so this can never
  // strand a process; it only saves KillAll's reads when there is nothing
  // to kill.
  bool RemoveIfEmpty();

  // The directories above the container's own that Create made, deepest
  // first, for a later Existing() to remove again.
  std::vector<std::string> CreatedParents() const;
  // The container's own directories that Create made (all of Dirs() unless
  // some existed before), for a later Existing().
  std::vector<std::string> CreatedLeaves() const;

  // Every directory of the container, one per distinct hierarchy.
  std::vector<std::string> Dirs() const;
  // The container's directory for a v1 controller, or "" if not mounted.
  std::string V1Dir(const std::string& controller) const;
  const std::string& unified_dir() const { return unified_dir_; }
  // What the container's "cgroup" mounts show (shim::JailSpec::
  // cgroup_binds): each v1 directory, named after its hierarchy's mount
  // point ("cpu,cpuacct"); on a cgroup2-only host the cgroup2 directory
  // itself. A hybrid host's unified directory is left out, as runc does.
  std::vector<shim::CgroupBindSpec> MountBinds() const;

 private:
  Cgroups() = default;
  absl::Status MakeDirs(const CgroupHierarchies& h, const std::string& rel,
                        absl::string_view tag);
  // Refuses a container directory that existed and has processes, unless
  // `options.share`.
  absl::Status CheckReused(const CgroupCreateOptions& options) const;
  // Existing() without the record: the leaves and ancestors with `tag`.
  void AdoptTagged(const CgroupHierarchies& h, const std::string& rel,
                   absl::string_view tag);
  // Whether rmdir(2) of `dir` failed only because it is a parent that
  // another container's cgroup still uses (to be left, not an error).
  bool HeldByAnother(const std::string& dir, int rmdir_errno) const;
  // The directories KillAll may empty: those Create made.
  std::vector<std::string> OwnDirs() const;
  absl::Status Chown(const CgroupOwner& owner) const;
  absl::Status Apply(const CgroupHierarchies& h, const Resources& r);
  // Performs planned writes (Apply's and Update's). A devices write with
  // no devices hierarchy is skipped unless `devices_requested`.
  absl::Status Write(const CgroupHierarchies& h,
                     const std::vector<CgroupWrite>& writes,
                     bool devices_requested);
  // On a cgroup2-only host: compiles device_rules_ and attaches the program
  // to the container's directory, replacing device_filter_.
  absl::Status AttachDeviceRules();

  std::map<std::string, std::string> v1_dirs_;  // controller → dir
  // v1 dir → the last name of its hierarchy's mount point.
  std::map<std::string, std::string> v1_mount_names_;
  std::string unified_dir_;
  bool unified_only_ = false;
  // Directories to remove, deepest first.
  std::vector<std::string> to_remove_;
  std::set<std::string> leaves_;  // the container's own directories
  // Those of leaves_ that Create made; the rest existed before it.
  std::set<std::string> created_leaves_;
  // False for Existing() without its list of created leaves.
  bool ownership_known_ = true;
  // For parents_first writes: dirs this container created, per mount point,
  // top-down, leaf last.
  std::map<std::string, std::vector<std::string>> created_chain_;
  // cgroup2-only hosts: every device rule so far and the program made of
  // them (kept to be replaced when AllowDevice adds one).
  std::vector<CgroupDeviceRule> device_rules_;
  base::ScopedFd device_filter_;
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUPS_H_
