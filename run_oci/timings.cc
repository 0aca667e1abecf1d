#include "run_oci/timings.h"

#include <stdio.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gflags/gflags.h"
#include "minijail-shim/phase_timer.h"

DEFINE_bool(timings, false,
            "print how long each phase of the start took (to stderr)");

namespace run_oci {
namespace {

using shim::ChildPhase;

struct Span {
  const char* name;
  int64_t begin;
  int64_t end;
};

std::string FormatSpan(const char* name, int64_t begin, int64_t end) {
  if (begin == 0 || end == 0 || end < begin) {
    return absl::StrCat("run_oci: timing: ", name, ": n/a\n");
  }
  return absl::StrFormat("run_oci: timing: %s: %.3f ms\n", name,
                         static_cast<double>(end - begin) / 1e6);
}

}  // namespace

bool TimingsEnabled() { return FLAGS_timings; }

RunTimes& GlobalRunTimes() {
  // Set during static initialization, as close to exec as we can get.
  static RunTimes times = [] {
    RunTimes t;
    t.process_start = shim::MonotonicNs();
    return t;
  }();
  return times;
}

namespace {
// Forces the initializer above to run before main.
const bool kProcessStartTaken = (GlobalRunTimes(), true);
}  // namespace

void MarkConfigParsed() { GlobalRunTimes().parsed = shim::MonotonicNs(); }

std::string FormatTimings(const RunTimes& run,
                          const libcontainer::CreateTimes& create) {
  const shim::PhaseStamps& child = create.child;
  const int64_t seccomp_begin = child.at(ChildPhase::kSeccompStart);
  const int64_t seccomp_end = child.at(ChildPhase::kSeccompEnd);
  const int64_t parse_begin = run.sealed != 0 ? run.sealed : run.process_start;
  const std::vector<Span> spans = {
      {"sealed exec", run.process_start, run.sealed},
      {"parse", parse_begin, run.parsed},
      {"state dir", run.parsed, create.begin},
      {"cgroup setup", create.begin, create.cgroups},
      {"prepare", create.cgroups, create.prepared},
      {"clone", create.prepared, child.at(ChildPhase::kStart)},
      {"cgroup attach", child.at(ChildPhase::kStart),
       child.at(ChildPhase::kCgroupsJoined)},
      {"id maps", child.at(ChildPhase::kCgroupsJoined), create.id_maps},
      {"mounts", create.id_maps, child.at(ChildPhase::kMounts)},
      {"prechroot hooks", child.at(ChildPhase::kMounts),
       child.at(ChildPhase::kPreChrootAcked)},
      {"pivot_root", child.at(ChildPhase::kPreChrootAcked),
       child.at(ChildPhase::kPivotRoot)},
  };
  std::string out;
  for (const Span& s : spans)
    absl::StrAppend(&out, FormatSpan(s.name, s.begin, s.end));
  // Process attributes (uts, sysctls, ids, caps) surround the seccomp
  // load, which is reported on its own.
  const int64_t attrs_begin = child.at(ChildPhase::kPivotRoot);
  const int64_t attrs_end = child.at(ChildPhase::kReady);
  const int64_t seccomp_ns =
      (seccomp_begin != 0 && seccomp_end >= seccomp_begin)
          ? seccomp_end - seccomp_begin
          : 0;
  absl::StrAppend(&out,
                  FormatSpan("process attributes", attrs_begin,
                             attrs_end == 0 ? 0 : attrs_end - seccomp_ns));
  absl::StrAppend(&out, FormatSpan("seccomp", seccomp_begin, seccomp_end));
  const std::vector<Span> tail = {
      {"exec", child.at(ChildPhase::kReady), create.started},
      {"wait", create.started, run.waited},
      {"destroy", run.waited, run.destroyed},
      {"total", run.process_start, run.destroyed},
  };
  for (const Span& s : tail)
    absl::StrAppend(&out, FormatSpan(s.name, s.begin, s.end));
  return out;
}

void PrintTimingsIfEnabled(const libcontainer::CreateTimes& create) {
  if (!TimingsEnabled()) return;
  fputs(FormatTimings(GlobalRunTimes(), create).c_str(), stderr);
}

}  // namespace run_oci
