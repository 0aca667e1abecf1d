// A checkpoint's directories as runc lays them out: CRIU's images in the
// image path (default ./checkpoint), its logs in the work path (default:
// the image path, CRIU's own default), and descriptors.json beside the
// images, naming what the init's stdin, stdout and stderr were ("/dev/null",
// "pipe:[1234]"), which restore needs to hand the right fds back.
#ifndef RUN_OCI_CRIU_IMAGES_H_
#define RUN_OCI_CRIU_IMAGES_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace run_oci {

inline constexpr char kCriuDescriptorsFile[] = "descriptors.json";

struct CriuImageDirs {
  std::string images_dir;  // absolute
  std::string work_dir;    // absolute
};

// `image_path`, `work_path`: the flags ("" when not given); relative ones
// are taken from `cwd`.
CriuImageDirs CriuImageDirsFor(const std::string& image_path,
                               const std::string& work_path,
                               const std::string& cwd);

// Makes whatever of both directories is missing (parents too, mode 0700:
// the images hold the container's memory). Returns what it made, the
// outermost first, for a failed checkpoint to remove again.
absl::StatusOr<std::vector<std::string>> MakeCriuImageDirs(
    const CriuImageDirs& dirs);

// ["/dev/null","pipe:[1234]","/dev/pts/0"].
std::string CriuDescriptorsJson(const std::vector<std::string>& targets);
absl::StatusOr<std::vector<std::string>> ParseCriuDescriptorsJson(
    absl::string_view json, absl::string_view file_name);

// What /proc/<pid>/fd/0, 1 and 2 link to.
absl::StatusOr<std::vector<std::string>> StdioTargets(pid_t pid);

}  // namespace run_oci

#endif  // RUN_OCI_CRIU_IMAGES_H_
