// A directory under /tmp that is removed, with everything in it, when the
// object goes. Removal never crosses into a mount point: whatever a test
// left mounted there stays visible to the leak checker instead of being
// deleted through.
#ifndef TESTS_TESTING_TEMP_DIR_H_
#define TESTS_TESTING_TEMP_DIR_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ocitest {

class TempDir {
 public:
  // Creates /tmp/<prefix>-XXXXXX (mode 0755, so containers with a user
  // namespace can still reach a rootfs under it).
  static absl::StatusOr<TempDir> Create(absl::string_view prefix = "ocitest");

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Sub(absl::string_view name) const;

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Removes `path` recursively without following symlinks or crossing mount
// points.
absl::Status RemoveTree(const std::string& path);

absl::Status WriteFile(const std::string& path, absl::string_view contents,
                       int mode = 0644);
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace ocitest

#endif  // TESTS_TESTING_TEMP_DIR_H_
