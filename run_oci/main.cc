// run_oci: an OCI runtime in the style of Chromium OS's run_oci.
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "run_oci/cli.h"
#include "run_oci/commands/commands.h"
#include "run_oci/logging.h"
#include "run_oci/process_spawn.h"
#include "run_oci/sealed_reexec.h"

namespace {

// Container engines show the last line a runtime prints; make it the whole
// error.
int Fail(const absl::Status& status) {
  std::string message = absl::StrReplaceAll(status.message(), {{"\n", " "}});
  run_oci::LogQuietly(run_oci::LogLevel::kError, message);
  fprintf(stderr, "run_oci: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && strcmp(argv[1], run_oci::kSyslogForwarderCommand) == 0) {
    return run_oci::RunSyslogForwarder(argc >= 3 ? argv[2] : "run_oci");
  }
  bool help = false;
  absl::StatusOr<run_oci::CommandLine> cl = run_oci::ParseCommandLine(
      std::vector<std::string>(argv, argv + argc), &help);
  if (help) {
    fputs(cl->help_text.c_str(), stdout);
    return 0;
  }
  if (!cl.ok()) return Fail(cl.status());
  // Before anything else: the container side must never run from the
  // host's binary (CVE-2019-5736). Returns only when that is so.
  absl::Status sealed = run_oci::RunFromSealedExe(*cl, argv);
  if (!sealed.ok()) return Fail(sealed);
  run_oci::InitLogging(cl->log_tag);
  absl::StatusOr<int> exit_code = run_oci::RunCommandLine(*cl);
  if (!exit_code.ok()) return Fail(exit_code.status());
  return *exit_code;
}
