// Finds what a test left on the host: mounts, cgroups, loop devices and
// processes that belong to it. A test names what is its own with tokens (its
// temp dir, its unique cgroup name); anything whose path contains a token
// counts, and so does every live process descended from the test.
#ifndef TESTS_TESTING_LEAK_CHECK_H_
#define TESTS_TESTING_LEAK_CHECK_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace ocitest {

class LeakChecker {
 public:
  // Makes this process a child subreaper (PR_SET_CHILD_SUBREAPER), so that
  // containers left running by a run_oci that already exited are reparented
  // here and still found as descendants.
  explicit LeakChecker(std::vector<std::string> tokens);

  // One line per leaked thing, empty when nothing leaked. Zombies do not
  // count (they hold nothing but a pid).
  std::string FindLeaks() const;

  // The parts, for tests that want them separately.
  std::vector<std::string> Mounts() const;       // mount points with a token
  std::vector<std::string> Cgroups() const;      // cgroup dirs with a token
  std::vector<std::string> LoopDevices() const;  // "loopN -> backing file"
  std::vector<pid_t> Processes() const;  // live descendants + token cgroups

 private:
  std::vector<std::string> tokens_;
  bool HasToken(const std::string& s) const;
};

// A name unique to this process and call, for cgroup parents and ids:
// "<prefix>-<pid>-<counter>".
std::string UniqueName(const std::string& prefix = "ocitest");

}  // namespace ocitest

#endif  // TESTS_TESTING_LEAK_CHECK_H_
