// The command lines of CRIU (checkpoint/restore in user space) for a
// container, as runc's checkpoint and restore ask CRIU for them (runc
// speaks CRIU's RPC protocol; run_oci runs the criu binary with the same
// options spelled as flags). Pure: unit-tested without running criu.
#ifndef LIBCONTAINER_CRIU_ARGS_H_
#define LIBCONTAINER_CRIU_ARGS_H_

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libcontainer/config.h"

namespace libcontainer {

// Options both directions share (runc's checkpoint and restore flags).
struct CriuCommonOptions {
  std::string images_dir;  // absolute
  std::string work_dir;    // absolute; logs go here
  bool tcp_established = false;
  bool ext_unix_sk = false;
  bool shell_job = false;
  bool file_locks = false;
  bool auto_dedup = false;
  bool lazy_pages = false;
  // "" (criu's default, soft), "soft", "full", "strict" or "ignore".
  std::string manage_cgroups_mode;
  // Mounts of host directories into the container: CRIU cannot dump what
  // lies outside the container's mount tree, so each is named as external
  // (destination inside the container, and its host source for restore).
  std::vector<std::pair<std::string, std::string>> external_mounts;
  // Masked paths that are files, bound over by the host's /dev/null.
  std::vector<std::string> masked_files;
};

struct CriuDumpOptions {
  CriuCommonOptions common;
  pid_t pid = 0;            // the container's init: the tree to dump
  std::string root;         // the rootfs on the host
  std::string freezer_dir;  // CRIU freezes the tree with this cgroup
  bool leave_running = false;
  bool pre_dump = false;    // memory only, tracked; the container runs on
  std::string parent_path;  // an earlier pre-dump, relative to images_dir
  std::string page_server;  // "ADDRESS:PORT"
  int status_fd = -1;       // lazy pages: CRIU writes \0 when ready
};

struct CriuRestoreOptions {
  CriuCommonOptions common;
  std::string root;         // where the rootfs is mounted for CRIU
  std::string pid_file;     // CRIU writes the restored init's pid here
  std::string cgroup_root;  // the new container's cgroup (relative path)
  std::string lsm_profile;  // "TYPE:NAME"
  std::string lsm_mount_context;
  // --empty-ns: namespaces created empty; runc always includes the network
  // namespace, whose devices it does not manage.
  std::vector<std::string> empty_ns = {"net"};
  // Descriptors the restored tree inherits from us: {fd, CRIU's key for
  // the original, e.g. "pipe:[1234]"} (runc's descriptors.json).
  std::vector<std::pair<int, std::string>> inherit_fds;
};

// argv for `criu dump` (or `criu pre-dump`), criu's path first.
// InvalidArgument for a --page-server that is not ADDRESS:PORT, an
// absolute --parent-path, an unknown cgroups mode.
absl::StatusOr<std::vector<std::string>> CriuDumpArgs(
    const std::string& criu, const CriuDumpOptions& options);

// argv for `criu restore`, detached, the restored init a sibling of criu.
absl::StatusOr<std::vector<std::string>> CriuRestoreArgs(
    const std::string& criu, const CriuRestoreOptions& options);

// The mounts CRIU has to be told about, from a container's config: every
// bind mount (a host directory or file) and, below a "cgroup" mount, the
// binds of the container's own cgroup directories that run_oci makes there
// (`cgroup_binds`: {name under the mount, "" for the mount itself; host
// directory}, as shim::CgroupBindSpec has them).
std::vector<std::pair<std::string, std::string>> CriuExternalMounts(
    const Config& config,
    const std::vector<std::pair<std::string, std::string>>& cgroup_binds);

// The same for a running container, from its init's /proc/<pid>/mountinfo
// text: the mount points (other than the root) of file systems CRIU does not
// make itself, i.e. binds of host directories, files and devices, and the
// cgroup binds. proc, sysfs, tmpfs (its contents are dumped), devpts and
// mqueue are the container's own.
std::vector<std::string> CriuExternalMountPoints(absl::string_view mountinfo);

// The first reason in criu's own output: the message of its first
// "Error (file:line): message" line that is not a helper's exit status,
// else its last non-empty line.
std::string CriuErrorReason(absl::string_view output);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CRIU_ARGS_H_
