// What a container's cgroups have counted: CPU time, memory, pids, block
// I/O, hugetlb, as runc's `events --stats` reports it (the field set of
// runc's types/events.go; run_oci/events_json.cc words it). Read from the
// v1 controllers where they are mounted, else from cgroup2, with runc's
// conversions (clock ticks and microseconds to nanoseconds, cgroup2 swap
// reported as memory+swap like v1's memsw).
#ifndef LIBCONTAINER_CGROUP_STATS_H_
#define LIBCONTAINER_CGROUP_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/cgroups.h"

namespace libcontainer {

struct CpuStats {
  // Nanoseconds.
  uint64_t total = 0;
  uint64_t kernel = 0;
  uint64_t user = 0;
  std::vector<uint64_t> percpu;
  std::vector<uint64_t> percpu_kernel;
  std::vector<uint64_t> percpu_user;
  uint64_t periods = 0;
  uint64_t throttled_periods = 0;
  uint64_t throttled_time = 0;  // ns
};

struct CpusetStats {
  std::vector<uint16_t> cpus;
  std::vector<uint16_t> mems;
  uint64_t cpu_exclusive = 0;
  uint64_t mem_hardwall = 0;
  uint64_t mem_exclusive = 0;
  uint64_t memory_migrate = 0;
  uint64_t memory_spread_page = 0;
  uint64_t memory_spread_slab = 0;
  uint64_t memory_pressure = 0;
  uint64_t sched_load_balance = 0;
  int64_t sched_relax_domain_level = 0;
};

struct MemoryEntry {
  uint64_t limit = 0;
  uint64_t usage = 0;
  uint64_t max = 0;  // the peak
  uint64_t failcnt = 0;
};

struct MemoryStats {
  uint64_t cache = 0;
  MemoryEntry usage;
  MemoryEntry swap;  // memory+swap, as v1's memsw
  MemoryEntry kernel;
  MemoryEntry kernel_tcp;
  std::map<std::string, uint64_t> raw;  // memory.stat
};

struct PidsStats {
  uint64_t current = 0;
  uint64_t limit = 0;  // 0: no limit
};

struct BlkioEntry {
  uint64_t major = 0;
  uint64_t minor = 0;
  std::string op;  // "Read", "Write", "Sync", "Async", "Discard", "Total"
  uint64_t value = 0;
};

struct BlkioStats {
  std::vector<BlkioEntry> service_bytes;
  std::vector<BlkioEntry> serviced;
};

struct HugetlbStats {
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct CgroupStats {
  CpuStats cpu;
  bool has_cpuset = false;  // v1 only, as in runc
  CpusetStats cpuset;
  MemoryStats memory;
  PidsStats pids;
  BlkioStats blkio;
  std::map<std::string, HugetlbStats> hugetlb;  // "2MB" -> ...
};

// Controllers that are not mounted, or files an older kernel lacks, leave
// their fields at zero; an unreadable file that exists is an error.
absl::StatusOr<CgroupStats> ReadCgroupStats(const Cgroups& cgroups);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_STATS_H_
