// OCI config (parsed) -> libcontainer::Config. Pure: it reads no files and
// touches no kernel state, so every rule is unit- and golden-tested. Names
// become kernel numbers here, relative paths become absolute against the
// bundle, and Chromium's extensions (legacy linux.cpu, loop/dm= mounts,
// precreate/prechroot hooks) are folded into the one Config shape.
#ifndef RUN_OCI_PARSER_OCI_CONVERT_H_
#define RUN_OCI_PARSER_OCI_CONVERT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libcontainer/config.h"
#include "run_oci/parser/oci_config.h"

namespace run_oci {

struct ConvertOptions {
  // Absolute; relative root.path and bind/loop sources resolve against it.
  std::string bundle_dir;
  // --dont_run_as_init clears it.
  bool run_as_init = true;
  // -b SRC:DST from the CLI, appended as rbind mounts (nosuid,nodev). A
  // relative SRC resolves against bundle_dir like a config bind source.
  std::vector<std::pair<std::string, std::string>> extra_bind_mounts;
  // -u: map uid/gid 0 inside to getuid()/getgid() (single-entry maps,
  // replacing any from the config) and add a user namespace if missing.
  bool use_current_user = false;
};

// `oci` is what the parser returned: its names (capabilities, rlimits,
// namespaces, ...) are checked there and not again here. Errors start with
// "config.json: <JSON path>:". `warnings` (may be null)
// receives the parser's warnings (oci.warnings), then one line per thing the
// converter changed on its own, e.g. a proc mount forced nodev,noexec,nosuid.
// A config must ask for a mount namespace (linux.namespaces).
absl::StatusOr<libcontainer::Config> ConvertOciConfig(
    const OciConfig& oci, const ConvertOptions& options,
    std::vector<std::string>* warnings);

// The process part alone (exec's process.json): fills config's argv, env,
// cwd, user, terminal, capabilities, rlimits, no_new_privileges, AppArmor
// and SELinux, OOM score, I/O priority and scheduler. Errors read
// "config.json: process.<field>: ..." like ConvertOciConfig's.
absl::Status ConvertOciProcess(const OciProcess& oci,
                               libcontainer::Config* config,
                               std::vector<std::string>* warnings);

// config.md makes `process` optional at create and required at start: a
// config without one converts to an empty argv, whose container can be
// created (its init waits, and never executes anything) but not started.
// "config.json: process: required to start" for such a Config.
absl::Status RequireProcessToStart(const libcontainer::Config& config);

// "/a/b" + "../c/./d" -> "/a/c/d", without touching the filesystem. An
// absolute `path` is only cleaned; ".." never climbs above "/".
std::string ResolveLexically(const std::string& base, const std::string& path);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_OCI_CONVERT_H_
