#include "run_oci/command_flags.h"

#include "gflags/gflags.h"
#include "run_oci/update_flags.h"

// update (runc's units; parsed in update_flags.cc). Strings, so that a
// flag that was not given is told from one given as 0.
DEFINE_string(resources, "",
              "update: linux.resources JSON file, or - for stdin");
DEFINE_string(blkio_weight, "", "update: blockIO weight (10 to 1000)");
DEFINE_string(cpu_period, "", "update: CFS period (us)");
DEFINE_string(cpu_quota, "", "update: CFS quota (us) per period");
DEFINE_string(cpu_burst, "", "update: CFS burst (us)");
DEFINE_string(cpu_share, "", "update: CPU shares");
DEFINE_string(cpu_shares, "", "update: CPU shares (docker's spelling)");
DEFINE_string(cpu_rt_period, "", "update: realtime period (us)");
DEFINE_string(cpu_rt_runtime, "", "update: realtime runtime (us)");
DEFINE_string(cpuset_cpus, "", "update: CPUs to use");
DEFINE_string(cpuset_mems, "", "update: memory nodes to use");
DEFINE_string(cpu_idle, "", "update: 1 for SCHED_IDLE, 0 for normal");
DEFINE_string(memory, "", "update: memory limit (512m, 1g, -1)");
DEFINE_string(memory_reservation, "", "update: memory soft limit");
DEFINE_string(memory_swap, "", "update: memory+swap limit (-1: unlimited)");
DEFINE_string(pids_limit, "", "update: maximum number of pids (-1: max)");
DEFINE_string(kernel_memory, "", "update: obsolete, ignored");
DEFINE_string(kernel_memory_tcp, "", "update: obsolete, ignored");
DEFINE_string(l3_cache_schema, "", "update: Intel RDT L3 schema (refused)");
DEFINE_string(mem_bw_schema, "", "update: Intel RDT MBA schema (refused)");
// events.
DEFINE_bool(stats, false, "events: print the statistics once and exit");
DEFINE_string(interval, "5s", "events: statistics interval");
// checkpoint and restore.
DEFINE_string(image_path, "", "checkpoint/restore: CRIU image directory");
DEFINE_string(work_path, "", "checkpoint/restore: CRIU work/log directory");
DEFINE_string(parent_path, "", "checkpoint: previous pre-dump images");
DEFINE_bool(leave_running, false, "checkpoint: keep running afterwards");
DEFINE_bool(tcp_established, false, "checkpoint/restore: open TCP");
DEFINE_bool(ext_unix_sk, false, "checkpoint/restore: external unix sockets");
DEFINE_bool(shell_job, false, "checkpoint/restore: shell jobs");
DEFINE_bool(lazy_pages, false, "checkpoint/restore: userfaultfd pages");
DEFINE_string(status_fd, "", "checkpoint: CRIU writes \\0 here when ready");
DEFINE_string(page_server, "", "checkpoint: ADDRESS:PORT of a page server");
DEFINE_bool(file_locks, false, "checkpoint/restore: file locks");
DEFINE_bool(pre_dump, false, "checkpoint: memory only, keep running");
DEFINE_string(manage_cgroups_mode, "",
              "checkpoint/restore: soft, full, strict or ignore");
DEFINE_string(empty_ns, "", "checkpoint/restore: namespace to leave empty");
DEFINE_bool(auto_dedup, false, "checkpoint/restore: deduplicate images");
DEFINE_bool(detach, false, "restore: do not wait for the container");
DEFINE_bool(no_subreaper, false, "restore: accepted, no effect");
DEFINE_string(lsm_profile, "", "restore: LSM profile TYPE:NAME");
DEFINE_string(lsm_mount_context, "", "restore: LSM mount context");

namespace run_oci {

const std::vector<std::string>& CgroupOpsFlagNames() {
  static const auto* names = [] {
    auto* list = new std::vector<std::string>{"resources"};
    for (const std::string& name : UpdateFlagNames()) list->push_back(name);
    for (const char* name :
         {"stats",           "interval",    "image_path",
          "work_path",       "parent_path", "leave_running",
          "tcp_established", "ext_unix_sk", "shell_job",
          "lazy_pages",      "status_fd",   "page_server",
          "file_locks",      "pre_dump",    "manage_cgroups_mode",
          "empty_ns",        "auto_dedup",  "detach",
          "no_subreaper",    "lsm_profile", "lsm_mount_context"}) {
      list->push_back(name);
    }
    return list;
  }();
  return *names;
}

std::map<std::string, std::string> GivenCgroupOpsFlags() {
  std::map<std::string, std::string> given;
  for (const std::string& name : CgroupOpsFlagNames()) {
    gflags::CommandLineFlagInfo info;
    if (gflags::GetCommandLineFlagInfo(name.c_str(), &info) &&
        !info.is_default) {
      given[name] = info.current_value;
    }
  }
  return given;
}

}  // namespace run_oci
