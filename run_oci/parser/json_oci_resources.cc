// linux.resources (cgroup limits), Chromium's legacy linux.cpu and
// linux.seccomp. Values land in libcontainer/shim types directly; only names
// the kernel or libseccomp would reject later are checked here.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/parser/json_oci_sections.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_names.h"

namespace run_oci {
namespace {

using libcontainer::BlockIoResources;
using libcontainer::CgroupDeviceRule;
using libcontainer::CpuResources;
using libcontainer::MemoryResources;
using libcontainer::NetworkResources;
using libcontainer::Resources;
using libcontainer::ThrottleDevice;
using libcontainer::WeightDevice;

// Reads a major/minor number of a device-cgroup rule; runc's -1 means the
// wildcard, which libcontainer spells as "unset".
absl::Status ReadRuleNumber(const JsonReader& r, const JsonValue& v,
                            const std::string& path, absl::string_view key,
                            std::optional<int64_t>* out) {
  RETURN_IF_ERROR(r.OptionalIntOrDecimalString(v, path, key, out));
  if (!out->has_value()) return absl::OkStatus();
  if (**out == -1) {
    out->reset();
  } else if (**out < 0) {
    return r.Error(JsonMemberPath(path, key), "must be >= 0 (or -1 for any)");
  }
  return absl::OkStatus();
}

// "rwm" subsets, each letter at most once; stored in "rwm" order.
absl::Status ReadAccess(const JsonReader& r, const JsonValue& v,
                        const std::string& path, std::string* out) {
  std::string access;
  RETURN_IF_ERROR(r.Optional(v, path, "access", &access));
  bool seen[3] = {false, false, false};
  for (char c : access) {
    size_t i = absl::string_view("rwm").find(c);
    if (i == absl::string_view::npos || seen[i]) {
      return r.Error(JsonMemberPath(path, "access"),
                     absl::StrCat("must be a combination of \"r\", \"w\" and "
                                  "\"m\", each at most once, got ",
                                  JsonQuote(access)));
    }
    seen[i] = true;
  }
  out->clear();
  for (int i = 0; i < 3; ++i) {
    if (seen[i]) out->push_back("rwm"[i]);
  }
  return absl::OkStatus();
}

absl::Status ParseDeviceRule(const JsonReader& r, const JsonValue& v,
                             const std::string& path, CgroupDeviceRule* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_IF_ERROR(r.Required(v, path, "allow", &out->allow));
  std::string type = "a";
  RETURN_IF_ERROR(r.Optional(v, path, "type", &type));
  if (type != "a" && type != "b" && type != "c") {
    return r.Error(JsonMemberPath(path, "type"),
                   absl::StrCat("must be one of \"a\", \"b\", \"c\", got ",
                                JsonQuote(type)));
  }
  out->type = type[0];
  RETURN_IF_ERROR(ReadRuleNumber(r, v, path, "major", &out->major));
  RETURN_IF_ERROR(ReadRuleNumber(r, v, path, "minor", &out->minor));
  return ReadAccess(r, v, path, &out->access);
}

absl::Status ParseMemory(const JsonReader& r, const JsonValue& v,
                         const std::string& path, MemoryResources* out) {
  RETURN_OR_COLLECT(r, r.Optional(v, path, "limit", &out->limit));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "reservation", &out->reservation));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "swap", &out->swap));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "kernel", &out->kernel));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "kernelTCP", &out->kernel_tcp));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "swappiness", &out->swappiness));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "disableOOMKiller", &out->disable_oom_killer));
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "useHierarchy", &out->use_hierarchy));
  return r.Optional(v, path, "checkBeforeUpdate", &out->check_before_update);
}

absl::Status ParseCpu(const JsonReader& r, const JsonValue& v,
                      const std::string& path, CpuResources* out) {
  RETURN_OR_COLLECT(r, r.Optional(v, path, "shares", &out->shares));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "quota", &out->quota));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "burst", &out->burst));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "period", &out->period));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "realtimeRuntime", &out->realtime_runtime));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "realtimePeriod", &out->realtime_period));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "cpus", &out->cpus));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "mems", &out->mems));
  return r.Optional(v, path, "idle", &out->idle);
}

absl::Status ParsePids(const JsonReader& r, const JsonValue& v,
                       const std::string& path,
                       libcontainer::PidsResources* out) {
  // OPTIONAL since runtime-spec 1.3 (absent: no limit is set).
  return r.Optional(v, path, "limit", &out->limit);
}

absl::Status ParseWeightDevice(const JsonReader& r, const JsonValue& v,
                               const std::string& path, WeightDevice* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_IF_ERROR(r.Required(v, path, "major", &out->major));
  RETURN_IF_ERROR(r.Required(v, path, "minor", &out->minor));
  RETURN_IF_ERROR(r.Optional(v, path, "weight", &out->weight));
  return r.Optional(v, path, "leafWeight", &out->leaf_weight);
}

absl::Status ParseThrottleDevices(const JsonReader& r, const JsonValue& v,
                                  const std::string& path,
                                  absl::string_view key,
                                  std::vector<ThrottleDevice>* out) {
  return r.ForEachElement(
      v, path, key,
      [&](const JsonValue& d, const std::string& device_path) -> absl::Status {
        RETURN_IF_ERROR(r.ExpectObject(d, device_path));
        ThrottleDevice device;
        RETURN_IF_ERROR(r.Required(d, device_path, "major", &device.major));
        RETURN_IF_ERROR(r.Required(d, device_path, "minor", &device.minor));
        RETURN_IF_ERROR(r.Required(d, device_path, "rate", &device.rate));
        out->push_back(device);
        return absl::OkStatus();
      });
}

absl::Status ParseBlockIo(const JsonReader& r, const JsonValue& v,
                          const std::string& path, BlockIoResources* out) {
  RETURN_OR_COLLECT(r, r.Optional(v, path, "weight", &out->weight));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "leafWeight", &out->leaf_weight));
  RETURN_OR_COLLECT(
      r, r.ForEachElement(
             v, path, "weightDevice",
             [&](const JsonValue& d, const std::string& device_path) {
               return ParseWeightDevice(r, d, device_path,
                                        &out->weight_device.emplace_back());
             }));
  RETURN_OR_COLLECT(r, ParseThrottleDevices(r, v, path, "throttleReadBpsDevice",
                                            &out->throttle_read_bps_device));
  RETURN_OR_COLLECT(r,
                    ParseThrottleDevices(r, v, path, "throttleWriteBpsDevice",
                                         &out->throttle_write_bps_device));
  RETURN_OR_COLLECT(r,
                    ParseThrottleDevices(r, v, path, "throttleReadIOPSDevice",
                                         &out->throttle_read_iops_device));
  return ParseThrottleDevices(r, v, path, "throttleWriteIOPSDevice",
                              &out->throttle_write_iops_device);
}

absl::Status ParseNetwork(const JsonReader& r, const JsonValue& v,
                          const std::string& path, NetworkResources* out) {
  RETURN_OR_COLLECT(r, r.Optional(v, path, "classID", &out->class_id));
  return r.ForEachElement(
      v, path, "priorities",
      [&](const JsonValue& p, const std::string& prio_path) -> absl::Status {
        RETURN_IF_ERROR(r.ExpectObject(p, prio_path));
        std::pair<std::string, uint32_t> prio;
        RETURN_IF_ERROR(r.Required(p, prio_path, "name", &prio.first));
        RETURN_IF_ERROR(r.Required(p, prio_path, "priority", &prio.second));
        out->priorities.push_back(std::move(prio));
        return absl::OkStatus();
      });
}

absl::Status ParseSeccompArg(const JsonReader& r, const JsonValue& v,
                             const std::string& path, shim::SeccompArg* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_IF_ERROR(r.Required(v, path, "index", &out->index));
  // struct seccomp_data has six syscall arguments.
  if (out->index > 5) {
    return r.Error(JsonMemberPath(path, "index"), "must be in [0, 5]");
  }
  RETURN_IF_ERROR(r.Required(v, path, "value", &out->value));
  RETURN_IF_ERROR(r.Optional(v, path, "valueTwo", &out->value_two));
  RETURN_IF_ERROR(r.Required(v, path, "op", &out->op));
  if (!IsSeccompOperator(out->op)) {
    return r.Error(
        JsonMemberPath(path, "op"),
        absl::StrCat("unknown seccomp operator ", JsonQuote(out->op)));
  }
  return absl::OkStatus();
}

absl::Status ReadSeccompAction(const JsonReader& r, const JsonValue& v,
                               const std::string& path, absl::string_view key,
                               std::string* out) {
  RETURN_IF_ERROR(r.Required(v, path, key, out));
  if (!IsSeccompAction(*out)) {
    return r.Error(JsonMemberPath(path, key),
                   absl::StrCat("unknown seccomp action ", JsonQuote(*out)));
  }
  return absl::OkStatus();
}

absl::Status ParseSeccompRule(const JsonReader& r, const JsonValue& v,
                              const std::string& path, shim::SeccompRule* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_OR_COLLECT(r, [&]() -> absl::Status {
    RETURN_IF_ERROR(r.Required(v, path, "names", &out->names));
    std::string names_path = JsonMemberPath(path, "names");
    if (out->names.empty()) return r.Error(names_path, "must not be empty");
    for (size_t i = 0; i < out->names.size(); ++i) {
      if (out->names[i].empty()) {
        return r.Error(JsonIndexPath(names_path, i), "must not be empty");
      }
    }
    return absl::OkStatus();
  }());
  RETURN_OR_COLLECT(r, ReadSeccompAction(r, v, path, "action", &out->action));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "errnoRet", &out->errno_ret));
  return r.ForEachElement(
      v, path, "args", [&](const JsonValue& a, const std::string& arg_path) {
        return ParseSeccompArg(r, a, arg_path, &out->args.emplace_back());
      });
}

// config-linux.md's pattern for hugepageLimits[].pageSize,
// ^[1-9][0-9]*[KMG]B$ ("64KB", "2MB", "1GB"). It becomes part of a cgroup
// file name (hugetlb.<pageSize>.limit_in_bytes), so nothing else may pass:
// "../../x" would name a file outside the container's cgroup.
bool IsHugepageSize(absl::string_view size) {
  if (size.size() < 3 || size[0] < '1' || size[0] > '9') return false;
  if (size.back() != 'B') return false;
  const char unit = size[size.size() - 2];
  if (unit != 'K' && unit != 'M' && unit != 'G') return false;
  for (char c : size.substr(1, size.size() - 3)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

absl::Status ParseHugepageLimit(const JsonReader& r, const JsonValue& v,
                                const std::string& path,
                                libcontainer::HugepageLimit* out) {
  RETURN_IF_ERROR(r.ExpectObject(v, path));
  RETURN_IF_ERROR(r.Required(v, path, "pageSize", &out->page_size));
  if (!IsHugepageSize(out->page_size)) {
    return r.Error(JsonMemberPath(path, "pageSize"),
                   absl::StrCat("must be <size><KB|MB|GB> such as \"2MB\", "
                                "got ",
                                JsonQuote(out->page_size)));
  }
  // OPTIONAL since runtime-spec 1.3 (absent: no limit is set).
  return r.Optional(v, path, "limit", &out->limit);
}

absl::Status CheckNames(const JsonReader& r, absl::string_view path,
                        const std::vector<std::string>& names,
                        bool (*known)(std::string_view),
                        absl::string_view what) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (!known(names[i])) {
      RETURN_OR_COLLECT(
          r, r.Error(JsonIndexPath(path, i),
                     absl::StrCat("unknown ", what, " ", JsonQuote(names[i]))));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseResources(const JsonReader& r, const JsonValue& v,
                            absl::string_view path_view, Resources* out) {
  const std::string path(path_view);
  RETURN_OR_COLLECT(
      r, r.ForEachElement(v, path, "devices",
                          [&](const JsonValue& d, const std::string& rule) {
                            return ParseDeviceRule(
                                r, d, rule, &out->devices.emplace_back());
                          }));
  RETURN_OR_COLLECT(
      r, OptionalSection(r, v, path, "memory", ParseMemory, &out->memory));
  RETURN_OR_COLLECT(r, OptionalSection(r, v, path, "cpu", ParseCpu, &out->cpu));
  RETURN_OR_COLLECT(r,
                    OptionalSection(r, v, path, "pids", ParsePids, &out->pids));
  RETURN_OR_COLLECT(
      r, OptionalSection(r, v, path, "blockIO", ParseBlockIo, &out->block_io));
  RETURN_OR_COLLECT(
      r, r.ForEachElement(
             v, path, "hugepageLimits",
             [&](const JsonValue& h, const std::string& limit_path) {
               return ParseHugepageLimit(r, h, limit_path,
                                         &out->hugepage_limits.emplace_back());
             }));
  RETURN_OR_COLLECT(
      r, OptionalSection(r, v, path, "network", ParseNetwork, &out->network));
  RETURN_OR_COLLECT(
      r,
      r.ForEachMember(v, path, "rdma",
                      [&](absl::string_view device, const JsonValue& d,
                          const std::string& device_path) -> absl::Status {
                        RETURN_IF_ERROR(r.ExpectObject(d, device_path));
                        libcontainer::RdmaLimit limit;
                        RETURN_IF_ERROR(r.Optional(d, device_path, "hcaHandles",
                                                   &limit.hca_handles));
                        RETURN_IF_ERROR(r.Optional(d, device_path, "hcaObjects",
                                                   &limit.hca_objects));
                        out->rdma[std::string(device)] = limit;
                        return absl::OkStatus();
                      }));
  return r.Optional(v, path, "unified", &out->unified);
}

absl::Status ParseLegacyCpu(const JsonReader& r, const JsonValue& v,
                            absl::string_view path_view,
                            libcontainer::CpuResources* out) {
  const std::string path(path_view);
  RETURN_OR_COLLECT(r, r.Optional(v, path, "shares", &out->shares));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "quota", &out->quota));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "period", &out->period));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "realtimeRuntime", &out->realtime_runtime));
  return r.Optional(v, path, "realtimePeriod", &out->realtime_period);
}

absl::Status ParseSeccomp(const JsonReader& r, const JsonValue& v,
                          absl::string_view path_view,
                          shim::SeccompPolicy* out) {
  const std::string path(path_view);
  const size_t errors_before = r.error_count();
  RETURN_OR_COLLECT(
      r, ReadSeccompAction(r, v, path, "defaultAction", &out->default_action));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "defaultErrnoRet", &out->default_errno_ret));
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "architectures", &out->architectures));
  RETURN_OR_COLLECT(r, CheckNames(r, JsonMemberPath(path, "architectures"),
                                  out->architectures, IsSeccompArchitecture,
                                  "seccomp architecture"));
  RETURN_OR_COLLECT(r, r.Optional(v, path, "flags", &out->flags));
  RETURN_OR_COLLECT(r, CheckNames(r, JsonMemberPath(path, "flags"), out->flags,
                                  IsSeccompFlag, "seccomp flag"));
  RETURN_OR_COLLECT(r,
                    r.Optional(v, path, "listenerPath", &out->listener_path));
  RETURN_OR_COLLECT(
      r, r.Optional(v, path, "listenerMetadata", &out->listener_metadata));
  RETURN_OR_COLLECT(
      r, r.ForEachElement(v, path, "syscalls",
                          [&](const JsonValue& s, const std::string& rule) {
                            return ParseSeccompRule(
                                r, s, rule, &out->syscalls.emplace_back());
                          }));
  // Which actions notify is known only once every one was read.
  if (r.error_count() != errors_before) return absl::OkStatus();
  // A notify action hands the listener fd to whoever listens on the socket;
  // without one the filtered syscalls would block forever.
  bool notify = out->default_action == "SCMP_ACT_NOTIFY";
  for (const shim::SeccompRule& rule : out->syscalls) {
    notify = notify || rule.action == "SCMP_ACT_NOTIFY";
  }
  if (notify && out->listener_path.empty()) {
    return r.Error(JsonMemberPath(path, "listenerPath"),
                   "required when an action is SCMP_ACT_NOTIFY");
  }
  if (!out->listener_path.empty()) {
    RETURN_IF_ERROR(RequireAbsolutePath(r, JsonMemberPath(path, "listenerPath"),
                                        out->listener_path));
  }
  return absl::OkStatus();
}

}  // namespace run_oci
