// Propagation helpers for absl::Status. Debian's Abseil ships no
// status_macros.h, so the project defines the pair once, here, in its lowest
// layer so that libcontainer and run_oci can share it.
#ifndef MINIJAIL_SHIM_BASE_STATUS_MACROS_H_
#define MINIJAIL_SHIM_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SHIM_STATUS_CONCAT_INNER_(a, b) a##b
#define SHIM_STATUS_CONCAT_(a, b) SHIM_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` yields a non-OK status.
#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    absl::Status shim_status_ = (expr);          \
    if (!shim_status_.ok()) return shim_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, Foo());` or `ASSIGN_OR_RETURN(x, Foo());`
#define ASSIGN_OR_RETURN(lhs, rexpr)                                         \
  ASSIGN_OR_RETURN_IMPL_(SHIM_STATUS_CONCAT_(shim_statusor_, __LINE__), lhs, \
                         rexpr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                           \
  if (!statusor.ok()) return statusor.status();      \
  lhs = std::move(statusor).value()

#endif  // MINIJAIL_SHIM_BASE_STATUS_MACROS_H_
