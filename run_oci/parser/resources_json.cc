#include "run_oci/parser/resources_json.h"

#include "absl/strings/str_cat.h"
#include "libcontainer/cgroup_write.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/document.h"
#include "run_oci/parser/json_oci_sections.h"
#include "run_oci/parser/json_writer.h"

namespace run_oci {
namespace {

using libcontainer::Resources;
using libcontainer::UnlessZero;
using Writer = JsonWriter;

// Replaces *out with `v` when the update gives it.
template <typename T>
void Take(const std::optional<T>& v, std::optional<T>* out) {
  if (v.has_value()) *out = v;
}
template <typename T>
void TakeUnlessZero(const std::optional<T>& v, std::optional<T>* out) {
  Take(UnlessZero(v), out);
}

template <typename T>
void Member(Writer& w, const char* key, const std::optional<T>& v) {
  if (!v.has_value()) return;
  w.Key(key);
  if constexpr (std::is_same_v<T, bool>) {
    w.Bool(*v);
  } else if constexpr (std::is_signed_v<T>) {
    w.Int64(*v);
  } else {
    w.Uint64(*v);
  }
}

void Member(Writer& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  w.String(v);
}

}  // namespace

absl::StatusOr<Resources> ParseResourcesDocument(absl::string_view json,
                                                 absl::string_view file_name) {
  return ParseJsonObject<Resources>(
      json, file_name,
      [](const JsonReader& reader, const JsonValue& doc, Resources* out) {
        return ParseResources(reader, doc, "", out);
      });
}

Resources UpdatableResources(const Resources& r) {
  Resources out;
  if (r.memory) {
    libcontainer::MemoryResources& m = out.memory.emplace();
    m.limit = r.memory->limit;
    m.reservation = r.memory->reservation;
    m.swap = r.memory->swap;
    m.check_before_update = r.memory->check_before_update;
  }
  out.cpu = r.cpu;  // every cpu field is updatable
  if (r.block_io && r.block_io->weight) {
    out.block_io.emplace().weight = r.block_io->weight;
  }
  if (r.pids) out.pids = r.pids;
  out.unified = r.unified;
  return out;
}

std::vector<std::string> NonUpdatableMembers(const Resources& r) {
  std::vector<std::string> names;
  if (!r.devices.empty()) names.push_back("devices");
  if (r.memory) {
    const libcontainer::MemoryResources& m = *r.memory;
    for (auto [set, name] :
         {std::pair{m.kernel.has_value(), "memory.kernel"},
          {m.kernel_tcp.has_value(), "memory.kernelTCP"},
          {m.swappiness.has_value(), "memory.swappiness"},
          {m.disable_oom_killer.has_value(), "memory.disableOOMKiller"},
          {m.use_hierarchy.has_value(), "memory.useHierarchy"}}) {
      if (set) names.push_back(name);
    }
  }
  if (r.block_io) {
    const libcontainer::BlockIoResources& b = *r.block_io;
    for (auto [set, name] :
         {std::pair{b.leaf_weight.has_value(), "blockIO.leafWeight"},
          {!b.weight_device.empty(), "blockIO.weightDevice"},
          {!b.throttle_read_bps_device.empty(),
           "blockIO.throttleReadBpsDevice"},
          {!b.throttle_write_bps_device.empty(),
           "blockIO.throttleWriteBpsDevice"},
          {!b.throttle_read_iops_device.empty(),
           "blockIO.throttleReadIOPSDevice"},
          {!b.throttle_write_iops_device.empty(),
           "blockIO.throttleWriteIOPSDevice"}}) {
      if (set) names.push_back(name);
    }
  }
  if (!r.hugepage_limits.empty()) names.push_back("hugepageLimits");
  if (r.network) names.push_back("network");
  if (!r.rdma.empty()) names.push_back("rdma");
  return names;
}

Resources MergeResourceUpdate(const Resources& in_force,
                              const Resources& update) {
  Resources out = UpdatableResources(in_force);
  if (update.memory) {
    const libcontainer::MemoryResources& u = *update.memory;
    libcontainer::MemoryResources& m =
        out.memory ? *out.memory : out.memory.emplace();
    TakeUnlessZero(u.limit, &m.limit);
    TakeUnlessZero(u.reservation, &m.reservation);
    TakeUnlessZero(u.swap, &m.swap);
    Take(u.check_before_update, &m.check_before_update);
    if (u.limit == -1 && !UnlessZero(u.swap)) m.swap = -1;
  }
  if (update.cpu) {
    const libcontainer::CpuResources& u = *update.cpu;
    libcontainer::CpuResources& c = out.cpu ? *out.cpu : out.cpu.emplace();
    TakeUnlessZero(u.shares, &c.shares);
    TakeUnlessZero(u.quota, &c.quota);
    TakeUnlessZero(u.period, &c.period);
    TakeUnlessZero(u.realtime_runtime, &c.realtime_runtime);
    TakeUnlessZero(u.realtime_period, &c.realtime_period);
    Take(u.burst, &c.burst);
    Take(u.idle, &c.idle);
    if (!u.cpus.empty()) c.cpus = u.cpus;
    if (!u.mems.empty()) c.mems = u.mems;
  }
  if (update.block_io && UnlessZero(update.block_io->weight)) {
    (out.block_io ? *out.block_io : out.block_io.emplace()).weight =
        update.block_io->weight;
  }
  if (update.pids && update.pids->limit) out.pids = update.pids;
  for (const auto& [key, value] : update.unified) out.unified[key] = value;
  return out;
}

std::string UpdatableResourcesJson(const Resources& in) {
  const Resources r = UpdatableResources(in);
  return JsonObjectText([&](Writer& w) {
    if (r.memory) {
      w.Key("memory");
      w.StartObject();
      Member(w, "limit", r.memory->limit);
      Member(w, "reservation", r.memory->reservation);
      Member(w, "swap", r.memory->swap);
      Member(w, "checkBeforeUpdate", r.memory->check_before_update);
      w.EndObject();
    }
    if (r.cpu) {
      const libcontainer::CpuResources& c = *r.cpu;
      w.Key("cpu");
      w.StartObject();
      Member(w, "shares", c.shares);
      Member(w, "quota", c.quota);
      Member(w, "burst", c.burst);
      Member(w, "period", c.period);
      Member(w, "realtimeRuntime", c.realtime_runtime);
      Member(w, "realtimePeriod", c.realtime_period);
      Member(w, "cpus", c.cpus);
      Member(w, "mems", c.mems);
      Member(w, "idle", c.idle);
      w.EndObject();
    }
    if (r.block_io) {
      w.Key("blockIO");
      w.StartObject();
      Member(w, "weight", r.block_io->weight);
      w.EndObject();
    }
    if (r.pids) {
      w.Key("pids");
      w.StartObject();
      Member(w, "limit", r.pids->limit);
      w.EndObject();
    }
    if (!r.unified.empty()) WriteMember(w, "unified", r.unified);
  });
}

absl::Status ReadResourcesMember(const JsonReader& reader,
                                 const JsonValue& object,
                                 absl::string_view path, absl::string_view key,
                                 std::optional<Resources>* out) {
  ASSIGN_OR_RETURN(const JsonValue* member,
                   reader.OptionalObject(object, path, key));
  if (member == nullptr) return absl::OkStatus();
  return ParseResources(reader, *member, JsonMemberPath(path, key),
                        &out->emplace());
}

}  // namespace run_oci
