// `check [--format text|json] [BUNDLE]`: every problem of the bundle's
// config.json at once (config_check.h), then what create would find missing
// on this host: the root file system, and namespaces this kernel lacks.
// Touches no kernel state. Exit 0 without errors (warnings allowed), 1
// with; problems go to stdout, one per line.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/small_files.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/parser/config_check.h"
#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_convert.h"

namespace run_oci {
namespace {

// The name of each namespace type under /proc/self/ns.
constexpr struct {
  const char* spec_name;
  const char* proc_name;
} kNamespaceFiles[] = {
    {"mount", "mnt"},     {"pid", "pid"},     {"uts", "uts"},
    {"ipc", "ipc"},       {"network", "net"}, {"user", "user"},
    {"cgroup", "cgroup"}, {"time", "time"},
};

// What the shim stats before it clones (jail_plan.cc), in its words.
void CheckRootfs(const std::string& bundle, ConfigCheck& check) {
  const std::string rootfs =
      ResolveLexically(bundle, check.config()->root.path);
  struct stat st;
  if (stat(rootfs.c_str(), &st) != 0) {
    check.Add(false, "root.path",
              absl::StrCat(rootfs, ": stat: ", strerror(errno)));
  } else if (!S_ISDIR(st.st_mode)) {
    check.Add(false, "root.path", absl::StrCat(rootfs, ": not a directory"));
  }
}

// A kernel built without a namespace type has no /proc/self/ns entry for
// it; clone(2) then fails with EINVAL.
void CheckNamespaces(ConfigCheck& check) {
  const auto& namespaces = check.config()->linux_config.namespaces;
  for (size_t i = 0; i < namespaces.size(); ++i) {
    if (!namespaces[i].path.empty()) continue;  // joined, not made
    for (const auto& file : kNamespaceFiles) {
      if (namespaces[i].type != file.spec_name) continue;
      const std::string proc = absl::StrCat("/proc/self/ns/", file.proc_name);
      if (access(proc.c_str(), F_OK) != 0 && errno == ENOENT) {
        check.Add(true, absl::StrCat("linux.namespaces[", i, "].type"),
                  absl::StrCat("this kernel has no ", file.spec_name,
                               " namespace (no ", proc, ")"));
      }
    }
  }
}

}  // namespace

absl::StatusOr<int> CheckBundle(const CommandLine& cl) {
  ASSIGN_OR_RETURN(std::string bundle,
                   AbsoluteBundle(cl.args.empty() ? cl.bundle : cl.args[0]));
  // Read as create reads it: what create cannot read, check cannot either.
  ASSIGN_OR_RETURN(
      std::string text,
      base::ReadRegularFile(absl::StrCat(bundle, "/config.json"),
                            {kMaxJsonDocumentBytes, /*follow_symlinks=*/true}));
  ConvertOptions options;
  options.bundle_dir = bundle;
  options.run_as_init = cl.run_as_init;
  options.extra_bind_mounts = cl.bind_mounts;
  options.use_current_user = cl.use_current_user;
  ConfigCheck check(text, options);
  if (check.config() != nullptr) {
    CheckRootfs(bundle, check);
    CheckNamespaces(check);
  }
  std::string out;
  for (const ConfigProblem& problem : check.problems()) {
    absl::StrAppend(&out,
                    cl.format == OutputFormat::kJson
                        ? ConfigProblemJson(problem)
                        : ConfigProblemText(problem),
                    "\n");
  }
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  return check.has_errors() ? 1 : 0;
}

}  // namespace run_oci
