// When a supervised container (`run --respawn`) is started again, with
// OpenWrt procd's respawn rules (procd's instance.c, which ujail instances
// use): an exit within THRESHOLD of the start is a crash; after a crash the
// container is started again after DELAY, unless the crashes in a row now
// exceed RETRY (0: retry forever); a run longer than THRESHOLD resets the
// count. Pure: the supervisor measures the run, this decides.
#ifndef RUN_OCI_RESPAWN_POLICY_H_
#define RUN_OCI_RESPAWN_POLICY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace run_oci {

struct RespawnParams {
  // procd's defaults (respawn_threshold, respawn_timeout, respawn_retry).
  absl::Duration threshold = absl::Seconds(3600);
  absl::Duration delay = absl::Seconds(5);
  int retry = 5;  // 0: forever
};

// What `--respawn` alone means.
inline constexpr char kDefaultRespawnSpec[] = "3600,5,5";

// "THRESHOLD,DELAY,RETRY" in seconds (decimals allowed for the first two),
// any of them empty for its default ("3600,,0"), fewer than three fields
// for the defaults of the rest. One-line errors naming the field:
// "--respawn 3600,x,5: DELAY: not a number of seconds".
absl::StatusOr<RespawnParams> ParseRespawnSpec(absl::string_view spec);

class RespawnPolicy {
 public:
  explicit RespawnPolicy(RespawnParams params) : params_(params) {}

  // The container ran for `ran` and exited: true when it is to be started
  // again after params().delay, false when the crash loop is to end.
  bool ShouldRespawn(absl::Duration ran);

  const RespawnParams& params() const { return params_; }
  // Crashes in a row so far.
  int crashes() const { return crashes_; }
  // The one line a supervisor that gives up ends with.
  std::string GiveUpMessage(absl::string_view id) const;

 private:
  RespawnParams params_;
  int crashes_ = 0;
};

}  // namespace run_oci

#endif  // RUN_OCI_RESPAWN_POLICY_H_
