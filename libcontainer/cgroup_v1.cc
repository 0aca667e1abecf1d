#include "libcontainer/cgroup_v1.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace libcontainer {
namespace {

CgroupDeviceRule Allow(char type, std::optional<int64_t> major,
                       std::optional<int64_t> minor, const char* access) {
  CgroupDeviceRule rule;
  rule.allow = true;
  rule.type = type;
  rule.major = major;
  rule.minor = minor;
  rule.access = access;
  return rule;
}

std::string Num(std::optional<int64_t> v) {
  return v ? absl::StrCat(*v) : std::string("*");
}

void Add(std::vector<CgroupWrite>* out, const char* controller,
         std::string file, std::string value, bool best_effort = false,
         bool parents_first = false) {
  out->push_back(CgroupWrite{controller, std::move(file), std::move(value),
                             best_effort, parents_first});
}

void PlanDevices(const Resources& r, std::vector<CgroupWrite>* out) {
  for (const CgroupDeviceRule& rule : DeviceRulesInOrder(r)) {
    Add(out, "devices", rule.allow ? "devices.allow" : "devices.deny",
        FormatDeviceRule(rule));
  }
}

absl::Status PlanMemory(const MemoryResources& m,
                        std::vector<CgroupWrite>* out) {
  // The kernel keeps memory <= memsw at every moment. A new cgroup starts
  // with both unlimited, so lower memory first (runc orders by the current
  // limit; for a fresh cgroup that is always this order).
  if (auto limit = UnlessZero(m.limit)) {
    Add(out, "memory", "memory.limit_in_bytes", absl::StrCat(*limit));
  }
  if (auto swap = UnlessZero(m.swap)) {
    Add(out, "memory", "memory.memsw.limit_in_bytes", absl::StrCat(*swap));
  }
  if (auto reservation = UnlessZero(m.reservation)) {
    Add(out, "memory", "memory.soft_limit_in_bytes",
        absl::StrCat(*reservation));
  }
  if (auto kernel = UnlessZero(m.kernel)) {
    Add(out, "memory", "memory.kmem.limit_in_bytes", absl::StrCat(*kernel),
        /*best_effort=*/true);
  }
  if (auto kernel_tcp = UnlessZero(m.kernel_tcp)) {
    Add(out, "memory", "memory.kmem.tcp.limit_in_bytes",
        absl::StrCat(*kernel_tcp), /*best_effort=*/true);
  }
  if (m.swappiness) {
    if (*m.swappiness > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat("cgroup: memory.swappiness: ", *m.swappiness,
                       " is out of range 0..100"));
    }
    Add(out, "memory", "memory.swappiness", absl::StrCat(*m.swappiness));
  }
  if (m.disable_oom_killer && *m.disable_oom_killer) {
    Add(out, "memory", "memory.oom_control", "1");
  }
  if (m.use_hierarchy) {
    Add(out, "memory", "memory.use_hierarchy", *m.use_hierarchy ? "1" : "0");
  }
  return absl::OkStatus();
}

void PlanCpu(const CpuResources& c, std::vector<CgroupWrite>* out) {
  if (auto shares = UnlessZero(c.shares)) {
    Add(out, "cpu", "cpu.shares", absl::StrCat(*shares));
  }
  // The quota is checked against the period: period first.
  if (auto period = UnlessZero(c.period)) {
    Add(out, "cpu", "cpu.cfs_period_us", absl::StrCat(*period));
  }
  if (auto quota = UnlessZero(c.quota)) {
    Add(out, "cpu", "cpu.cfs_quota_us", absl::StrCat(*quota));
  }
  if (c.burst) Add(out, "cpu", "cpu.cfs_burst_us", absl::StrCat(*c.burst));
  // sched_rt: runtime must fit in period and in the parent's budget, so the
  // period goes first and both go to every created parent first.
  if (auto rt_period = UnlessZero(c.realtime_period)) {
    Add(out, "cpu", "cpu.rt_period_us", absl::StrCat(*rt_period), false,
        /*parents_first=*/true);
  }
  if (auto rt_runtime = UnlessZero(c.realtime_runtime)) {
    Add(out, "cpu", "cpu.rt_runtime_us", absl::StrCat(*rt_runtime), false,
        /*parents_first=*/true);
  }
  if (c.idle) Add(out, "cpu", "cpu.idle", absl::StrCat(*c.idle));
  if (!c.cpus.empty()) Add(out, "cpuset", "cpuset.cpus", c.cpus);
  if (!c.mems.empty()) Add(out, "cpuset", "cpuset.mems", c.mems);
}

std::string MajorMinor(int64_t major, int64_t minor) {
  return absl::StrCat(major, ":", minor);
}

void PlanBlockIo(const BlockIoResources& b, std::vector<CgroupWrite>* out) {
  if (auto weight = UnlessZero(b.weight)) {
    Add(out, "blkio", "blkio.weight", absl::StrCat(*weight));
  }
  if (auto leaf_weight = UnlessZero(b.leaf_weight)) {
    Add(out, "blkio", "blkio.leaf_weight", absl::StrCat(*leaf_weight));
  }
  for (const WeightDevice& d : b.weight_device) {
    if (auto weight = UnlessZero(d.weight)) {
      Add(out, "blkio", "blkio.weight_device",
          absl::StrCat(MajorMinor(d.major, d.minor), " ", *weight));
    }
    if (auto leaf_weight = UnlessZero(d.leaf_weight)) {
      Add(out, "blkio", "blkio.leaf_weight_device",
          absl::StrCat(MajorMinor(d.major, d.minor), " ", *leaf_weight));
    }
  }
  auto throttle = [out](const std::vector<ThrottleDevice>& list,
                        const char* file) {
    for (const ThrottleDevice& d : list) {
      Add(out, "blkio", file,
          absl::StrCat(MajorMinor(d.major, d.minor), " ", d.rate));
    }
  };
  throttle(b.throttle_read_bps_device, "blkio.throttle.read_bps_device");
  throttle(b.throttle_write_bps_device, "blkio.throttle.write_bps_device");
  throttle(b.throttle_read_iops_device, "blkio.throttle.read_iops_device");
  throttle(b.throttle_write_iops_device, "blkio.throttle.write_iops_device");
}

}  // namespace

std::vector<CgroupDeviceRule> DefaultDeviceRules() {
  return {
      Allow('c', std::nullopt, std::nullopt, "m"),  // mknod, not use
      Allow('b', std::nullopt, std::nullopt, "m"),
      Allow('c', 1, 3, "rwm"),               // null
      Allow('c', 1, 5, "rwm"),               // zero
      Allow('c', 1, 7, "rwm"),               // full
      Allow('c', 1, 8, "rwm"),               // random
      Allow('c', 1, 9, "rwm"),               // urandom
      Allow('c', 5, 0, "rwm"),               // tty
      Allow('c', 5, 2, "rwm"),               // ptmx
      Allow('c', 136, std::nullopt, "rwm"),  // /dev/pts/*
      Allow('c', 10, 200, "rwm"),            // net/tun
  };
}

std::vector<CgroupDeviceRule> DeviceRulesInOrder(const Resources& r) {
  CgroupDeviceRule deny_all;
  deny_all.allow = false;
  deny_all.type = 'a';
  std::vector<CgroupDeviceRule> rules = {deny_all};
  rules.insert(rules.end(), r.devices.begin(), r.devices.end());
  for (CgroupDeviceRule& rule : DefaultDeviceRules()) {
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::string FormatDeviceRule(const CgroupDeviceRule& rule) {
  if (rule.type == 'a') return "a";
  return absl::StrCat(std::string(1, rule.type), " ", Num(rule.major), ":",
                      Num(rule.minor), " ",
                      rule.access.empty() ? "rwm" : rule.access);
}

absl::StatusOr<std::vector<CgroupWrite>> PlanV1Writes(const Resources& r) {
  std::vector<CgroupWrite> out;
  PlanDevices(r, &out);
  if (r.memory) {
    absl::Status s = PlanMemory(*r.memory, &out);
    if (!s.ok()) return s;
  }
  if (r.cpu) PlanCpu(*r.cpu, &out);
  if (r.pids && r.pids->limit) {
    Add(&out, "pids", "pids.max", PidsMaxValue(*r.pids->limit));
  }
  if (r.block_io) PlanBlockIo(*r.block_io, &out);
  for (const HugepageLimit& h : r.hugepage_limits) {
    Add(&out, "hugetlb",
        absl::StrCat("hugetlb.", h.page_size, ".limit_in_bytes"),
        absl::StrCat(h.limit));
  }
  if (r.network) {
    if (auto class_id = UnlessZero(r.network->class_id)) {
      Add(&out, "net_cls", "net_cls.classid", absl::StrCat(*class_id));
    }
    for (const auto& [iface, prio] : r.network->priorities) {
      Add(&out, "net_prio", "net_prio.ifpriomap",
          absl::StrCat(iface, " ", prio));
    }
  }
  for (const auto& [device, limit] : r.rdma) {
    Add(&out, "rdma", "rdma.max", RdmaMaxValue(device, limit));
  }
  return out;
}

}  // namespace libcontainer
