#include "minijail-shim/caps.h"

#include <errno.h>
#include <linux/securebits.h>
#include <sys/prctl.h>

#include <cstring>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/sync_pipe.h"

namespace shim {

absl::StatusOr<int> LastCap() {
  absl::StatusOr<std::string> text =
      base::ReadWholeFile("/proc/sys/kernel/cap_last_cap");
  int last = 0;
  if (!text.ok() || !absl::SimpleAtoi(*text, &last)) {
    return absl::InternalError(
        "jail: /proc/sys/kernel/cap_last_cap: cannot read");
  }
  return last;
}

absl::StatusOr<cap_t> PrepareCaps(const CapSpec& caps, int last_cap) {
  const uint64_t all = caps.bounding | caps.effective | caps.inheritable |
                       caps.permitted | caps.ambient;
  if (last_cap < 63 && (all >> (last_cap + 1)) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("jail: capabilities: a capability above ", last_cap,
                     " (cap_last_cap of this kernel)"));
  }
  if ((caps.effective & ~caps.permitted) != 0) {
    return absl::InvalidArgumentError(
        "jail: capabilities: effective must be a subset of permitted");
  }
  cap_t c = cap_init();
  if (c == nullptr) {
    return absl::InternalError(
        absl::StrCat("jail: cap_init: ", strerror(errno)));
  }
  const struct {
    cap_flag_t flag;
    uint64_t bits;
  } sets[] = {{CAP_EFFECTIVE, caps.effective},
              {CAP_PERMITTED, caps.permitted},
              {CAP_INHERITABLE, caps.inheritable}};
  for (const auto& set : sets) {
    for (int i = 0; i <= last_cap && i < 64; ++i) {
      if (!(set.bits & (uint64_t{1} << i))) continue;
      cap_value_t v = i;
      if (cap_set_flag(c, set.flag, 1, &v, CAP_SET) != 0) {
        cap_free(c);
        return absl::InternalError(
            absl::StrCat("jail: cap_set_flag(", i, "): ", strerror(errno)));
      }
    }
  }
  return c;
}

unsigned long SecurebitsFor(const JailSpec& spec) {
  // As minijail's lock_securebits(): NO_CAP_AMBIENT_RAISE is never set,
  // the ambient set is already bounded by permitted and inheritable.
  unsigned long bits = SECURE_ALL_BITS | SECURE_ALL_LOCKS;
  bits &= ~(issecure_mask(SECURE_NO_CAP_AMBIENT_RAISE) |
            issecure_mask(SECURE_NO_CAP_AMBIENT_RAISE_LOCKED));
  return bits & ~static_cast<unsigned long>(spec.securebits_skip_mask);
}

void LockSecurebits(const ChildPlan& plan) {
  if (!plan.set_securebits) return;
  if (prctl(PR_SET_SECUREBITS, plan.securebits) != 0) {
    ChildFail(plan.sync_fd, Step::kSecurebits, -1, Op::kPrctl, errno);
  }
}

void DropBoundingSet(const ChildPlan& plan) {
  if (!plan.spec->caps.has_value()) return;
  const uint64_t keep = plan.spec->caps->bounding;
  for (int i = 0; i <= plan.last_cap && i < 64; ++i) {
    if (keep & (uint64_t{1} << i)) continue;
    if (prctl(PR_CAPBSET_DROP, i) != 0) {
      ChildFail(plan.sync_fd, Step::kBoundingSet, i, Op::kPrctl, errno);
    }
  }
}

void ApplyCaps(const ChildPlan& plan) {
  if (plan.caps == nullptr) return;
  if (cap_set_proc(plan.caps) != 0) {
    ChildFail(plan.sync_fd, Step::kCapabilities, -1, Op::kSyscall, errno);
  }
  // The kernel only raises what is both permitted and inheritable; like
  // runc and crun, the rest of the ambient list is skipped silently.
  const CapSpec& spec = *plan.spec->caps;
  const uint64_t ambient = spec.ambient & spec.permitted & spec.inheritable;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
      ambient != 0) {
    ChildFail(plan.sync_fd, Step::kAmbientCaps, -1, Op::kPrctl, errno);
  }
  for (int i = 0; i <= plan.last_cap && i < 64; ++i) {
    if (!(ambient & (uint64_t{1} << i))) continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) != 0) {
      ChildFail(plan.sync_fd, Step::kAmbientCaps, i, Op::kPrctl, errno);
    }
  }
}

}  // namespace shim
