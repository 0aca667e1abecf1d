// Decimal text of a number without allocating or locale: for code that
// runs after fork (async-signal-safe), where absl::StrCat cannot.
#ifndef MINIJAIL_SHIM_BASE_DECIMAL_H_
#define MINIJAIL_SHIM_BASE_DECIMAL_H_

#include <cstddef>

namespace base {

// Writes the digits of `value` and a NUL at `out` (room for 11 bytes);
// returns the number of digits.
inline size_t WriteDecimal(unsigned int value, char* out) {
  char digits[10];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  out[n] = '\0';
  return n;
}

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_DECIMAL_H_
