// The processes of a container as its cgroups see them, for `ps` and
// `kill --all`: every process the container started, whatever pid
// namespace or parent it has now.
#ifndef RUN_OCI_CONTAINER_CGROUPS_H_
#define RUN_OCI_CONTAINER_CGROUPS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "run_oci/state_json.h"

namespace run_oci {

// The pids in the text of a cgroup.procs file, in order.
absl::StatusOr<std::vector<pid_t>> ParseCgroupProcs(absl::string_view text,
                                                    absl::string_view path);

// Marks the cgroups a create makes; the first record (written before
// any) holds both parts, so even a destroy after a dead create knows it.
std::string CgroupTag(const StateRecord& record);

// The container's cgroup directories (one per hierarchy), found the way
// its create placed them: config.json's cgroupsPath or
// <cgroup_parent>/<id>.
absl::StatusOr<std::vector<std::string>> ContainerCgroupDirs(
    const StateRecord& record);

// Every pid in those directories and the cgroups below them, sorted, each
// once. A directory that is gone counts as empty.
absl::StatusOr<std::vector<pid_t>> ContainerPids(const StateRecord& record);

// runc's `kill --all`: `signal` to every process in the container's
// cgroups, also to those forked while it runs. SIGKILL freezes the
// cgroups the container's create made, and returns (bounded) once every
// cgroup that `ps` reads is empty.
absl::Status SignalAllProcesses(const StateRecord& record, int signal);

}  // namespace run_oci

#endif  // RUN_OCI_CONTAINER_CGROUPS_H_
