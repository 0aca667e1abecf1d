// Cgroups::Update and its ordering rule.
#include "libcontainer/cgroup_update.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/cgroup_file.h"
#include "libcontainer/cgroup_v1.h"
#include "libcontainer/cgroup_v2.h"
#include "libcontainer/cgroups.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

constexpr char kMemoryLimit[] = "memory.limit_in_bytes";
constexpr char kMemswLimit[] = "memory.memsw.limit_in_bytes";

std::optional<int64_t> ReadInt(const std::string& dir, const char* file) {
  if (dir.empty()) return std::nullopt;
  absl::StatusOr<std::string> text = ReadCgroupFile(dir, file);
  int64_t value = 0;
  if (!text.ok() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &value)) {
    return std::nullopt;
  }
  return value;
}

// memory.checkBeforeUpdate (runtime-spec 1.2): a new limit below what the
// container uses now is refused instead of making the kernel reclaim or
// OOM-kill.
absl::Status CheckBeforeUpdate(const Resources& r, const std::string& dir,
                               const char* usage_file) {
  if (!r.memory || !r.memory->check_before_update.value_or(false)) {
    return absl::OkStatus();
  }
  std::optional<int64_t> limit = UnlessZero(r.memory->limit);
  if (!limit || *limit < 0) return absl::OkStatus();
  std::optional<int64_t> usage = ReadInt(dir, usage_file);
  if (usage && *usage > *limit) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cgroup: memory.limit: ", *limit, " is below the current usage ",
        *usage, " (", dir, "/", usage_file, "; memory.checkBeforeUpdate)"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<CgroupWrite> OrderForLiveCgroup(
    std::vector<CgroupWrite> writes, std::optional<int64_t> current_limit) {
  auto is = [](const char* file) {
    return [file](const CgroupWrite& w) {
      return w.controller == "memory" && w.file == file;
    };
  };
  auto memory = std::find_if(writes.begin(), writes.end(), is(kMemoryLimit));
  auto memsw = std::find_if(writes.begin(), writes.end(), is(kMemswLimit));
  if (memory == writes.end() || memsw == writes.end() || !current_limit ||
      memsw < memory) {
    return writes;
  }
  int64_t new_memsw = 0;
  if (!absl::SimpleAtoi(memsw->value, &new_memsw)) return writes;
  if (new_memsw < 0 || new_memsw > *current_limit) {
    std::rotate(memory, memsw, memsw + 1);  // memsw moves before memory
  }
  return writes;
}

absl::Status Cgroups::Update(const CgroupHierarchies& hierarchies,
                             const Resources& resources) {
  Resources limits = resources;
  limits.devices.clear();
  std::vector<CgroupWrite> writes;
  if (!unified_only_) {
    ASSIGN_OR_RETURN(std::vector<CgroupWrite> v1, PlanV1Writes(limits));
    v1.erase(std::remove_if(v1.begin(), v1.end(),
                            [](const CgroupWrite& w) {
                              return w.controller == "devices";
                            }),
             v1.end());
    const std::string memory = V1Dir("memory");
    writes = OrderForLiveCgroup(std::move(v1), ReadInt(memory, kMemoryLimit));
    RETURN_IF_ERROR(CheckBeforeUpdate(limits, memory, "memory.usage_in_bytes"));
  } else {
    RETURN_IF_ERROR(CheckBeforeUpdate(limits, unified_dir_, "memory.current"));
  }
  ASSIGN_OR_RETURN(std::vector<CgroupWrite> v2,
                   PlanV2Writes(limits, unified_only_));
  writes.insert(writes.end(), v2.begin(), v2.end());
  return Write(hierarchies, writes, /*devices_requested=*/false);
}

}  // namespace libcontainer
