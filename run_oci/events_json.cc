#include "run_oci/events_json.h"

#include <cstdint>
#include <vector>

#include "run_oci/parser/json_writer.h"

namespace run_oci {
namespace {

using Writer = JsonWriter;

// runc's structs are encoded by Go: a field tagged omitempty is left out
// when it is zero or an empty list; the others are always there.
void Number(Writer& w, const char* key, uint64_t value, bool omitempty) {
  if (omitempty && value == 0) return;
  w.Key(key);
  w.Uint64(value);
}

template <typename T>
void List(Writer& w, const char* key, const std::vector<T>& values) {
  if (values.empty()) return;  // omitempty
  w.Key(key);
  w.StartArray();
  for (T v : values) w.Uint64(v);
  w.EndArray();
}

void Cpu(Writer& w, const libcontainer::CpuStats& c) {
  w.Key("cpu");
  w.StartObject();
  w.Key("usage");
  w.StartObject();
  Number(w, "total", c.total, true);
  List(w, "percpu", c.percpu);
  List(w, "percpu_kernel", c.percpu_kernel);
  List(w, "percpu_user", c.percpu_user);
  Number(w, "kernel", c.kernel, false);
  Number(w, "user", c.user, false);
  w.EndObject();
  w.Key("throttling");
  w.StartObject();
  Number(w, "periods", c.periods, true);
  Number(w, "throttledPeriods", c.throttled_periods, true);
  Number(w, "throttledTime", c.throttled_time, true);
  w.EndObject();
  w.EndObject();
}

void Cpuset(Writer& w, const libcontainer::CpusetStats& c) {
  w.Key("cpuset");
  w.StartObject();
  List(w, "cpus", c.cpus);
  Number(w, "cpu_exclusive", c.cpu_exclusive, false);
  List(w, "mems", c.mems);
  Number(w, "mem_hardwall", c.mem_hardwall, false);
  Number(w, "mem_exclusive", c.mem_exclusive, false);
  Number(w, "memory_migrate", c.memory_migrate, false);
  Number(w, "memory_spread_page", c.memory_spread_page, false);
  Number(w, "memory_spread_slab", c.memory_spread_slab, false);
  Number(w, "memory_pressure", c.memory_pressure, false);
  Number(w, "sched_load_balance", c.sched_load_balance, false);
  w.Key("sched_relax_domain_level");
  w.Int64(c.sched_relax_domain_level);
  w.EndObject();
}

void MemoryEntry(Writer& w, const char* key,
                 const libcontainer::MemoryEntry& e) {
  w.Key(key);
  w.StartObject();
  Number(w, "limit", e.limit, false);
  Number(w, "usage", e.usage, true);
  Number(w, "max", e.max, true);
  Number(w, "failcnt", e.failcnt, false);
  w.EndObject();
}

void Memory(Writer& w, const libcontainer::MemoryStats& m) {
  w.Key("memory");
  w.StartObject();
  Number(w, "cache", m.cache, true);
  MemoryEntry(w, "usage", m.usage);
  MemoryEntry(w, "swap", m.swap);
  MemoryEntry(w, "kernel", m.kernel);
  MemoryEntry(w, "kernelTCP", m.kernel_tcp);
  if (!m.raw.empty()) {
    w.Key("raw");
    w.StartObject();
    for (const auto& [key, value] : m.raw) {
      WriteKey(w, key);
      w.Uint64(value);
    }
    w.EndObject();
  }
  w.EndObject();
}

void BlkioList(Writer& w, const char* key,
               const std::vector<libcontainer::BlkioEntry>& entries) {
  if (entries.empty()) return;
  w.Key(key);
  w.StartArray();
  for (const libcontainer::BlkioEntry& e : entries) {
    w.StartObject();
    Number(w, "major", e.major, true);
    Number(w, "minor", e.minor, true);
    if (!e.op.empty()) WriteMember(w, "op", e.op);
    Number(w, "value", e.value, true);
    w.EndObject();
  }
  w.EndArray();
}

void Hugetlb(Writer& w,
             const std::map<std::string, libcontainer::HugetlbStats>& sizes) {
  w.Key("hugetlb");
  w.StartObject();
  for (const auto& [size, h] : sizes) {
    WriteKey(w, size);
    w.StartObject();
    Number(w, "usage", h.usage, true);
    Number(w, "max", h.max, true);
    Number(w, "failcnt", h.failcnt, false);
    w.EndObject();
  }
  w.EndObject();
}

void Header(Writer& w, const char* type, absl::string_view id) {
  w.Key("type");
  w.String(type);
  w.Key("id");
  w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
}

}  // namespace

std::string StatsEventJson(absl::string_view id,
                           const libcontainer::CgroupStats& stats) {
  return JsonObjectText([&](Writer& w) {
    Header(w, "stats", id);
    w.Key("data");
    w.StartObject();
    Cpu(w, stats.cpu);
    Cpuset(w, stats.cpuset);
    Memory(w, stats.memory);
    w.Key("pids");
    w.StartObject();
    Number(w, "current", stats.pids.current, true);
    Number(w, "limit", stats.pids.limit, true);
    w.EndObject();
    w.Key("blkio");
    w.StartObject();
    BlkioList(w, "ioServiceBytesRecursive", stats.blkio.service_bytes);
    BlkioList(w, "ioServicedRecursive", stats.blkio.serviced);
    w.EndObject();
    Hugetlb(w, stats.hugetlb);
    // Intel RDT and network interfaces: not collected, encoded as runc
    // encodes them when it has none.
    w.Key("intel_rdt");
    w.StartObject();
    w.EndObject();
    w.Key("network_interfaces");
    w.Null();
    w.EndObject();
  });
}

std::string OomEventJson(absl::string_view id) {
  return JsonObjectText([&](Writer& w) { Header(w, "oom", id); });
}

}  // namespace run_oci
