// Probe bundles and the two runtimes that run them.
#ifndef TESTS_DIFFERENTIAL_BUNDLE_H_
#define TESTS_DIFFERENTIAL_BUNDLE_H_

#include <functional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rapidjson/document.h"
#include "tests/testing/command.h"

namespace ocitest {

// Changes made to runc's default spec (already set to run the probe).
using ConfigEdit = std::function<void(rapidjson::Document& config)>;

// Makes `bundle`/rootfs (busybox) and `bundle`/config.json: `runc spec`'s
// default with no terminal, process.args = sh -c ProbeScript(exit_code),
// then `edit` applied.
absl::Status MakeProbeBundle(const std::string& bundle, int exit_code,
                             const ConfigEdit& edit);

// linux.maskedPaths of `bundle`/config.json.
absl::StatusOr<std::set<std::string>> ReadMaskedPaths(
    const std::string& bundle);

// `crun run` in a private mount namespace without the cgroup2 mount at
// /sys/fs/cgroup/unified: crun 1.8 refuses a cgroup v1 hybrid host.
absl::StatusOr<CommandResult> RunUnderCrun(const std::string& state_root,
                                           const std::string& bundle,
                                           const std::string& id);

// `runc run`, as a second reference: where crun and runc agree, the
// normalization keeps only what the spec pins down.
absl::StatusOr<CommandResult> RunUnderRunc(const std::string& state_root,
                                           const std::string& bundle,
                                           const std::string& id);

// `run_oci run` of the binary under test.
absl::StatusOr<CommandResult> RunUnderRunOci(const std::string& state_root,
                                             const std::string& bundle,
                                             const std::string& id);

}  // namespace ocitest

#endif  // TESTS_DIFFERENTIAL_BUNDLE_H_
