// The names in one directory, sorted, "." and ".." left out (none when it
// cannot be opened): what the file writers' tests compare to see that no
// temporary is left behind.
#ifndef TESTS_RUN_OCI_DIR_ENTRIES_H_
#define TESTS_RUN_OCI_DIR_ENTRIES_H_

#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ocitest {

inline std::vector<std::string> SortedDirEntries(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace ocitest

#endif  // TESTS_RUN_OCI_DIR_ENTRIES_H_
