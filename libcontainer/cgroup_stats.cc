#include "libcontainer/cgroup_stats.h"

#include <dirent.h>
#include <unistd.h>

#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/cgroup_file.h"
#include "libcontainer/cgroup_stat_parse.h"
#include "minijail-shim/base/status_macros.h"

namespace libcontainer {
namespace {

constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();
constexpr char kHugepagesDir[] = "/sys/kernel/mm/hugepages";

// A file of a controller that is not mounted, or that this kernel lacks,
// is nullopt; one that exists but cannot be read is an error.
absl::StatusOr<std::optional<std::string>> ReadIfPresent(
    const std::string& dir, const std::string& file) {
  if (dir.empty()) return std::optional<std::string>();
  absl::StatusOr<std::string> text = ReadCgroupFile(dir, file);
  if (absl::IsNotFound(text.status())) return std::optional<std::string>();
  if (!text.ok()) return text.status();
  return std::optional<std::string>(*std::move(text));
}

// Reads one file and hands its text to `use` when it exists.
template <typename Fn>
absl::Status WithFile(const std::string& dir, const std::string& file, Fn use) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, ReadIfPresent(dir, file));
  if (text) use(*text);
  return absl::OkStatus();
}

absl::Status ReadNumber(const std::string& dir, const std::string& file,
                        uint64_t max_value, uint64_t* out) {
  return WithFile(dir, file, [&](const std::string& text) {
    *out = ParseLimit(text, max_value);
  });
}

absl::Status ReadV1Cpu(const Cgroups& c, CpuStats* out) {
  const std::string acct = c.V1Dir("cpuacct");
  RETURN_IF_ERROR(ReadNumber(acct, "cpuacct.usage", 0, &out->total));
  RETURN_IF_ERROR(WithFile(acct, "cpuacct.usage_percpu", [&](auto& text) {
    out->percpu = ParseUintList(text);
  }));
  RETURN_IF_ERROR(WithFile(acct, "cpuacct.usage_all", [&](auto& text) {
    ParseCpuacctUsageAll(text, &out->percpu_user, &out->percpu_kernel);
  }));
  // cpuacct.stat counts USER_HZ ticks.
  const uint64_t ns_per_tick = 1000000000ull / sysconf(_SC_CLK_TCK);
  RETURN_IF_ERROR(WithFile(acct, "cpuacct.stat", [&](auto& text) {
    std::map<std::string, uint64_t> stat = ParseFlatKeyed(text);
    out->user = stat["user"] * ns_per_tick;
    out->kernel = stat["system"] * ns_per_tick;
  }));
  return WithFile(c.V1Dir("cpu"), "cpu.stat", [&](auto& text) {
    std::map<std::string, uint64_t> stat = ParseFlatKeyed(text);
    out->periods = stat["nr_periods"];
    out->throttled_periods = stat["nr_throttled"];
    out->throttled_time = stat["throttled_time"];
  });
}

// cgroup2's cpu.stat is there without the cpu controller (usage only).
absl::Status ReadV2Cpu(const std::string& dir, CpuStats* out) {
  return WithFile(dir, "cpu.stat", [&](auto& text) {
    std::map<std::string, uint64_t> stat = ParseFlatKeyed(text);
    out->total = stat["usage_usec"] * 1000;
    out->user = stat["user_usec"] * 1000;
    out->kernel = stat["system_usec"] * 1000;
    out->periods = stat["nr_periods"];
    out->throttled_periods = stat["nr_throttled"];
    out->throttled_time = stat["throttled_usec"] * 1000;
  });
}

absl::Status ReadV1Cpuset(const std::string& dir, CpusetStats* out) {
  RETURN_IF_ERROR(WithFile(
      dir, "cpuset.cpus", [&](auto& text) { out->cpus = ParseCpuList(text); }));
  RETURN_IF_ERROR(WithFile(
      dir, "cpuset.mems", [&](auto& text) { out->mems = ParseCpuList(text); }));
  for (auto [file, field] :
       {std::pair{"cpuset.cpu_exclusive", &out->cpu_exclusive},
        {"cpuset.mem_hardwall", &out->mem_hardwall},
        {"cpuset.mem_exclusive", &out->mem_exclusive},
        {"cpuset.memory_migrate", &out->memory_migrate},
        {"cpuset.memory_spread_page", &out->memory_spread_page},
        {"cpuset.memory_spread_slab", &out->memory_spread_slab},
        {"cpuset.memory_pressure", &out->memory_pressure},
        {"cpuset.sched_load_balance", &out->sched_load_balance}}) {
    RETURN_IF_ERROR(ReadNumber(dir, file, 0, field));
  }
  return WithFile(dir, "cpuset.sched_relax_domain_level", [&](auto& text) {
    int64_t level = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &level)) {
      out->sched_relax_domain_level = level;
    }
  });
}

// memory.*, memory.memsw.*, memory.kmem.*, memory.kmem.tcp.*.
absl::Status ReadV1MemoryEntry(const std::string& dir,
                               const std::string& prefix, MemoryEntry* out) {
  RETURN_IF_ERROR(
      ReadNumber(dir, absl::StrCat(prefix, ".limit_in_bytes"), 0, &out->limit));
  RETURN_IF_ERROR(
      ReadNumber(dir, absl::StrCat(prefix, ".usage_in_bytes"), 0, &out->usage));
  RETURN_IF_ERROR(ReadNumber(dir, absl::StrCat(prefix, ".max_usage_in_bytes"),
                             0, &out->max));
  return ReadNumber(dir, absl::StrCat(prefix, ".failcnt"), 0, &out->failcnt);
}

absl::Status ReadV1Memory(const std::string& dir, MemoryStats* out) {
  RETURN_IF_ERROR(WithFile(dir, "memory.stat", [&](auto& text) {
    out->raw = ParseFlatKeyed(text);
  }));
  out->cache = out->raw.count("cache") ? out->raw["cache"] : 0;
  RETURN_IF_ERROR(ReadV1MemoryEntry(dir, "memory", &out->usage));
  RETURN_IF_ERROR(ReadV1MemoryEntry(dir, "memory.memsw", &out->swap));
  RETURN_IF_ERROR(ReadV1MemoryEntry(dir, "memory.kmem", &out->kernel));
  return ReadV1MemoryEntry(dir, "memory.kmem.tcp", &out->kernel_tcp);
}

// memory.* and memory.swap.*: current, max and peak, and from the events
// file the count of `limit_event` ("max" for memory, "fail" for swap).
absl::Status ReadV2MemoryEntry(const std::string& dir,
                               const std::string& prefix,
                               const char* limit_event, MemoryEntry* out) {
  RETURN_IF_ERROR(
      ReadNumber(dir, absl::StrCat(prefix, ".current"), 0, &out->usage));
  RETURN_IF_ERROR(
      ReadNumber(dir, absl::StrCat(prefix, ".max"), kNoLimit, &out->limit));
  RETURN_IF_ERROR(ReadNumber(dir, absl::StrCat(prefix, ".peak"), 0, &out->max));
  return WithFile(dir, absl::StrCat(prefix, ".events"), [&](auto& text) {
    out->failcnt = ParseFlatKeyed(text)[limit_event];
  });
}

absl::Status ReadV2Memory(const std::string& dir, MemoryStats* out) {
  RETURN_IF_ERROR(WithFile(dir, "memory.stat", [&](auto& text) {
    out->raw = ParseFlatKeyed(text);
  }));
  out->cache = out->raw.count("file") ? out->raw["file"] : 0;
  MemoryEntry& usage = out->usage;
  RETURN_IF_ERROR(ReadV2MemoryEntry(dir, "memory", "max", &usage));
  // v1's memsw counts memory and swap together; runc reports cgroup2's
  // swap the same way so that readers see one meaning.
  MemoryEntry& swap = out->swap;
  RETURN_IF_ERROR(ReadV2MemoryEntry(dir, "memory.swap", "fail", &swap));
  swap.usage += usage.usage;
  if (swap.limit != kNoLimit && usage.limit != kNoLimit) {
    swap.limit += usage.limit;
  } else {
    swap.limit = kNoLimit;
  }
  return absl::OkStatus();
}

// The first of the v1 blkio file pairs that has entries: BFQ's own
// accounting when the device uses BFQ, else the throttle layer's, which
// counts every device.
absl::Status ReadV1Blkio(const std::string& dir, BlkioStats* out) {
  for (const char* layer : {"blkio.bfq.", "blkio.throttle."}) {
    BlkioStats stats;
    RETURN_IF_ERROR(WithFile(
        dir, absl::StrCat(layer, "io_service_bytes_recursive"),
        [&](auto& text) { stats.service_bytes = ParseBlkioRecursive(text); }));
    RETURN_IF_ERROR(WithFile(
        dir, absl::StrCat(layer, "io_serviced_recursive"),
        [&](auto& text) { stats.serviced = ParseBlkioRecursive(text); }));
    if (!stats.service_bytes.empty() || !stats.serviced.empty()) {
      *out = std::move(stats);
      break;
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> HugepageSizes() {
  std::vector<std::string> sizes;
  DIR* dir = opendir(kHugepagesDir);
  if (dir == nullptr) return sizes;
  while (dirent* entry = readdir(dir)) {
    std::string name = HugepageSizeName(entry->d_name);
    if (!name.empty()) sizes.push_back(std::move(name));
  }
  closedir(dir);
  return sizes;
}

absl::Status ReadHugetlb(const Cgroups& c,
                         std::map<std::string, HugetlbStats>* out) {
  const std::string v1 = c.V1Dir("hugetlb");
  const std::string& dir = v1.empty() ? c.unified_dir() : v1;
  for (const std::string& size : HugepageSizes()) {
    const std::string prefix = absl::StrCat("hugetlb.", size);
    HugetlbStats stats;
    bool present = false;
    if (!v1.empty()) {
      present = CgroupFileExists(dir, prefix + ".usage_in_bytes");
      RETURN_IF_ERROR(
          ReadNumber(dir, prefix + ".usage_in_bytes", 0, &stats.usage));
      RETURN_IF_ERROR(
          ReadNumber(dir, prefix + ".max_usage_in_bytes", 0, &stats.max));
      RETURN_IF_ERROR(ReadNumber(dir, prefix + ".failcnt", 0, &stats.failcnt));
    } else if (!dir.empty()) {
      present = CgroupFileExists(dir, prefix + ".current");
      RETURN_IF_ERROR(ReadNumber(dir, prefix + ".current", 0, &stats.usage));
      RETURN_IF_ERROR(WithFile(dir, prefix + ".events", [&](auto& text) {
        stats.failcnt = ParseFlatKeyed(text)["max"];
      }));
    }
    if (present) (*out)[size] = stats;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CgroupStats> ReadCgroupStats(const Cgroups& cgroups) {
  CgroupStats stats;
  const std::string& unified = cgroups.unified_dir();
  if (!cgroups.V1Dir("cpuacct").empty()) {
    RETURN_IF_ERROR(ReadV1Cpu(cgroups, &stats.cpu));
  } else {
    RETURN_IF_ERROR(ReadV2Cpu(unified, &stats.cpu));
  }
  if (std::string cpuset = cgroups.V1Dir("cpuset"); !cpuset.empty()) {
    stats.has_cpuset = true;
    RETURN_IF_ERROR(ReadV1Cpuset(cpuset, &stats.cpuset));
  }
  if (std::string memory = cgroups.V1Dir("memory"); !memory.empty()) {
    RETURN_IF_ERROR(ReadV1Memory(memory, &stats.memory));
  } else {
    RETURN_IF_ERROR(ReadV2Memory(unified, &stats.memory));
  }
  std::string pids = cgroups.V1Dir("pids");
  if (pids.empty()) pids = unified;
  RETURN_IF_ERROR(ReadNumber(pids, "pids.current", 0, &stats.pids.current));
  RETURN_IF_ERROR(ReadNumber(pids, "pids.max", 0, &stats.pids.limit));
  if (std::string blkio = cgroups.V1Dir("blkio"); !blkio.empty()) {
    RETURN_IF_ERROR(ReadV1Blkio(blkio, &stats.blkio));
  } else {
    RETURN_IF_ERROR(WithFile(unified, "io.stat", [&](auto& text) {
      ParseIoStat(text, &stats.blkio);
    }));
  }
  RETURN_IF_ERROR(ReadHugetlb(cgroups, &stats.hugetlb));
  return stats;
}

}  // namespace libcontainer
