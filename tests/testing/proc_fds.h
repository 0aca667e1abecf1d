// A process seen from outside through /proc/<pid>: the fds it holds and the
// syscall it waits in. Header-only, for the fd tests of the shim and of the
// security suite, which check the same thing at two layers.
#ifndef TESTS_TESTING_PROC_FDS_H_
#define TESTS_TESTING_PROC_FDS_H_

#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/testing/command.h"

namespace ocitest {

// fd number -> link target, for every fd of `pid` (one closed while it is
// read is left out).
inline std::map<int, std::string> FdsOf(pid_t pid) {
  std::map<int, std::string> fds;
  const std::string dir = absl::StrCat("/proc/", pid, "/fd");
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return fds;
  while (dirent* e = readdir(d)) {
    int fd = -1;
    if (!absl::SimpleAtoi(e->d_name, &fd)) continue;
    char target[4096] = {};
    if (readlink(absl::StrCat(dir, "/", fd).c_str(), target,
                 sizeof(target) - 1) < 0) {
      continue;
    }
    fds[fd] = target;
  }
  closedir(d);
  return fds;
}

// Polls for up to 10 s until `pid` waits in syscall `nr`: a process that
// gets there is past all it does before.
inline bool WaitUntilBlockedIn(pid_t pid, long nr) {
  for (int i = 0; i < 1000; ++i) {
    if (ocitest::BlockedIn(pid) == nr) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

}  // namespace ocitest

#endif  // TESTS_TESTING_PROC_FDS_H_
