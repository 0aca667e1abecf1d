// `run_oci --timings`: where one start's time went. Every phase is the span
// between two CLOCK_MONOTONIC stamps: run_oci's own (process start, config
// parsed, container waited for, torn down), libcontainer's CreateTimes and
// the child's stamps that came back with kReady. The phases are contiguous,
// so they add up to the total.
#ifndef RUN_OCI_TIMINGS_H_
#define RUN_OCI_TIMINGS_H_

#include <cstdint>
#include <string>

#include "libcontainer/container.h"

namespace run_oci {

// run_oci's own stamps (ns, CLOCK_MONOTONIC; 0: not reached).
struct RunTimes {
  int64_t process_start = 0;  // static initialization, before main
  // The sealed re-exec's image started (run_oci/sealed_reexec.h); then
  // process_start is the first image's.
  int64_t sealed = 0;
  int64_t parsed = 0;     // config.json parsed and converted
  int64_t waited = 0;     // the container exited
  int64_t destroyed = 0;  // poststop hooks ran, cgroups and state gone
};

bool TimingsEnabled();  // --timings
// The process-wide stamps; process_start is already set.
RunTimes& GlobalRunTimes();
void MarkConfigParsed();

// "run_oci: timing: <phase>: <ms> ms" lines, one per phase, then the total.
// A phase whose end points were not both reached reads "n/a".
std::string FormatTimings(const RunTimes& run,
                          const libcontainer::CreateTimes& create);

// FormatTimings to stderr when --timings was given.
void PrintTimingsIfEnabled(const libcontainer::CreateTimes& create);

}  // namespace run_oci

#endif  // RUN_OCI_TIMINGS_H_
