#include "run_oci/respawn_policy.h"

#include <cmath>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace run_oci {
namespace {

absl::Status FieldError(absl::string_view spec, absl::string_view field,
                        absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("--respawn ", spec, ": ", field, ": ", what));
}

// Seconds, not negative, at most a year (a bigger number is a typo).
absl::Status ParseSeconds(absl::string_view spec, absl::string_view field,
                          absl::string_view text, absl::Duration* out) {
  if (text.empty()) return absl::OkStatus();
  double seconds = 0;
  if (!absl::SimpleAtod(text, &seconds) || !std::isfinite(seconds)) {
    return FieldError(spec, field, "not a number of seconds");
  }
  if (seconds < 0 || seconds > 365 * 24 * 3600) {
    return FieldError(spec, field, "must be between 0 and 31536000 seconds");
  }
  *out = absl::Seconds(seconds);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RespawnParams> ParseRespawnSpec(absl::string_view spec) {
  RespawnParams params;
  std::vector<absl::string_view> fields = absl::StrSplit(spec, ',');
  if (fields.size() > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("--respawn ", spec,
                     ": expected THRESHOLD,DELAY,RETRY (seconds, "
                     "seconds, count)"));
  }
  fields.resize(3);
  absl::Status status =
      ParseSeconds(spec, "THRESHOLD", fields[0], &params.threshold);
  if (!status.ok()) return status;
  status = ParseSeconds(spec, "DELAY", fields[1], &params.delay);
  if (!status.ok()) return status;
  if (!fields[2].empty() &&
      (!absl::SimpleAtoi(fields[2], &params.retry) || params.retry < 0)) {
    return FieldError(spec, "RETRY", "not a count (0: retry forever)");
  }
  return params;
}

bool RespawnPolicy::ShouldRespawn(absl::Duration ran) {
  // procd: runtime < threshold counts, else the count starts over.
  crashes_ = ran < params_.threshold ? crashes_ + 1 : 0;
  return params_.retry == 0 || crashes_ <= params_.retry;
}

std::string RespawnPolicy::GiveUpMessage(absl::string_view id) const {
  return absl::StrCat("container ", id, ": crashed ", crashes_,
                      " times in a row, each within ",
                      absl::FormatDuration(params_.threshold),
                      " of its start; not respawning it again");
}

}  // namespace run_oci
