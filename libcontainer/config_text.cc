#include "libcontainer/config_text.h"

#include <sys/mount.h>
#include <sys/resource.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "libcontainer/config_symbols.h"

namespace libcontainer {
namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

std::string Quote(absl::string_view s) {
  return absl::StrCat("\"", absl::CEscape(s), "\"");
}

template <typename T>
std::string Opt(const std::optional<T>& value) {
  return value.has_value() ? absl::StrCat(*value) : "unset";
}

std::string Opt(const std::optional<bool>& value) {
  if (!value.has_value()) return "unset";
  return *value ? "true" : "false";
}

std::string Octal(const std::optional<uint32_t>& value) {
  return value.has_value() ? absl::StrFormat("%04o", *value) : "unset";
}

constexpr HookStage kAllHookStages[] = {
    HookStage::kPrecreate,     HookStage::kPrestart,
    HookStage::kCreateRuntime, HookStage::kCreateContainer,
    HookStage::kPrechroot,     HookStage::kStartContainer,
    HookStage::kPoststart,     HookStage::kPoststop,
};

std::string RlimitValue(uint64_t value) {
  return value == RLIM_INFINITY ? "unlimited" : absl::StrCat(value);
}

std::string IdMapText(const IdMap& map) {
  return absl::StrCat(map.inside, " ", map.outside, " ", map.count);
}

// Accumulates indented lines. A list item's first line is prefixed "- ".
class Printer {
 public:
  void Line(absl::string_view key, absl::string_view value) {
    Emit(absl::StrCat(key, ": ", value));
  }
  // A bare list element ("- value").
  void Element(absl::string_view value) { Emit(absl::StrCat("- ", value)); }
  void Open(absl::string_view key) {
    Emit(absl::StrCat(key, ":"));
    indent_ += 2;
  }
  void Close() { indent_ -= 2; }
  // Starts a list item whose fields follow as Line()s.
  void OpenItem() {
    indent_ += 2;
    item_pending_ = true;
  }
  void CloseItem() {
    indent_ -= 2;
    item_pending_ = false;
  }
  // "key: []" for an empty list, else "key:" and one element per line.
  void StringList(absl::string_view key, const std::vector<std::string>& list) {
    if (list.empty()) return Line(key, "[]");
    Open(key);
    for (const std::string& s : list) Element(Quote(s));
    Close();
  }
  void IdMaps(absl::string_view key, const std::vector<IdMap>& maps) {
    if (maps.empty()) return Line(key, "[]");
    Open(key);
    for (const IdMap& map : maps) Element(IdMapText(map));
    Close();
  }
  std::string Release() { return std::move(out_); }

 private:
  void Emit(absl::string_view text) {
    if (item_pending_) {
      out_.append(indent_ - 2, ' ');
      out_.append("- ");
      item_pending_ = false;
    } else {
      out_.append(indent_, ' ');
    }
    out_.append(text.data(), text.size());
    out_.push_back('\n');
  }

  std::string out_;
  int indent_ = 0;
  bool item_pending_ = false;
};

// MOUNT_ATTR_* bits by name ("RDONLY|NOSUID"); the atime field by mode.
std::string FormatMountAttrs(uint64_t attrs, bool atime_field) {
  struct Bit {
    uint64_t bit;
    const char* name;
  };
  static constexpr Bit kBits[] = {
      {MOUNT_ATTR_RDONLY, "RDONLY"},
      {MOUNT_ATTR_NOSUID, "NOSUID"},
      {MOUNT_ATTR_NODEV, "NODEV"},
      {MOUNT_ATTR_NOEXEC, "NOEXEC"},
      {MOUNT_ATTR_NODIRATIME, "NODIRATIME"},
      {MOUNT_ATTR_NOSYMFOLLOW, "NOSYMFOLLOW"},
  };
  std::vector<std::string> names;
  for (const Bit& b : kBits) {
    if (attrs & b.bit) names.push_back(b.name);
  }
  if (atime_field) {
    const uint64_t mode = attrs & MOUNT_ATTR__ATIME;
    names.push_back(mode == MOUNT_ATTR_NOATIME       ? "NOATIME"
                    : mode == MOUNT_ATTR_STRICTATIME ? "STRICTATIME"
                                                     : "RELATIME");
  } else if (attrs & MOUNT_ATTR__ATIME) {
    names.push_back("_ATIME");
  }
  return names.empty() ? "0" : absl::StrJoin(names, "|");
}

void PrintMounts(Printer& p, const std::vector<Mount>& mounts) {
  if (mounts.empty()) return p.Line("mounts", "[]");
  p.Open("mounts");
  for (const Mount& m : mounts) {
    p.OpenItem();
    p.Line("destination", Quote(m.destination));
    p.Line("source", Quote(m.source));
    p.Line("type", Quote(m.type));
    p.Line("flags", FormatMountFlags(m.flags));
    p.Line("propagation", FormatMountFlags(m.propagation));
    p.Line("data", Quote(m.data));
    p.Line("loop", Bool(m.loop));
    p.Line("verity", Quote(m.verity));
    p.Line("in_intermediate_namespace", Bool(m.in_intermediate_namespace));
    p.IdMaps("uid_mappings", m.uid_mappings);
    p.IdMaps("gid_mappings", m.gid_mappings);
    // Only when present, so that goldens without them stay as they were.
    if (m.copy_up) p.Line("copy_up", Bool(m.copy_up));
    if ((m.recursive_attr_set | m.recursive_attr_clr) != 0) {
      const bool atime = (m.recursive_attr_clr & MOUNT_ATTR__ATIME) != 0;
      p.Line("recursive_attr_set",
             FormatMountAttrs(m.recursive_attr_set, atime));
      p.Line("recursive_attr_clr",
             FormatMountAttrs(m.recursive_attr_clr, false));
    }
    p.CloseItem();
  }
  p.Close();
}

void PrintProgram(Printer& p, const Config& c) {
  p.StringList("argv", c.argv);
  p.StringList("env", c.env);
  p.Line("cwd", Quote(c.cwd));
  p.Line("uid", absl::StrCat(c.uid));
  p.Line("gid", absl::StrCat(c.gid));
  p.Line("additional_gids", c.additional_gids.empty()
                                ? "[]"
                                : absl::StrJoin(c.additional_gids, " "));
  p.Line("umask", Octal(c.umask));
  p.Line("terminal", Bool(c.terminal));
  if (c.console_rows != 0 || c.console_cols != 0) {
    p.Line("console_size", absl::StrCat(c.console_rows, "x", c.console_cols));
  }
  if (!c.capabilities.has_value()) {
    p.Line("capabilities", "unset");
  } else {
    p.Open("capabilities");
    p.Line("bounding", FormatCapabilitySet(c.capabilities->bounding));
    p.Line("effective", FormatCapabilitySet(c.capabilities->effective));
    p.Line("inheritable", FormatCapabilitySet(c.capabilities->inheritable));
    p.Line("permitted", FormatCapabilitySet(c.capabilities->permitted));
    p.Line("ambient", FormatCapabilitySet(c.capabilities->ambient));
    p.Close();
  }
  if (c.rlimits.empty()) {
    p.Line("rlimits", "[]");
  } else {
    p.Open("rlimits");
    for (const Rlimit& r : c.rlimits) {
      p.Element(absl::StrCat(RlimitName(r.resource),
                             " soft=", RlimitValue(r.soft),
                             " hard=", RlimitValue(r.hard)));
    }
    p.Close();
  }
  p.Line("no_new_privileges", Bool(c.no_new_privileges));
  p.Line("apparmor_profile", Quote(c.apparmor_profile));
  p.Line("selinux_label", Quote(c.selinux_label));
  p.Line("oom_score_adj", Opt(c.oom_score_adj));
  if (!c.io_priority.has_value()) {
    p.Line("io_priority", "unset");
  } else {
    p.Line("io_priority", absl::StrCat(IoPrioClassName(c.io_priority->io_class),
                                       " ", c.io_priority->priority));
  }
  if (!c.scheduler.has_value()) {
    p.Line("scheduler", "unset");
  } else {
    const Scheduler& s = *c.scheduler;
    p.Open("scheduler");
    p.Line("policy", SchedPolicyName(s.policy));
    p.Line("nice", Opt(s.nice));
    p.Line("priority", Opt(s.priority));
    p.Line("flags", FormatSchedFlags(s.flags));
    p.Line("runtime", Opt(s.runtime));
    p.Line("deadline", Opt(s.deadline));
    p.Line("period", Opt(s.period));
    p.Close();
  }
}

void PrintSeccomp(Printer& p, const std::optional<SeccompPolicy>& seccomp) {
  if (!seccomp.has_value()) return p.Line("seccomp", "unset");
  const SeccompPolicy& s = *seccomp;
  p.Open("seccomp");
  p.Line("default_action", Quote(s.default_action));
  p.Line("default_errno_ret", Opt(s.default_errno_ret));
  p.StringList("architectures", s.architectures);
  p.StringList("flags", s.flags);
  p.Line("listener_path", Quote(s.listener_path));
  p.Line("listener_metadata", Quote(s.listener_metadata));
  if (s.syscalls.empty()) {
    p.Line("syscalls", "[]");
  } else {
    p.Open("syscalls");
    for (const shim::SeccompRule& rule : s.syscalls) {
      p.OpenItem();
      // Quoted: names come from the config and must not break the lines.
      p.Line("names", absl::StrJoin(rule.names, " ",
                                    [](std::string* out, const std::string& n) {
                                      out->append(Quote(n));
                                    }));
      p.Line("action", Quote(rule.action));
      p.Line("errno_ret", Opt(rule.errno_ret));
      if (rule.args.empty()) {
        p.Line("args", "[]");
      } else {
        p.Open("args");
        for (const shim::SeccompArg& arg : rule.args) {
          p.Element(absl::StrCat("index=", arg.index, " value=", arg.value,
                                 " value_two=", arg.value_two, " op=", arg.op));
        }
        p.Close();
      }
      p.CloseItem();
    }
    p.Close();
  }
  p.Close();
}

void PrintIsolation(Printer& p, const Config& c) {
  if (c.namespaces.empty()) {
    p.Line("namespaces", "[]");
  } else {
    p.Open("namespaces");
    for (const Namespace& ns : c.namespaces) {
      p.Element(ns.path.empty() ? NamespaceName(ns.type)
                                : absl::StrCat(NamespaceName(ns.type), " ",
                                               Quote(ns.path)));
    }
    p.Close();
  }
  p.IdMaps("uid_map", c.uid_map);
  p.IdMaps("gid_map", c.gid_map);
  if (c.time_offsets.empty()) {
    p.Line("time_offsets", "{}");
  } else {
    p.Open("time_offsets");
    for (const TimeOffset& offset : c.time_offsets) {
      p.Line(offset.clock,
             absl::StrCat("secs=", offset.secs, " nanosecs=", offset.nanosecs));
    }
    p.Close();
  }
  p.Line("hostname", Quote(c.hostname));
  p.Line("domainname", Quote(c.domainname));
  if (c.sysctls.empty()) {
    p.Line("sysctls", "[]");
  } else {
    p.Open("sysctls");
    for (const auto& [key, value] : c.sysctls) {
      p.Element(absl::StrCat(Quote(key), " = ", Quote(value)));
    }
    p.Close();
  }
  // Only when set: older goldens stay as they are.
  if (!c.net_devices.empty()) {
    p.Open("net_devices");
    for (const NetDevice& d : c.net_devices) {
      p.Element(absl::StrCat(Quote(d.host_name), " -> ",
                             Quote(d.name.empty() ? d.host_name : d.name)));
    }
    p.Close();
  }
  PrintSeccomp(p, c.seccomp);
  p.Line("personality",
         c.personality.has_value() ? PersonalityText(*c.personality) : "unset");
  p.Line("alt_syscall_table", Quote(c.alt_syscall_table));
  p.Line("securebits_skip_mask", FormatSecurebits(c.securebits_skip_mask));
  p.Line("core_sched", Bool(c.core_sched));
  if (!c.intel_rdt.has_value()) {
    p.Line("intel_rdt", "unset");
  } else {
    p.Open("intel_rdt");
    p.Line("clos_id", Quote(c.intel_rdt->clos_id));
    p.Line("l3_cache_schema", Quote(c.intel_rdt->l3_cache_schema));
    p.Line("mem_bw_schema", Quote(c.intel_rdt->mem_bw_schema));
    p.Line("enable_cmt", Bool(c.intel_rdt->enable_cmt));
    p.Line("enable_mbm", Bool(c.intel_rdt->enable_mbm));
    p.Close();
  }
}

void PrintDevices(Printer& p, const std::vector<Device>& devices) {
  if (devices.empty()) return p.Line("devices", "[]");
  p.Open("devices");
  for (const Device& d : devices) {
    p.OpenItem();
    p.Line("path", Quote(d.path));
    p.Line("type", std::string(1, d.type));
    p.Line("file_mode", Octal(d.file_mode));
    p.Line("major", absl::StrCat(d.major, d.dynamic_major ? " (dynamic)" : ""));
    p.Line("minor", absl::StrCat(d.minor, d.dynamic_minor ? " (dynamic)" : ""));
    p.Line("uid", Opt(d.uid));
    p.Line("gid", Opt(d.gid));
    p.CloseItem();
  }
  p.Close();
}

std::string Wildcard(const std::optional<int64_t>& n) {
  return n.has_value() ? absl::StrCat(*n) : "*";
}

void PrintThrottle(Printer& p, absl::string_view key,
                   const std::vector<ThrottleDevice>& list) {
  if (list.empty()) return p.Line(key, "[]");
  p.Open(key);
  for (const ThrottleDevice& t : list) {
    p.Element(absl::StrCat(t.major, ":", t.minor, " rate=", t.rate));
  }
  p.Close();
}

void PrintBlockIo(Printer& p, const std::optional<BlockIoResources>& blkio) {
  if (!blkio.has_value()) return p.Line("block_io", "unset");
  p.Open("block_io");
  p.Line("weight", Opt(blkio->weight));
  p.Line("leaf_weight", Opt(blkio->leaf_weight));
  if (blkio->weight_device.empty()) {
    p.Line("weight_device", "[]");
  } else {
    p.Open("weight_device");
    for (const WeightDevice& w : blkio->weight_device) {
      p.Element(absl::StrCat(w.major, ":", w.minor, " weight=", Opt(w.weight),
                             " leaf_weight=", Opt(w.leaf_weight)));
    }
    p.Close();
  }
  PrintThrottle(p, "throttle_read_bps_device", blkio->throttle_read_bps_device);
  PrintThrottle(p, "throttle_write_bps_device",
                blkio->throttle_write_bps_device);
  PrintThrottle(p, "throttle_read_iops_device",
                blkio->throttle_read_iops_device);
  PrintThrottle(p, "throttle_write_iops_device",
                blkio->throttle_write_iops_device);
  p.Close();
}

void PrintMemoryAndCpu(Printer& p, const Resources& r) {
  if (!r.memory.has_value()) {
    p.Line("memory", "unset");
  } else {
    const MemoryResources& m = *r.memory;
    p.Open("memory");
    p.Line("limit", Opt(m.limit));
    p.Line("reservation", Opt(m.reservation));
    p.Line("swap", Opt(m.swap));
    p.Line("kernel", Opt(m.kernel));
    p.Line("kernel_tcp", Opt(m.kernel_tcp));
    p.Line("swappiness", Opt(m.swappiness));
    p.Line("disable_oom_killer", Opt(m.disable_oom_killer));
    p.Line("use_hierarchy", Opt(m.use_hierarchy));
    p.Line("check_before_update", Opt(m.check_before_update));
    p.Close();
  }
  if (!r.cpu.has_value()) {
    p.Line("cpu", "unset");
  } else {
    const CpuResources& c = *r.cpu;
    p.Open("cpu");
    p.Line("shares", Opt(c.shares));
    p.Line("quota", Opt(c.quota));
    p.Line("burst", Opt(c.burst));
    p.Line("period", Opt(c.period));
    p.Line("realtime_runtime", Opt(c.realtime_runtime));
    p.Line("realtime_period", Opt(c.realtime_period));
    p.Line("cpus", Quote(c.cpus));
    p.Line("mems", Quote(c.mems));
    p.Line("idle", Opt(c.idle));
    p.Close();
  }
}

void PrintResources(Printer& p, const Resources& r) {
  p.Open("resources");
  if (r.devices.empty()) {
    p.Line("devices", "[]");
  } else {
    p.Open("devices");
    for (const CgroupDeviceRule& rule : r.devices) {
      p.Element(absl::StrCat(rule.allow ? "allow " : "deny ",
                             std::string(1, rule.type), " ",
                             Wildcard(rule.major), ":", Wildcard(rule.minor),
                             " ", rule.access.empty() ? "rwm" : rule.access));
    }
    p.Close();
  }
  PrintMemoryAndCpu(p, r);
  p.Line("pids", !r.pids.has_value() ? std::string("unset")
                 : r.pids->limit     ? absl::StrCat("limit=", *r.pids->limit)
                                     : std::string("limit=unset"));
  PrintBlockIo(p, r.block_io);
  if (r.hugepage_limits.empty()) {
    p.Line("hugepage_limits", "[]");
  } else {
    p.Open("hugepage_limits");
    for (const HugepageLimit& h : r.hugepage_limits) {
      p.Element(absl::StrCat(Quote(h.page_size), " limit=", h.limit));
    }
    p.Close();
  }
  if (!r.network.has_value()) {
    p.Line("network", "unset");
  } else {
    p.Open("network");
    p.Line("class_id", Opt(r.network->class_id));
    if (r.network->priorities.empty()) {
      p.Line("priorities", "[]");
    } else {
      p.Open("priorities");
      for (const auto& [iface, prio] : r.network->priorities) {
        p.Element(absl::StrCat(Quote(iface), " priority=", prio));
      }
      p.Close();
    }
    p.Close();
  }
  if (r.rdma.empty()) {
    p.Line("rdma", "{}");
  } else {
    p.Open("rdma");
    for (const auto& [device, limit] : r.rdma) {
      p.Element(absl::StrCat(Quote(device),
                             " hca_handles=", Opt(limit.hca_handles),
                             " hca_objects=", Opt(limit.hca_objects)));
    }
    p.Close();
  }
  if (r.unified.empty()) {
    p.Line("unified", "{}");
  } else {
    p.Open("unified");
    for (const auto& [key, value] : r.unified) {
      p.Element(absl::StrCat(Quote(key), " = ", Quote(value)));
    }
    p.Close();
  }
  p.Close();
}

void PrintHooks(Printer& p,
                const std::map<HookStage, std::vector<Hook>>& hooks) {
  p.Open("hooks");
  for (HookStage stage : kAllHookStages) {
    auto it = hooks.find(stage);
    if (it == hooks.end() || it->second.empty()) {
      p.Line(HookStageName(stage), "[]");
      continue;
    }
    p.Open(HookStageName(stage));
    for (const Hook& hook : it->second) {
      p.OpenItem();
      p.Line("path", Quote(hook.path));
      p.StringList("args", hook.args);
      p.StringList("env", hook.env);
      p.Line("timeout_seconds", Opt(hook.timeout_seconds));
      p.CloseItem();
    }
    p.Close();
  }
  p.Close();
}

}  // namespace

std::string FormatConfig(const Config& c) {
  Printer p;
  p.Line("rootfs", Quote(c.rootfs));
  p.Line("rootfs_readonly", Bool(c.rootfs_readonly));
  p.Line("rootfs_propagation", FormatMountFlags(c.rootfs_propagation));
  PrintMounts(p, c.mounts);
  p.StringList("masked_paths", c.masked_paths);
  p.StringList("readonly_paths", c.readonly_paths);
  p.Line("mount_label", Quote(c.mount_label));
  PrintProgram(p, c);
  PrintIsolation(p, c);
  PrintDevices(p, c.devices);
  p.Line("cgroups_path", Quote(c.cgroups_path));
  // Printed only when set, as the annotation that sets it is rare.
  if (c.share_cgroup) p.Line("share_cgroup", "true");
  PrintResources(p, c.resources);
  PrintHooks(p, c.hooks);
  p.Line("run_as_init", Bool(c.run_as_init));
  return p.Release();
}

}  // namespace libcontainer
