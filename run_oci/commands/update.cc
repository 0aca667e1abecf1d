// `update [--resources FILE|-] [runc's flags] <id>`: new limits for a
// created, running or paused container, written through the planners that
// set them at create (libcontainer::Cgroups::Update) and kept in the state
// record. As runc: with --resources the other flags are ignored; what is
// not given stays as it is.
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "libcontainer/cgroup_write.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_errors.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/parser/resources_json.h"
#include "run_oci/recorded_cgroups.h"
#include "run_oci/state_dir.h"
#include "run_oci/update_flags.h"

namespace run_oci {
namespace {

absl::StatusOr<std::string> ReadStdin() {
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::InternalError(
          absl::StrCat("--resources -: read stdin: ", strerror(errno)));
    }
    if (n == 0) return text;
    text.append(buf, n);
    if (text.size() > kMaxJsonDocumentBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--resources -: larger than ", kMaxJsonDocumentBytes, " bytes"));
    }
  }
}

absl::StatusOr<libcontainer::Resources> ReadResourcesFile(
    const std::string& path) {
  std::string name = path == "-" ? "stdin" : path;
  absl::StatusOr<std::string> text =
      path == "-" ? ReadStdin() : base::ReadWholeFile(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("--resources: ", text.status().message()));
  }
  ASSIGN_OR_RETURN(libcontainer::Resources resources,
                   ParseResourcesDocument(*text, name));
  for (const std::string& member : NonUpdatableMembers(resources)) {
    LogWarning(absl::StrCat(name, ": ", member,
                            ": update does not change it; ignored"));
  }
  return resources;
}

absl::StatusOr<libcontainer::Resources> ReadRequest(const CommandLine& cl) {
  if (auto it = cl.command_flags.find("resources");
      it != cl.command_flags.end()) {
    return ReadResourcesFile(it->second);
  }
  std::vector<std::string> warnings;
  ASSIGN_OR_RETURN(libcontainer::Resources resources,
                   ResourcesFromUpdateFlags(cl.command_flags, &warnings));
  for (const std::string& warning : warnings) LogWarning(warning);
  return resources;
}

// v1 memsw must hold memory: say so instead of the kernel's bare EINVAL
// (the cgroup2 planner checks the same).
absl::Status CheckMemoryAndSwap(const libcontainer::Resources& r) {
  if (!r.memory) return absl::OkStatus();
  std::optional<int64_t> limit = libcontainer::UnlessZero(r.memory->limit);
  std::optional<int64_t> swap = libcontainer::UnlessZero(r.memory->swap);
  if (limit && swap && *limit > 0 && *swap > 0 && *swap < *limit) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory.swap (memory+swap, ", *swap,
                     ") must be at least memory.limit (", *limit,
                     "); give --memory-swap too"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> UpdateContainer(const CommandLine& cl) {
  // The request first: a bad flag or file changes nothing.
  ASSIGN_OR_RETURN(libcontainer::Resources request, ReadRequest(cl));
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenLiveContainer(cl, /*lock=*/true));
  StateRecord& record = existing.record;
  libcontainer::Resources merged = MergeResourceUpdate(
      record.resources.value_or(libcontainer::Resources{}), request);
  RETURN_IF_ERROR(CheckMemoryAndSwap(merged));
  ASSIGN_OR_RETURN(RecordedCgroups recorded, OpenRecordedCgroups(record));
  RETURN_IF_ERROR(recorded.cgroups.Update(recorded.hierarchies, merged));
  record.resources = std::move(merged);
  RETURN_IF_ERROR(existing.dir.WriteRecord(record));
  LogInfo(absl::StrCat("container ", cl.id, " updated"));
  return 0;
}

}  // namespace run_oci
