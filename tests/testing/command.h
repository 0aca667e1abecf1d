// Running a helper program from a test and collecting what it printed.
#ifndef TESTS_TESTING_COMMAND_H_
#define TESTS_TESTING_COMMAND_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ocitest {

struct CommandResult {
  int exit_code = -1;  // the shell convention: 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) with `input` on stdin; returns once it
// exited and both output pipes reached EOF. `env`, when non-empty, replaces
// the environment.
absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv, const std::string& input = "",
    const std::vector<std::string>& env = {});

// The system call `pid` is blocked in (the first field of
// /proc/<pid>/syscall); -1 while it runs or when that cannot be read.
long BlockedIn(pid_t pid);

}  // namespace ocitest

#endif  // TESTS_TESTING_COMMAND_H_
