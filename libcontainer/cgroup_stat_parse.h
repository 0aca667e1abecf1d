// The text formats of cgroup statistics files, parsed without touching
// the files (unit-tested on the kernel's own examples).
#ifndef LIBCONTAINER_CGROUP_STAT_PARSE_H_
#define LIBCONTAINER_CGROUP_STAT_PARSE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "libcontainer/cgroup_stats.h"

namespace libcontainer {

// "key value" lines (memory.stat, cpu.stat, cpuacct.stat, memory.events).
// Lines that are not a key and an unsigned number are skipped.
std::map<std::string, uint64_t> ParseFlatKeyed(absl::string_view text);

// Space-separated unsigned numbers (cpuacct.usage_percpu).
std::vector<uint64_t> ParseUintList(absl::string_view text);

// A single number, or "max" (cgroup2: no limit), which reads as
// `max_value`; anything else reads as 0.
uint64_t ParseLimit(absl::string_view text, uint64_t max_value);

// cpuacct.usage_all: a "cpu user system" header, then one row per CPU.
void ParseCpuacctUsageAll(absl::string_view text, std::vector<uint64_t>* user,
                          std::vector<uint64_t>* system);

// A cpuset list, "0-3,8,10-11"; empty or malformed parts are skipped.
std::vector<uint16_t> ParseCpuList(absl::string_view text);

// v1 blkio "MAJ:MIN Op value" lines; the "Total N" line is skipped.
std::vector<BlkioEntry> ParseBlkioRecursive(absl::string_view text);

// cgroup2 io.stat ("MAJ:MIN rbytes=.. wbytes=.. rios=.. wios=.. ...") as
// runc reports it: bytes and ios, each as Read and Write entries.
void ParseIoStat(absl::string_view text, BlkioStats* out);

// /sys/kernel/mm/hugepages entry names ("hugepages-2048kB") as cgroup
// file names spell the size ("2MB"); "" for anything else.
std::string HugepageSizeName(absl::string_view dir_name);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_STAT_PARSE_H_
