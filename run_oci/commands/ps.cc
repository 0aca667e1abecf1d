// `ps [--format table|json] <id>`: the processes in the container's
// cgroups. containerd's shim reads the JSON form (an array of pids).
#include <stdio.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "minijail-shim/base/status_macros.h"
#include "run_oci/commands/commands.h"
#include "run_oci/commands/container_setup.h"
#include "run_oci/container_cgroups.h"
#include "run_oci/proc_stat.h"
#include "run_oci/process_table.h"
#include "run_oci/user_names.h"

namespace run_oci {

absl::StatusOr<int> ListContainerProcesses(const CommandLine& cl) {
  ASSIGN_OR_RETURN(ExistingContainer existing,
                   OpenExistingContainer(cl, /*lock=*/false));
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, ContainerPids(existing.record));
  if (cl.format == OutputFormat::kJson) {
    printf("[%s]\n", absl::StrJoin(pids, ",").c_str());
    return 0;
  }
  std::vector<ProcessRow> rows;
  for (pid_t pid : pids) {
    absl::StatusOr<ProcessRow> row = ReadProcessRow(pid);
    if (!row.ok()) {
      // Gone since the cgroup listed it: /proc/<pid> vanishes, or its
      // files read as ESRCH halfway.
      if (absl::IsNotFound(ReadProcStat(pid).status())) continue;
      return row.status();
    }
    rows.push_back(*std::move(row));
  }
  ASSIGN_OR_RETURN(ProcessClock clock, ReadProcessClock());
  fputs(
      FormatProcessTable(rows, clock,
                         [](uid_t uid) {
                           return HostUserName(uid).value_or(absl::StrCat(uid));
                         })
          .c_str(),
      stdout);
  return 0;
}

}  // namespace run_oci
