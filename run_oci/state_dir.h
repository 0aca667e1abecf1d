// The per-container directory <root>/<id>. It appears complete with its tag
// or not at all: built under a temporary name in <root> and renamed into
// place with RENAME_NOREPLACE, which also decides which of two concurrent
// creates of one id wins; only the winner ever writes to or removes it.
#ifndef RUN_OCI_STATE_DIR_H_
#define RUN_OCI_STATE_DIR_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/small_files.h"
#include "run_oci/state_json.h"

namespace run_oci {

inline constexpr char kDefaultStateRoot[] = "/run/containers";

class StateDir {
 public:
  // File names inside the directory. The tag is also the lock file and
  // holds the first record until state.json exists.
  static constexpr char kTag[] = ".run_oci";
  static constexpr char kRecord[] = "state.json";
  static constexpr char kPidFile[] = "container.pid";
  static constexpr char kStartSocket[] = "start.sock";  // start_socket.h
  static constexpr char kConfigLink[] = "config.json";
  static constexpr char kLogLink[] = "log";
  static constexpr char kMountpoints[] = "mountpoints";
  static constexpr char kContainerRootLink[] = "mountpoints/container-root";

  // Makes <root> if needed, then <root>/<id> with the tag in it holding
  // `first_record` (all that destroy needs to undo a create that dies
  // later) and locked by `*lock` (see Lock()) before anyone can open it:
  // mkdir of <root>/.creating.<hash of id>.<pid>.<start time>, the tag,
  // then renameat2(RENAME_NOREPLACE) to <root>/<id>. A SIGKILL at any point
  // leaves either nothing under <id> or a tagged directory destroy can
  // clean, plus at most a temporary that names its dead creator
  // (RemoveDeadTemporaries). AlreadyExists "container <id> already exists"
  // when <id> is taken; the temporary is removed then. One file for the
  // tag, the lock and the first record because every inode created costs:
  // ext4 without a journal skips inodes freed in the last minutes when it
  // allocates one, so under container churn each create in the state root
  // took 0.3 ms on this project's benchmark host.
  static absl::StatusOr<StateDir> Create(const std::string& root,
                                         const std::string& id,
                                         const StateRecord& first_record,
                                         base::ScopedFd* lock);
  // The temporaries of Create(root, id) are <root>/<prefix><pid>.<start
  // time of that pid> (proc_stat.h).
  static std::string TemporaryPrefix(absl::string_view id);
  // Removes the temporaries of Create(root, id) whose creator is dead (gone,
  // or its pid now names another process, and the tag, if any, unlocked).
  // Returns how many it removed.
  static absl::StatusOr<int> RemoveDeadTemporaries(const std::string& root,
                                                   const std::string& id);
  // NotFound "container does not exist: <id>" when there is no directory;
  // FailedPrecondition when the directory lacks run_oci's tag file.
  static absl::StatusOr<StateDir> Open(const std::string& root,
                                       const std::string& id);

  const std::string& path() const { return path_; }
  const std::string& id() const { return id_; }
  std::string File(const char* name) const { return path_ + "/" + name; }

  // The record once the container process exists: state.json, atomic
  // (written to a temporary, renamed).
  absl::Status WriteRecord(const StateRecord& record) const;
  // state.json; before it exists, the first record, kept in the tag. Both
  // are read as regular files only (never through a symlink, a FIFO or a
  // device), at most kMaxStateRecordBytes.
  absl::StatusOr<StateRecord> ReadRecord() const;
  // container.pid: the pid in bare decimal digits, as --pid-file.
  absl::Status WritePidFile(pid_t pid) const;
  // Creates <dir>/<name> -> target (directories below <dir> included).
  absl::Status Symlink(const std::string& target, const char* name) const;
  bool HasStartSocket() const;
  // An exclusive lock on the tag file, held until the fd closes: commands
  // that change one container (start, destroy, a create in progress) take
  // turns instead of interleaving.
  absl::StatusOr<base::ScopedFd> Lock() const;
  // Unmounts what is mounted under the directory, renames it out of the
  // way (to a temporary of this process, see Create) and removes it there:
  // a SIGKILL meanwhile leaves a temporary RemoveDeadTemporaries takes, never
  // a half-emptied directory without its tag that would block the id. A
  // directory already gone is fine.
  absl::Status Remove() const;
  // After waiting for `lock` (from Lock()): false when a destroy removed
  // the directory meanwhile, also when a new container of the same id has
  // been created since (its tag is another file, so the lock is not on it).
  bool StillExists(const base::ScopedFd& lock) const;

 private:
  StateDir(std::string path, std::string id)
      : path_(std::move(path)), id_(std::move(id)) {}
  std::string path_;  // canonical: mountinfo shows resolved paths
  std::string id_;
};

}  // namespace run_oci

#endif  // RUN_OCI_STATE_DIR_H_
