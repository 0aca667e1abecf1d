#include "tests/differential/container_view.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ocitest {
namespace {

constexpr absl::string_view kMarkerPrefix = "== ";
constexpr absl::string_view kMarkerSuffix = " ==";

// Each probe step, in order: section name and the command printing it.
struct ProbeStep {
  const char* section;
  const char* command;
};
constexpr ProbeStep kProbeSteps[] = {
    {"id", "id"},
    {"status",
     "grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)|^NoNewPrivs|^Seccomp:' "
     "/proc/self/status"},
    {"idmap", "cat /proc/self/uid_map /proc/self/gid_map"},
    {"mounts", "cat /proc/self/mountinfo"},
    {"dev", "ls -1a /dev"},
    {"env", "env | sort"},
    {"pwd", "pwd"},
    {"ulimit", "ulimit -a"},
    {"hostname", "hostname"},
    // A namespaced sysctl and whether /proc/sys takes a write (it must
    // not: runc's spec makes it read-only).
    {"sysctl",
     "cat /proc/sys/net/ipv4/ping_group_range; "
     "(cat /proc/sys/net/ipv4/ping_group_range > "
     "/proc/sys/net/ipv4/ping_group_range) 2>/dev/null && echo writable"},
    {"end", "true"},
};

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

std::string SortedLines(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return absl::StrJoin(lines, "\n");
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// mountinfo escapes space, tab, newline and backslash in paths as \ooo; the
// escaped form is kept (it is unambiguous) except for masked path lookups.
std::string Unescape(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && IsOctal(s[i + 1]) &&
        IsOctal(s[i + 2]) && IsOctal(s[i + 3])) {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 +
                                      (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// mountinfo(5): id parent major:minor root mountpoint options [optional...]
// - fstype source superoptions
absl::StatusOr<std::string> NormalizeMounts(
    absl::string_view text, const std::set<std::string>& masked_paths) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(text)) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 6 || dash == fields.end() || dash + 1 == fields.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed mountinfo line: ", line));
    }
    std::string mount_point(fields[4]);
    if (masked_paths.count(Unescape(mount_point)) != 0) {
      out.push_back(absl::StrCat(mount_point, " masked"));
    } else {
      out.push_back(
          absl::StrCat(mount_point, " ", *(dash + 1), " ", fields[5]));
    }
  }
  // Masking a path twice (e.g. a tmpfs and a remount) is still masked once.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return absl::StrJoin(out, "\n");
}

// The default device nodes a runtime binds from the host in a user
// namespace (no mknod there): crun binds them once every mount is done,
// run_oci right after the /dev tmpfs they go in.
bool IsDefaultNodeBind(absl::string_view mount_point) {
  for (absl::string_view node : {"/dev/null", "/dev/zero", "/dev/full",
                                 "/dev/random", "/dev/urandom", "/dev/tty"}) {
    if (mount_point == node) return true;
  }
  return false;
}

// mountinfo in its order (the runtime-spec: mounts in the listed order),
// one "mountpoint fstype" line per mount, a tmpfs with its superblock
// options (a /dev tmpfs' size= and mode=), but for the one under a cgroup
// mount's binds, which each runtime sizes its own way. Masked paths and the
// default nodes' binds are left out (see above), and the binds of one
// cgroup mount are sorted.
absl::StatusOr<std::string> MountOrder(
    absl::string_view text, const std::set<std::string>& masked_paths) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(text)) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 6 || dash == fields.end() || dash + 3 >= fields.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed mountinfo line: ", line));
    }
    const absl::string_view mount_point = fields[4];
    if (masked_paths.count(Unescape(mount_point)) != 0 ||
        IsDefaultNodeBind(mount_point)) {
      continue;
    }
    std::string entry = absl::StrCat(mount_point, " ", *(dash + 1));
    if (*(dash + 1) == "tmpfs" && mount_point != "/sys/fs/cgroup") {
      absl::StrAppend(&entry, " ", *(dash + 3));
    }
    out.push_back(std::move(entry));
  }
  // One "cgroup" mount of the config is a bind per hierarchy, in an order of
  // the runtime's own (runc's and crun's differ): sorted within each run.
  auto is_cgroup = [](const std::string& e) {
    return absl::EndsWith(e, " cgroup") || absl::EndsWith(e, " cgroup2");
  };
  for (auto it = out.begin(); it != out.end();) {
    auto end = std::find_if_not(it, out.end(), is_cgroup);
    std::sort(it, end);
    it = end == it ? it + 1 : end;
  }
  return absl::StrJoin(out, "\n");
}

std::string NormalizeDev(absl::string_view text) {
  std::vector<std::string> names;
  for (const std::string& name : Lines(text)) {
    if (name != "core") names.push_back(name);
  }
  return SortedLines(std::move(names));
}

std::string CollapseSpaces(absl::string_view text) {
  std::vector<std::string> lines;
  for (const std::string& line : Lines(text)) {
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    lines.push_back(absl::StrJoin(words, " "));
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

std::string ProbeScript(int exit_code) {
  std::string script;
  for (const ProbeStep& step : kProbeSteps) {
    absl::StrAppend(&script, "echo '", kMarkerPrefix, step.section,
                    kMarkerSuffix, "'; ", step.command, "\n");
  }
  absl::StrAppend(&script, "exit ", exit_code, "\n");
  return script;
}

absl::StatusOr<ContainerView> ParseContainerView(
    absl::string_view probe_output, const std::set<std::string>& masked_paths) {
  ContainerView raw;
  std::string* current = nullptr;
  for (absl::string_view line : absl::StrSplit(probe_output, '\n')) {
    if (absl::StartsWith(line, kMarkerPrefix) &&
        absl::EndsWith(line, kMarkerSuffix)) {
      absl::string_view name = line;
      absl::ConsumePrefix(&name, kMarkerPrefix);
      absl::ConsumeSuffix(&name, kMarkerSuffix);
      current = &raw[std::string(name)];
      continue;
    }
    if (current == nullptr) {
      if (line.empty()) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("probe output before the first section: ", line));
    }
    absl::StrAppend(current, line, "\n");
  }
  if (raw.count("end") == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("probe did not run to its end; output:\n", probe_output));
  }
  ContainerView view;
  for (auto& [name, text] : raw) {
    if (name == "mounts") {
      auto mounts = NormalizeMounts(text, masked_paths);
      if (!mounts.ok()) return mounts.status();
      view[name] = *std::move(mounts);
      auto order = MountOrder(text, masked_paths);
      if (!order.ok()) return order.status();
      view["mount_order"] = *std::move(order);
    } else if (name == "dev") {
      view[name] = NormalizeDev(text);
    } else if (name == "idmap") {
      view[name] = CollapseSpaces(text);
    } else {
      view[name] = std::string(absl::StripTrailingAsciiWhitespace(text));
    }
  }
  return view;
}

}  // namespace ocitest
