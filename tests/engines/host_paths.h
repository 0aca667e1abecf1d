// The host paths container engines write to when nothing points them
// elsewhere. An engine test snapshots them before and after and fails if
// they changed: every engine must have used the test's own directories.
#ifndef TESTS_ENGINES_HOST_PATHS_H_
#define TESTS_ENGINES_HOST_PATHS_H_

#include <string>

namespace engines_test {

// One line per path: "absent", or the path and the sorted names under it
// (three levels deep). Contents and times are left out: only what was
// created or removed counts.
std::string SnapshotHostPaths();

}  // namespace engines_test

#endif  // TESTS_ENGINES_HOST_PATHS_H_
