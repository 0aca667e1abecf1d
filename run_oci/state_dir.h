// The per-container directory <root>/<id>. Its creation with mkdir is the
// lock that decides which of two concurrent starts of one id wins; only the
// winner ever writes to or removes it.
#ifndef RUN_OCI_STATE_DIR_H_
#define RUN_OCI_STATE_DIR_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "minijail-shim/scoped_fd.h"
#include "run_oci/state_json.h"

namespace run_oci {

inline constexpr char kDefaultStateRoot[] = "/run/containers";

class StateDir {
 public:
  // File names inside the directory. The tag is also the lock file and
  // holds the first record; until the directory is complete it exists as
  // kPendingTag.
  static constexpr char kTag[] = ".run_oci";
  static constexpr char kPendingTag[] = ".run_oci.new";
  static constexpr char kRecord[] = "state.json";
  static constexpr char kPidFile[] = "container.pid";
  static constexpr char kStartSocket[] = "start.sock";  // start_socket.h
  static constexpr char kConfigLink[] = "config.json";
  static constexpr char kLogLink[] = "log";
  static constexpr char kMountpoints[] = "mountpoints";
  static constexpr char kContainerRootLink[] = "mountpoints/container-root";

  // Makes <root> if needed, then <root>/<id> atomically. AlreadyExists
  // "container <id> already exists" when another process got there first.
  static absl::StatusOr<StateDir> Create(const std::string& root,
                                         const std::string& id);
  // NotFound "container <id> does not exist" when there is no directory;
  // FailedPrecondition when the directory lacks run_oci's tag file.
  static absl::StatusOr<StateDir> Open(const std::string& root,
                                       const std::string& id);

  const std::string& path() const { return path_; }
  const std::string& id() const { return id_; }
  std::string File(const char* name) const { return path_ + "/" + name; }

  // The record once the container process exists: state.json, atomic
  // (written to a temporary, renamed).
  absl::Status WriteRecord(const StateRecord& record) const;
  // state.json; before it exists, the first record, kept in the tag.
  absl::StatusOr<StateRecord> ReadRecord() const;
  // For a directory this process just created: makes the pending tag with
  // the first record in it (all that destroy needs to undo a create that
  // died halfway) and takes its lock (see Lock()) before anyone else can
  // open it. One file for the tag, the lock and the first record because
  // every inode created costs: ext4 without a journal skips inodes freed
  // in the last minutes when it allocates one, so under container churn
  // each create in the state root took 0.3 ms on this project's benchmark
  // host.
  absl::StatusOr<shim::ScopedFd> CreateLockedTag(
      const StateRecord& first_record) const;
  // Renames the pending tag into place, which marks the directory complete
  // enough for other commands; done last. The lock moves with the file.
  absl::Status WriteTag() const;
  absl::Status WritePidFile(pid_t pid) const;
  // Creates <dir>/<name> -> target (directories below <dir> included).
  absl::Status Symlink(const std::string& target, const char* name) const;
  bool HasStartSocket() const;
  // An exclusive lock on the tag file, held until the fd closes: commands
  // that change one container (start, destroy, a create in progress) take
  // turns instead of interleaving.
  absl::StatusOr<shim::ScopedFd> Lock() const;
  // After waiting for `lock` (from Lock()): false when a destroy removed
  // the directory meanwhile, also when a new container of the same id has
  // been created since (its tag is another file, so the lock is not on it).
  bool StillExists(const shim::ScopedFd& lock) const;

 private:
  StateDir(std::string path, std::string id)
      : path_(std::move(path)), id_(std::move(id)) {}
  std::string path_;  // canonical: mountinfo shows resolved paths
  std::string id_;
};

// Writes `contents` to `path` through a temporary file and rename(2).
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents);
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace run_oci

#endif  // RUN_OCI_STATE_DIR_H_
