// execve(2)'s argv and envp from strings, built before a fork so that the
// child only reads them.
#ifndef MINIJAIL_SHIM_BASE_C_STRINGS_H_
#define MINIJAIL_SHIM_BASE_C_STRINGS_H_

#include <string>
#include <vector>

namespace base {

// A null-terminated array pointing into `strings`, which must outlive it.
inline std::vector<char*> NullTerminated(
    const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) {
    out.push_back(const_cast<char*>(s.c_str()));
  }
  out.push_back(nullptr);
  return out;
}

}  // namespace base

#endif  // MINIJAIL_SHIM_BASE_C_STRINGS_H_
