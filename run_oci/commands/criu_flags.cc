#include "run_oci/commands/criu_flags.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libcontainer/criu.h"
#include "minijail-shim/base/status_macros.h"

namespace run_oci {
namespace {

libcontainer::CriuCommonOptions CommonFlags(const CommandLine& cl) {
  libcontainer::CriuCommonOptions o;
  o.tcp_established = GivenBoolFlag(cl, "tcp_established");
  o.ext_unix_sk = GivenBoolFlag(cl, "ext_unix_sk");
  o.shell_job = GivenBoolFlag(cl, "shell_job");
  o.file_locks = GivenBoolFlag(cl, "file_locks");
  o.auto_dedup = GivenBoolFlag(cl, "auto_dedup");
  o.lazy_pages = GivenBoolFlag(cl, "lazy_pages");
  o.manage_cgroups_mode = GivenFlag(cl, "manage_cgroups_mode");
  return o;
}

// runc knows one namespace to leave empty: the network one, which it
// leaves empty anyway.
absl::Status CheckEmptyNs(const CommandLine& cl) {
  std::string ns = GivenFlag(cl, "empty_ns");
  if (ns.empty() || ns == "network") return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--empty-ns ", ns, ": namespace \"", ns,
                   "\" is not supported (only network)"));
}

// What checkpoint and restore both take: --empty-ns checked, then the
// options they share.
template <typename Options>
absl::StatusOr<Options> OptionsWithCommonFlags(const CommandLine& cl) {
  RETURN_IF_ERROR(CheckEmptyNs(cl));
  Options o;
  o.common = CommonFlags(cl);
  return o;
}

}  // namespace

std::string GivenFlag(const CommandLine& cl, const std::string& name) {
  auto it = cl.command_flags.find(name);
  return it == cl.command_flags.end() ? std::string() : it->second;
}

bool GivenBoolFlag(const CommandLine& cl, const std::string& name) {
  return GivenFlag(cl, name) == "true";
}

absl::StatusOr<libcontainer::CriuDumpOptions> CriuDumpFlags(
    const CommandLine& cl) {
  ASSIGN_OR_RETURN(auto o,
                   OptionsWithCommonFlags<libcontainer::CriuDumpOptions>(cl));
  o.leave_running = GivenBoolFlag(cl, "leave_running");
  o.pre_dump = GivenBoolFlag(cl, "pre_dump");
  o.parent_path = GivenFlag(cl, "parent_path");
  o.page_server = GivenFlag(cl, "page_server");
  if (std::string fd = GivenFlag(cl, "status_fd"); !fd.empty()) {
    if (!absl::SimpleAtoi(fd, &o.status_fd) || o.status_fd < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--status-fd ", fd, ": expected a file descriptor"));
    }
  }
  return o;
}

absl::StatusOr<libcontainer::CriuRestoreOptions> CriuRestoreFlags(
    const CommandLine& cl) {
  ASSIGN_OR_RETURN(
      auto o, OptionsWithCommonFlags<libcontainer::CriuRestoreOptions>(cl));
  o.lsm_profile = GivenFlag(cl, "lsm_profile");
  o.lsm_mount_context = GivenFlag(cl, "lsm_mount_context");
  return o;
}

absl::StatusOr<std::string> UsableCriu(const std::string& id,
                                       absl::string_view outcome) {
  ASSIGN_OR_RETURN(std::string criu, libcontainer::FindCriu());
  absl::Status usable = libcontainer::CheckCriu(criu);
  if (!usable.ok()) {
    return absl::Status(
        usable.code(),
        absl::StrCat(usable.message(), "; container ", id, " ", outcome));
  }
  return criu;
}

}  // namespace run_oci
