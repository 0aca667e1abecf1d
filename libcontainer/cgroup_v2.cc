#include "libcontainer/cgroup_v2.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace libcontainer {
namespace {

void Add(std::vector<CgroupWrite>* out, std::string file, std::string value) {
  out->push_back(CgroupWrite{"", std::move(file), std::move(value)});
}

std::string MaxOr(int64_t v) {
  return v < 0 ? std::string("max") : absl::StrCat(v);
}

absl::Status PlanMemory(const MemoryResources& m,
                        std::vector<CgroupWrite>* out) {
  const std::optional<int64_t> limit = UnlessZero(m.limit);
  std::optional<int64_t> swap = UnlessZero(m.swap);
  // As runc: an unlimited memory with no swap asked for means both
  // unlimited, as memsw follows memory on v1.
  if (limit && *limit < 0 && !swap) swap = -1;
  if (swap) {
    // OCI's swap is memory+swap (v1 memsw); v2 limits swap alone.
    std::string value;
    if (*swap < 0) {
      value = "max";
    } else if (!limit || *limit < 0) {
      return absl::InvalidArgumentError(
          "cgroup: memory.swap.max: memory.swap needs memory.limit on cgroup "
          "v2");
    } else if (*swap < *limit) {
      return absl::InvalidArgumentError(
          absl::StrCat("cgroup: memory.swap.max: memory.swap (", *swap,
                       ") must be >= memory.limit (", *limit, ")"));
    } else {
      value = absl::StrCat(*swap - *limit);
    }
    Add(out, "memory.swap.max", value);
  }
  if (limit) Add(out, "memory.max", MaxOr(*limit));
  if (auto reservation = UnlessZero(m.reservation)) {
    Add(out, "memory.low", MaxOr(*reservation));
  }
  if (m.swappiness || UnlessZero(m.kernel) || UnlessZero(m.kernel_tcp) ||
      (m.disable_oom_killer && *m.disable_oom_killer)) {
    return absl::FailedPreconditionError(
        "cgroup: memory swappiness, kernel, kernelTCP and disableOOMKiller "
        "are not supported on cgroup v2");
  }
  return absl::OkStatus();
}

void PlanCpu(const CpuResources& c, std::vector<CgroupWrite>* out) {
  if (auto shares_set = UnlessZero(c.shares)) {
    // runc's mapping of [2, 262144] onto [1, 10000].
    uint64_t shares =
        std::max<uint64_t>(2, std::min<uint64_t>(*shares_set, 262144));
    Add(out, "cpu.weight", absl::StrCat(1 + ((shares - 2) * 9999) / 262142));
  }
  const std::optional<int64_t> quota = UnlessZero(c.quota);
  const std::optional<uint64_t> period = UnlessZero(c.period);
  if (quota || period) {
    Add(out, "cpu.max",
        absl::StrCat(quota && *quota > 0 ? absl::StrCat(*quota) : "max", " ",
                     period ? *period : 100000));
  }
  if (c.burst) Add(out, "cpu.max.burst", absl::StrCat(*c.burst));
  if (c.idle) Add(out, "cpu.idle", absl::StrCat(*c.idle));
  if (!c.cpus.empty()) Add(out, "cpuset.cpus", c.cpus);
  if (!c.mems.empty()) Add(out, "cpuset.mems", c.mems);
}

void PlanIo(const BlockIoResources& b, std::vector<CgroupWrite>* out) {
  if (auto weight = UnlessZero(b.weight)) {
    Add(out, "io.bfq.weight", absl::StrCat(*weight));
  }
  for (const WeightDevice& d : b.weight_device) {
    if (auto weight = UnlessZero(d.weight)) {
      Add(out, "io.bfq.weight",
          absl::StrCat(d.major, ":", d.minor, " ", *weight));
    }
  }
  auto throttle = [out](const std::vector<ThrottleDevice>& list,
                        const char* key) {
    for (const ThrottleDevice& d : list) {
      Add(out, "io.max",
          absl::StrCat(d.major, ":", d.minor, " ", key, "=", d.rate));
    }
  };
  throttle(b.throttle_read_bps_device, "rbps");
  throttle(b.throttle_write_bps_device, "wbps");
  throttle(b.throttle_read_iops_device, "riops");
  throttle(b.throttle_write_iops_device, "wiops");
}

absl::Status PlanUnified(const std::map<std::string, std::string>& unified,
                         std::vector<CgroupWrite>* out) {
  for (const auto& [key, value] : unified) {
    // The key names a file of the container's own cgroup, nothing else.
    if (key.empty() || key == "." || key == ".." ||
        absl::StrContains(key, "/") || absl::StrContains(key, '\0')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cgroup: unified key \"", key, "\" is not a plain file name"));
    }
    Add(out, key, value);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CgroupWrite>> PlanV2Writes(const Resources& r,
                                                      bool unified_only) {
  std::vector<CgroupWrite> out;
  if (unified_only) {
    // Device rules are no file write here: see device_filter.h.
    if (r.memory) {
      absl::Status s = PlanMemory(*r.memory, &out);
      if (!s.ok()) return s;
    }
    if (r.cpu) {
      if (UnlessZero(r.cpu->realtime_runtime) ||
          UnlessZero(r.cpu->realtime_period)) {
        return absl::FailedPreconditionError(
            "cgroup: cpu realtime runtime/period are not supported on cgroup "
            "v2");
      }
      PlanCpu(*r.cpu, &out);
    }
    if (r.pids && r.pids->limit) {
      Add(&out, "pids.max", PidsMaxValue(*r.pids->limit));
    }
    if (r.block_io) PlanIo(*r.block_io, &out);
    for (const HugepageLimit& h : r.hugepage_limits) {
      Add(&out, absl::StrCat("hugetlb.", h.page_size, ".max"),
          absl::StrCat(h.limit));
    }
    if (r.network &&
        (UnlessZero(r.network->class_id) || !r.network->priorities.empty())) {
      return absl::FailedPreconditionError(
          "cgroup: network classID/priorities need cgroup v1 net_cls/net_prio");
    }
    for (const auto& [device, limit] : r.rdma) {
      Add(&out, "rdma.max", RdmaMaxValue(device, limit));
    }
  }
  absl::Status s = PlanUnified(r.unified, &out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace libcontainer
