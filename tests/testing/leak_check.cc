#include "tests/testing/leak_check.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/testing/temp_dir.h"

namespace ocitest {
namespace {

constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return names;
  while (struct dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  return names;
}

bool IsDir(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return false;
  closedir(dir);
  return true;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int v = 0;
      bool ok = true;
      for (int k = 1; k <= 3; ++k) {
        char c = s[i + k];
        if (c < '0' || c > '7') ok = false;
        v = v * 8 + (c - '0');
      }
      if (ok) {
        out.push_back(static_cast<char>(v));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

void WalkCgroups(const std::string& dir, int depth,
                 std::vector<std::string>* out) {
  if (depth > 8) return;
  for (const std::string& name : ListDir(dir)) {
    std::string path = absl::StrCat(dir, "/", name);
    if (!IsDir(path)) continue;
    out->push_back(path);
    WalkCgroups(path, depth + 1, out);
  }
}

struct ProcInfo {
  pid_t ppid = 0;
  char state = '?';
  // Killed and on its way out: in do_exit (PF_EXITING) or with a SIGKILL
  // pending. Not a leak, only not reaped yet: a process that run_oci
  // SIGKILLed just before it exited may still be running its exit when the
  // check reads /proc.
  bool dying = false;
};

constexpr unsigned long kPfExiting = 0x4;  // include/linux/sched.h

bool SigkillPending(const std::string& pid) {
  auto status = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  if (!status.ok()) return false;
  for (absl::string_view line : absl::StrSplit(*status, '\n')) {
    if (!absl::ConsumePrefix(&line, "SigPnd:\t") &&
        !absl::ConsumePrefix(&line, "ShdPnd:\t")) {
      continue;
    }
    uint64_t mask = 0;
    if (absl::SimpleHexAtoi(line, &mask) && (mask & (1ull << (SIGKILL - 1)))) {
      return true;
    }
  }
  return false;
}

std::map<pid_t, ProcInfo> AllProcesses() {
  std::map<pid_t, ProcInfo> procs;
  for (const std::string& name : ListDir("/proc")) {
    pid_t pid;
    if (!absl::SimpleAtoi(name, &pid)) continue;
    auto stat = ReadFile(absl::StrCat("/proc/", name, "/stat"));
    if (!stat.ok()) continue;
    // The command name may hold spaces and parens: parse after the last ')'.
    size_t close = stat->rfind(')');
    if (close == std::string::npos) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::string_view(*stat).substr(close + 2), ' ');
    if (fields.size() < 2) continue;
    ProcInfo info;
    info.state = fields[0].empty() ? '?' : fields[0][0];
    if (!absl::SimpleAtoi(fields[1], &info.ppid)) continue;
    unsigned long flags = 0;
    info.dying = (fields.size() > 6 && absl::SimpleAtoi(fields[6], &flags) &&
                  (flags & kPfExiting) != 0) ||
                 SigkillPending(name);
    procs[pid] = info;
  }
  return procs;
}

}  // namespace

LeakChecker::LeakChecker(std::vector<std::string> tokens)
    : tokens_(std::move(tokens)) {
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

bool LeakChecker::HasToken(const std::string& s) const {
  for (const std::string& token : tokens_) {
    if (!token.empty() && s.find(token) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> LeakChecker::Mounts() const {
  std::vector<std::string> out;
  auto info = ReadFile("/proc/self/mountinfo");
  if (!info.ok()) return out;
  for (absl::string_view line :
       absl::StrSplit(*info, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    if (fields.size() < 5) continue;
    std::string point = Unescape(fields[4]);
    if (HasToken(point)) out.push_back(point);
  }
  return out;
}

std::vector<std::string> LeakChecker::Cgroups() const {
  std::vector<std::string> all, out;
  WalkCgroups(kCgroupRoot, 0, &all);
  for (const std::string& path : all) {
    if (HasToken(path.substr(sizeof(kCgroupRoot)))) out.push_back(path);
  }
  return out;
}

std::vector<std::string> LeakChecker::LoopDevices() const {
  std::vector<std::string> out;
  for (const std::string& name : ListDir("/sys/block")) {
    if (name.rfind("loop", 0) != 0) continue;
    auto backing =
        ReadFile(absl::StrCat("/sys/block/", name, "/loop/backing_file"));
    if (!backing.ok()) continue;
    std::string file(absl::StripTrailingAsciiWhitespace(*backing));
    if (HasToken(file)) out.push_back(absl::StrCat(name, " -> ", file));
  }
  return out;
}

std::vector<pid_t> LeakChecker::Processes() const {
  std::map<pid_t, ProcInfo> procs = AllProcesses();
  std::set<pid_t> found;
  // Live descendants of this process.
  std::set<pid_t> ours = {getpid()};
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& [pid, info] : procs) {
      if (ours.count(info.ppid) && !ours.count(pid)) {
        ours.insert(pid);
        grew = true;
      }
    }
  }
  for (pid_t pid : ours) {
    if (pid != getpid() && procs[pid].state != 'Z' && !procs[pid].dying) {
      found.insert(pid);
    }
  }
  // Processes in a cgroup with a token, wherever they hang in the tree.
  for (const auto& [pid, info] : procs) {
    if (info.state == 'Z' || info.dying || pid == getpid()) continue;
    auto cgroup = ReadFile(absl::StrCat("/proc/", pid, "/cgroup"));
    if (cgroup.ok() && HasToken(*cgroup)) found.insert(pid);
  }
  return std::vector<pid_t>(found.begin(), found.end());
}

std::string LeakChecker::FindLeaks() const {
  std::vector<std::string> lines;
  for (const std::string& m : Mounts()) lines.push_back("mount: " + m);
  for (const std::string& c : Cgroups()) lines.push_back("cgroup: " + c);
  for (const std::string& l : LoopDevices()) lines.push_back("loop: " + l);
  for (pid_t pid : Processes()) {
    auto cmdline = ReadFile(absl::StrCat("/proc/", pid, "/cmdline"));
    std::string cmd = cmdline.ok() ? *cmdline : "?";
    for (char& c : cmd) {
      if (c == '\0') c = ' ';
    }
    lines.push_back(absl::StrCat("process: ", pid, " ", cmd));
  }
  return absl::StrJoin(lines, "\n");
}

std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat(prefix, "-", getpid(), "-", counter++);
}

}  // namespace ocitest
