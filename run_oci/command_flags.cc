#include "run_oci/command_flags.h"

#include <algorithm>

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
// exec (also --detach above, --preserve-fds, --pid-file and
// --console-socket in cli.cc). --env, --cap and --additional-gids are
// repeatable: the normalizer collects their values (cli.h).
DEFINE_string(process, "", "exec: the process as a runtime-spec process.json");
DEFINE_bool(tty, false, "exec: a terminal (needs --console-socket)");
DEFINE_string(cwd, "", "exec: working directory in the container");
DEFINE_string(env, "", "exec: KEY=VALUE to set (repeatable)");
DEFINE_string(user, "", "exec: uid[:gid] in the container");
DEFINE_string(additional_gids, "", "exec: an additional gid (repeatable)");
DEFINE_string(cap, "", "exec: a capability to add (repeatable)");
DEFINE_bool(no_new_privs, false, "exec: set no_new_privs");
DEFINE_bool(ignore_paused, false, "exec: also into a paused container");
DEFINE_string(apparmor, "", "exec: AppArmor profile");
DEFINE_string(process_label, "", "exec: SELinux label");

namespace run_oci {

std::vector<std::string> UpdateCommandFlags() {
  std::vector<std::string> names = {"resources"};
  for (const std::string& name : UpdateFlagNames()) names.push_back(name);
  return names;
}

std::vector<std::string> EventsCommandFlags() { return {"stats", "interval"}; }

namespace {

// What checkpoint and restore share.
std::vector<std::string> CriuCommonFlags() {
  return {"image_path",          "work_path",  "tcp_established", "ext_unix_sk",
          "shell_job",           "file_locks", "lazy_pages",      "auto_dedup",
          "manage_cgroups_mode", "empty_ns"};
}

}  // namespace

std::vector<std::string> CheckpointCommandFlags() {
  std::vector<std::string> names = CriuCommonFlags();
  for (const char* name : {"parent_path", "leave_running", "status_fd",
                           "page_server", "pre_dump"}) {
    names.push_back(name);
  }
  return names;
}

// runc's restore also takes --no-pivot, which run_oci refuses for every
// command (cli.cc), and --console-socket, --pid-file and --bundle, which
// are everyone's.
std::vector<std::string> RestoreCommandFlags() {
  std::vector<std::string> names = CriuCommonFlags();
  for (const char* name : {"detach", "no_subreaper", "no_pivot", "lsm_profile",
                           "lsm_mount_context"}) {
    names.push_back(name);
  }
  return names;
}

std::vector<std::string> ExecCommandFlags() {
  return {
      "process",         "tty",    "cwd",          "env",           "user",
      "additional_gids", "cap",    "no_new_privs", "ignore_paused", "apparmor",
      "process_label",   "detach", "preserve_fds"};
}

bool IsRepeatableFlag(const std::string& name) {
  return name == "env" || name == "cap" || name == "additional_gids";
}

std::map<std::string, std::string> GivenCommandFlags(
    const std::vector<std::string>& flags,
    const std::vector<std::string>& seen) {
  std::map<std::string, std::string> given;
  for (const std::string& name : seen) {
    // The repeatable ones are collected by the normalizer, never set in
    // gflags (cli.h).
    if (IsRepeatableFlag(name) || name == "no_pivot" ||
        name == "preserve_fds" ||
        std::find(flags.begin(), flags.end(), name) == flags.end()) {
      continue;
    }
    std::string value;
    if (gflags::GetCommandLineOption(name.c_str(), &value)) {
      given[name] = std::move(value);
    }
  }
  return given;
}

}  // namespace run_oci
