#include "run_oci/criu_images.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/parser/json_reader.h"

namespace run_oci {
namespace {

std::string Absolute(const std::string& path, const std::string& cwd) {
  if (!path.empty() && path[0] == '/') return path;
  return absl::StrCat(cwd, "/", path);
}

// mkdir -p, recording what did not exist.
absl::Status MakeDirs(const std::string& path, std::vector<std::string>* made) {
  std::string prefix;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    absl::StrAppend(&prefix, "/", part);
    if (mkdir(prefix.c_str(), 0700) == 0) {
      made->push_back(prefix);
      continue;
    }
    struct stat st;
    if (errno != EEXIST || stat(prefix.c_str(), &st) != 0 ||
        !S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "mkdir ", prefix, ": ", strerror(errno == EEXIST ? ENOTDIR : errno)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

CriuImageDirs CriuImageDirsFor(const std::string& image_path,
                               const std::string& work_path,
                               const std::string& cwd) {
  CriuImageDirs dirs;
  dirs.images_dir = Absolute(
      image_path.empty() ? std::string("checkpoint") : image_path, cwd);
  dirs.work_dir =
      work_path.empty() ? dirs.images_dir : Absolute(work_path, cwd);
  return dirs;
}

absl::StatusOr<std::vector<std::string>> MakeCriuImageDirs(
    const CriuImageDirs& dirs) {
  std::vector<std::string> made;
  absl::Status status = MakeDirs(dirs.images_dir, &made);
  if (status.ok()) status = MakeDirs(dirs.work_dir, &made);
  if (!status.ok()) {
    for (auto it = made.rbegin(); it != made.rend(); ++it) rmdir(it->c_str());
    return status;
  }
  return made;
}

std::string CriuDescriptorsJson(const std::vector<std::string>& targets) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const std::string& target : targets) w.String(target);
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<std::vector<std::string>> ParseCriuDescriptorsJson(
    absl::string_view json, absl::string_view file_name) {
  rapidjson::Document doc;
  RETURN_IF_ERROR(ParseJsonDocument(json, file_name, &doc));
  JsonReader reader(file_name);
  std::vector<std::string> targets;
  RETURN_IF_ERROR(reader.Read(doc, "", &targets));
  return targets;
}

absl::StatusOr<std::vector<std::string>> StdioTargets(pid_t pid) {
  std::vector<std::string> targets;
  for (int fd = 0; fd < 3; ++fd) {
    std::string link = absl::StrCat("/proc/", pid, "/fd/", fd);
    char target[PATH_MAX];
    ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("readlink ", link, ": ", strerror(errno)));
    }
    targets.emplace_back(target, n);
  }
  return targets;
}

}  // namespace run_oci
