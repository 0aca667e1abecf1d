#include "run_oci/update_flags.h"

#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "minijail-shim/base/status_macros.h"

namespace run_oci {
namespace {

std::string Dashed(const std::string& gflags_name) {
  return absl::StrCat("--", absl::StrReplaceAll(gflags_name, {{"_", "-"}}));
}

absl::Status BadValue(const std::string& flag, const std::string& value,
                      absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(Dashed(flag), " ", value, ": ", what));
}

const std::string* Given(const std::map<std::string, std::string>& flags,
                         const std::string& name) {
  auto it = flags.find(name);
  return it == flags.end() ? nullptr : &it->second;
}

template <typename Int>
absl::Status ReadInt(const std::map<std::string, std::string>& flags,
                     const std::string& name, std::optional<Int>* out) {
  const std::string* value = Given(flags, name);
  if (value == nullptr) return absl::OkStatus();
  Int v = 0;
  if (!absl::SimpleAtoi(*value, &v)) {
    return BadValue(name, *value,
                    std::is_signed_v<Int> ? "expected an integer"
                                          : "expected an unsigned integer");
  }
  *out = v;
  return absl::OkStatus();
}

absl::Status ReadBytes(const std::map<std::string, std::string>& flags,
                       const std::string& name, std::optional<int64_t>* out) {
  const std::string* value = Given(flags, name);
  if (value == nullptr) return absl::OkStatus();
  if (*value == "-1") {
    *out = -1;
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> bytes = ParseRamInBytes(*value);
  if (!bytes.ok()) return BadValue(name, *value, bytes.status().message());
  *out = *bytes;
  return absl::OkStatus();
}

}  // namespace

const std::vector<std::string>& UpdateFlagNames() {
  static const auto* names = new std::vector<std::string>{
      "blkio_weight",       "cpu_period",        "cpu_quota",
      "cpu_burst",          "cpu_share",         "cpu_shares",
      "cpu_rt_period",      "cpu_rt_runtime",    "cpuset_cpus",
      "cpuset_mems",        "cpu_idle",          "memory",
      "memory_reservation", "memory_swap",       "pids_limit",
      "kernel_memory",      "kernel_memory_tcp", "l3_cache_schema",
      "mem_bw_schema"};
  return *names;
}

absl::StatusOr<int64_t> ParseRamInBytes(absl::string_view text) {
  absl::string_view s = text;
  size_t digits = 0;
  while (digits < s.size() &&
         (absl::ascii_isdigit(s[digits]) || s[digits] == '.')) {
    ++digits;
  }
  double number = 0;
  if (digits == 0 || !absl::SimpleAtod(s.substr(0, digits), &number)) {
    return absl::InvalidArgumentError("expected a size such as 512m or 1g");
  }
  s.remove_prefix(digits);
  if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  double multiplier = 1;
  if (!s.empty()) {
    size_t unit = absl::string_view("kmgtp").find(absl::ascii_tolower(s[0]));
    if (unit != absl::string_view::npos) {
      multiplier = std::pow(1024.0, static_cast<double>(unit + 1));
      s.remove_prefix(1);
    }
  }
  if (!s.empty() && absl::ascii_tolower(s[0]) == 'i') s.remove_prefix(1);
  if (!s.empty() && absl::ascii_tolower(s[0]) == 'b') s.remove_prefix(1);
  if (!s.empty()) {
    return absl::InvalidArgumentError("expected a size such as 512m or 1g");
  }
  double bytes = number * multiplier;
  if (bytes >= static_cast<double>(std::numeric_limits<int64_t>::max())) {
    return absl::InvalidArgumentError("too large");
  }
  return static_cast<int64_t>(bytes);
}

absl::StatusOr<libcontainer::Resources> ResourcesFromUpdateFlags(
    const std::map<std::string, std::string>& flags,
    std::vector<std::string>* warnings) {
  for (const char* rdt : {"l3_cache_schema", "mem_bw_schema"}) {
    if (const std::string* value = Given(flags, rdt)) {
      return BadValue(rdt, *value,
                      "Intel RDT schemas cannot be updated by run_oci");
    }
  }
  for (const char* obsolete : {"kernel_memory", "kernel_memory_tcp"}) {
    if (Given(flags, obsolete) != nullptr) {
      warnings->push_back(absl::StrCat("Setting ", Dashed(obsolete),
                                       " is ignored and will be removed"));
    }
  }
  libcontainer::Resources r;
  libcontainer::MemoryResources& m = r.memory.emplace();
  RETURN_IF_ERROR(ReadBytes(flags, "memory", &m.limit));
  RETURN_IF_ERROR(ReadBytes(flags, "memory_reservation", &m.reservation));
  RETURN_IF_ERROR(ReadBytes(flags, "memory_swap", &m.swap));
  libcontainer::CpuResources& c = r.cpu.emplace();
  RETURN_IF_ERROR(ReadInt(flags, "cpu_period", &c.period));
  RETURN_IF_ERROR(ReadInt(flags, "cpu_quota", &c.quota));
  RETURN_IF_ERROR(ReadInt(flags, "cpu_burst", &c.burst));
  // runc's flag is --cpu-share; docker's and podman's --cpu-shares too.
  RETURN_IF_ERROR(ReadInt(flags, "cpu_shares", &c.shares));
  RETURN_IF_ERROR(ReadInt(flags, "cpu_share", &c.shares));
  RETURN_IF_ERROR(ReadInt(flags, "cpu_rt_period", &c.realtime_period));
  RETURN_IF_ERROR(ReadInt(flags, "cpu_rt_runtime", &c.realtime_runtime));
  RETURN_IF_ERROR(ReadInt(flags, "cpu_idle", &c.idle));
  if (const std::string* cpus = Given(flags, "cpuset_cpus")) c.cpus = *cpus;
  if (const std::string* mems = Given(flags, "cpuset_mems")) c.mems = *mems;
  std::optional<int64_t> weight;
  RETURN_IF_ERROR(ReadInt(flags, "blkio_weight", &weight));
  if (weight && *weight != 0) {
    if (*weight < 0 || *weight > std::numeric_limits<uint16_t>::max()) {
      return BadValue("blkio_weight", *Given(flags, "blkio_weight"),
                      "out of range (10 to 1000)");
    }
    r.block_io.emplace().weight = static_cast<uint16_t>(*weight);
  }
  // runc's --pids-limit defaults to 0, which leaves the limit alone; -1 is
  // "max". A 0 limit can still be set with --resources (pids.limit 0).
  std::optional<int64_t> pids;
  RETURN_IF_ERROR(ReadInt(flags, "pids_limit", &pids));
  if (pids && *pids != 0) r.pids = libcontainer::PidsResources{pids};
  return r;
}

}  // namespace run_oci
