#include "run_oci/command_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "run_oci/command_flags.h"
#include "run_oci/version.h"

namespace run_oci {

const std::vector<CommandSyntax>& Commands() {
  static const auto* commands = new std::vector<CommandSyntax>{
      {"run",
       Command::kRun,
       true,
       0,
       {"no_new_keyring", "no_pivot", "preserve_fds", "respawn", "stop_timeout",
        "notify_socket", "ready_timeout"},
       {},
       "run <id> [-- extra program args]",
       "create and run in the foreground",
       "Creates and runs the container in the foreground; exits with its\n"
       "status (128+N when killed by signal N) once everything is freed.\n"
       "  --pid-file FILE, --console-socket PATH, --no-new-keyring\n"
       "  --respawn[=THRESHOLD,DELAY,RETRY]  start it again when it exits\n"
       "      (procd's rules; default 3600,5,5): an exit within THRESHOLD s\n"
       "      is a crash, more than RETRY in a row (0: no limit) ends it\n"
       "  --stop_timeout S   on a stop request, SIGKILL S seconds after\n"
       "      SIGTERM (default 5)\n"
       "  --notify-socket    with NOTIFY_SOCKET: the container sends\n"
       "      READY=1 itself (/run/notify/notify.sock); relayed\n"
       "  --ready_timeout S  wait at most S seconds for it (default 90)\n"},
      {"start",
       Command::kStart,
       true,
       0,
       {"notify_socket", "ready_timeout"},
       {},
       "start <id>",
       "start a created container (or create and start)",
       "Starts a created container; without a container <id>, creates and\n"
       "starts it in the background (Chromium).\n"
       "  --ready_timeout S  wait at most S seconds for a container that\n"
       "      notifies itself to say READY=1 (default 90)\n"},
      {"create",
       Command::kCreate,
       true,
       0,
       {"no_new_keyring", "no_pivot", "preserve_fds", "notify_socket"},
       {},
       "create <id>",
       "create; the program waits for start",
       "Creates the container; its process waits for `start`.\n"
       "  --bundle DIR, --pid-file FILE, --console-socket PATH,\n"
       "  --no-new-keyring (run_oci never makes a new session keyring)\n"
       "  --notify-socket    with NOTIFY_SOCKET: the container sends\n"
       "      READY=1 itself; `start` relays it\n"},
      {"state",
       Command::kState,
       true,
       0,
       {},
       {},
       "state <id>",
       "print the OCI state JSON",
       "Prints the OCI state JSON.\n"},
      {"kill",
       Command::kKill,
       true,
       1,
       {"all"},
       {{"a", "all"}},
       "kill [--all] <id> [SIGNAL]",
       "signal the init, or every process",
       "Signals the container's init (name with or without SIG, or a\n"
       "number; default TERM).\n"
       "  -a, --all   every process in the container's cgroups instead\n"},
      {"destroy",
       Command::kDestroy,
       true,
       0,
       {},
       {},
       "destroy <id>",
       "run poststop hooks, free everything",
       "Runs poststop hooks and frees everything (alias: delete).\n"
       "  -f, --force   kill a running container first; a container that\n"
       "                does not exist is not an error\n"},
      {"delete",
       Command::kDestroy,
       true,
       0,
       {},
       {},
       "delete <id>",
       "the same as destroy",
       "The same as destroy.\n"},
      {"ps",
       Command::kPs,
       true,
       0,
       {"format"},
       {{"f", "format"}},
       "ps [--format table|json] <id>",
       "the processes in its cgroups",
       "Lists the processes in the container's cgroups: a table like\n"
       "`ps -ef` (UID PID PPID C STIME TTY TIME CMD), or a JSON array of\n"
       "pids.\n"
       "  -f, --format table|json\n"},
      {"list",
       Command::kList,
       false,
       0,
       {"format", "quiet"},
       {{"f", "format"}, {"q", "quiet"}},
       "list [--format table|json] [-q]",
       "the containers under the state root",
       "Lists the containers under the state root: ID PID STATUS BUNDLE\n"
       "CREATED OWNER, or runc's JSON array of objects.\n"
       "  -f, --format table|json\n"
       "  -q, --quiet   ids only\n"},
      {"features",
       Command::kFeatures,
       false,
       0,
       {},
       {},
       "features",
       "the runtime-spec features JSON",
       "Prints the runtime-spec features JSON: what this runtime\n"
       "implements.\n"},
      {"spec",
       Command::kSpec,
       false,
       0,
       {"rootless"},
       {},
       "spec [--rootless] [--bundle DIR]",
       "write a default config.json",
       "Writes a default config.json into the bundle (default: current\n"
       "dir); an existing one is left alone and is an error.\n"
       "  --rootless   for an unprivileged user: a user namespace mapping\n"
       "               the caller to root, no network namespace, /sys bound\n"
       "               from the host, no cgroup limits\n"},
      {"check",
       Command::kCheck,
       false,
       1,
       {"format"},
       {{"f", "format"}},
       "check [--format text|json] [BUNDLE]",
       "every problem of config.json at once",
       "Reads the bundle's config.json (default: --bundle, else the current\n"
       "dir) as create would, without touching the kernel, and prints every\n"
       "problem at once, one per line: config.json:LINE:COL: <path>: <what>,\n"
       "warnings too (what create changes or leaves out, what this host\n"
       "lacks). Exit 0 without errors, 1 with.\n"
       "  -f, --format text|json   json: one object per line (path, line,\n"
       "                           column, severity, message)\n"},
      // The container's cgroups and CRIU (commands/pause.cc, update.cc,
      // events.cc, checkpoint.cc, restore.cc; flags in command_flags.cc).
      {"pause",
       Command::kPause,
       true,
       0,
       {},
       {},
       "pause <id>",
       "freeze every process of the container",
       "Freezes every process of a created or running container (cgroup v1\n"
       "freezer, or cgroup2's cgroup.freeze); state then says paused.\n"},
      {"resume",
       Command::kResume,
       true,
       0,
       {},
       {},
       "resume <id>",
       "thaw a paused container",
       "Thaws a paused container, which is then created or running again.\n"},
      {"update",
       Command::kUpdate,
       true,
       0,
       UpdateCommandFlags(),
       {{"r", "resources"}},
       "update [--resources FILE|-] [flags] <id>",
       "new cgroup limits for the container",
       "Writes new cgroup limits; what is not given stays. With\n"
       "--resources the other flags are ignored.\n"
       "  -r, --resources FILE|-     linux.resources JSON (- for stdin)\n"
       "  --memory N, --memory-reservation N, --memory-swap N\n"
       "                             bytes, or 512m, 1g; -1: unlimited\n"
       "  --pids-limit N             -1: max; 0 leaves it alone\n"
       "  --cpu-quota N, --cpu-period N, --cpu-burst N (us)\n"
       "  --cpu-share N, --cpu-rt-period N, --cpu-rt-runtime N\n"
       "  --cpuset-cpus LIST, --cpuset-mems LIST, --cpu-idle 0|1\n"
       "  --blkio-weight N           10 to 1000\n"},
      {"events",
       Command::kEvents,
       true,
       0,
       EventsCommandFlags(),
       {},
       "events [--stats] [--interval D] <id>",
       "statistics and OOM events as JSON",
       "Prints runc's event JSON, one object per line: with --stats the\n"
       "statistics once; otherwise statistics every interval and an oom\n"
       "event for each OOM kill, until the container stops.\n"
       "  --stats        once, then exit\n"
       "  --interval D   5s, 250ms, 1m (default 5s)\n"},
      {"checkpoint",
       Command::kCheckpoint,
       true,
       0,
       CheckpointCommandFlags(),
       {},
       "checkpoint [flags] <id>",
       "checkpoint a running container with CRIU",
       "Dumps the container with CRIU (criu check first); without\n"
       "--leave-running the container is deleted afterwards.\n"
       "  --image-path DIR (default ./checkpoint), --work-path DIR,\n"
       "  --leave-running, --tcp-established, --ext-unix-sk, --shell-job,\n"
       "  --file-locks, --pre-dump, --parent-path DIR, --page-server A:P,\n"
       "  --lazy-pages, --status-fd N, --manage-cgroups-mode MODE,\n"
       "  --auto-dedup, --empty-ns network\n"},
      {"restore",
       Command::kRestore,
       true,
       0,
       RestoreCommandFlags(),
       {{"b", "container_path"}, {"d", "detach"}},
       "restore [flags] <id>",
       "a new container from a CRIU checkpoint",
       "Restores a checkpoint with CRIU (criu check first) as container\n"
       "<id> of the bundle; without --detach waits for it and deletes it.\n"
       "  -b, --bundle DIR, --image-path DIR, --work-path DIR, -d, --detach,\n"
       "  --pid-file FILE, --tcp-established, --ext-unix-sk, --shell-job,\n"
       "  --file-locks, --manage-cgroups-mode MODE, --auto-dedup,\n"
       "  --lazy-pages, --lsm-profile TYPE:NAME, --lsm-mount-context CTX\n"},
      // commands/exec.cc; flags in command_flags.cc.
      {"exec",
       Command::kExec,
       true,
       0,
       ExecCommandFlags(),
       {{"d", "detach"},
        {"t", "tty"},
        {"e", "env"},
        {"u", "user"},
        {"g", "additional_gids"},
        {"c", "cap"}},
       "exec [flags] <id> [program [args...]]",
       "run a new process in a running container",
       "Runs a process in the container's namespaces and cgroups, with the\n"
       "init's capabilities, rlimits, seccomp filter and no_new_privs unless\n"
       "the flags or --process say more; exits with its status (128+N for\n"
       "signal N). Everything after the id is the program.\n"
       "  --process FILE       a runtime-spec process.json instead of args\n"
       "  -d, --detach         exit once it runs (--pid-file to learn it)\n"
       "  --pid-file FILE      its pid, bare digits\n"
       "  -t, --tty            a terminal; --console-socket PATH gets it\n"
       "  --cwd DIR            working directory in the container\n"
       "  -e, --env KEY=VALUE  (repeatable)\n"
       "  -u, --user UID[:GID]\n"
       "  -g, --additional-gids GID (repeatable)\n"
       "  -c, --cap CAP_X      add a capability (repeatable)\n"
       "  --no-new-privs, --preserve-fds N, --apparmor P, --process-label L\n"
       "  --ignore-paused      also into a paused container\n"},
  };
  return *commands;
}

const CommandSyntax* FindCommand(const std::string& name) {
  for (const CommandSyntax& syntax : Commands()) {
    if (name == syntax.name) return &syntax;
  }
  return nullptr;
}

bool IsCommandFlag(const std::string& name) {
  for (const CommandSyntax& syntax : Commands()) {
    if (std::count(syntax.flags.begin(), syntax.flags.end(), name) > 0) {
      return true;
    }
  }
  return false;
}

std::string CommandUsage(const CommandSyntax& syntax) {
  return absl::StrCat("Usage: run_oci [flags] ", syntax.synopsis, "\n",
                      syntax.help);
}

std::string VersionText() {
  return absl::StrCat("run_oci version ", kRunOciVersion,
                      "\nspec: ", kOciSpecVersion, "\n");
}

std::string Usage() {
  std::string commands;
  for (const CommandSyntax& syntax : Commands()) {
    absl::StrAppend(&commands, absl::StrFormat("  %-34s %s\n", syntax.synopsis,
                                               syntax.summary));
  }
  return absl::StrCat(
      "Usage: run_oci [flags] <command> [<id>] [-- extra program args]\n"
      "Commands (run_oci <command> --help for more):\n",
      commands,
      R"(Flags (before or after the command; --flag value or --flag=value):
  -c, --container_path, --bundle DIR  OCI bundle (default: current dir)
  -b, --bind_mount HOST:CONTAINER     extra bind mount (repeatable)
  -p, --cgroup_parent NAME            cgroup parent when config has no
                                      cgroupsPath
  -u, --use_current_user              map the current user to root
  -i, --dont_run_as_init              run a small init as pid 1
  -l, --log_dir DIR                   log to DIR/<id>.<timestamp>
  -t, --log_tag TAG                   syslog tag; container output to syslog
  -s, --sigstop_when_ready            SIGSTOP run_oci once ready (run)
  -S, --signal SIG                    signal for kill
  -f, --force                         destroy: kill first
      --root DIR                      state root (default /run/containers)
      --pid-file FILE                 create/start: write the pid there
      --console-socket PATH           create/run/start: send the terminal's
                                      master fd there (process.terminal)
      --timings                       run: print each start phase's time
      --log FILE                      warnings and errors (and with --debug
                                      info) also to FILE, appended
      --log-format text|json          the --log format (runc's)
      --debug                         info lines to --log and a terminal
      --systemd-cgroup                refused: no systemd cgroup driver
  -v, --version                       version and the runtime-spec release
  -h, --help                          this text
)");
}

}  // namespace run_oci
