#include "run_oci/features.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libcontainer/symbol_tables.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "run_oci/parser/mount_options.h"
#include "run_oci/parser/oci_names.h"
#include "run_oci/version.h"

namespace run_oci {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Candidates: every name the runtime-spec (1.3.0) lists or config-linux.md
// allows, and Chromium's; each is kept only if the code accepts it.
constexpr const char* kMountOptionCandidates[] = {
    "acl",           "async",        "atime",
    "bind",          "defaults",     "dev",
    "diratime",      "dirsync",      "exec",
    "idmap",         "iversion",     "lazytime",
    "loop",          "loud",         "mand",
    "noacl",         "noatime",      "nodev",
    "nodiratime",    "noexec",       "noiversion",
    "nolazytime",    "nomand",       "norelatime",
    "nostrictatime", "nosuid",       "nosymfollow",
    "private",       "ratime",       "rbind",
    "rdev",          "rdiratime",    "relatime",
    "remount",       "rexec",        "ridmap",
    "rnoatime",      "rnodev",       "rnodiratime",
    "rnoexec",       "rnorelatime",  "rnostrictatime",
    "rnosuid",       "rnosymfollow", "ro",
    "rprivate",      "rrelatime",    "rro",
    "rrw",           "rshared",      "rslave",
    "rstrictatime",  "rsuid",        "rsymfollow",
    "runbindable",   "rw",           "shared",
    "silent",        "slave",        "strictatime",
    "suid",          "symfollow",    "sync",
    "tmpcopyup",     "unbindable",
};

constexpr const char* kSeccompActionCandidates[] = {
    "SCMP_ACT_ALLOW",        "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL",
    "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",       "SCMP_ACT_TRACE",       "SCMP_ACT_TRAP",
};

constexpr const char* kSeccompOperatorCandidates[] = {
    "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",        "SCMP_CMP_LE",
    "SCMP_CMP_LT", "SCMP_CMP_NE", "SCMP_CMP_MASKED_EQ",
};

// libseccomp's architectures; those this libseccomp does not know drop out.
constexpr const char* kSeccompArchCandidates[] = {
    "SCMP_ARCH_AARCH64",     "SCMP_ARCH_ARM",    "SCMP_ARCH_LOONGARCH64",
    "SCMP_ARCH_M68K",        "SCMP_ARCH_MIPS",   "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
    "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",  "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_RISCV64",     "SCMP_ARCH_S390",   "SCMP_ARCH_S390X",
    "SCMP_ARCH_SH",          "SCMP_ARCH_SHEB",   "SCMP_ARCH_X32",
    "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",
};

constexpr const char* kSeccompFlagCandidates[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

// Recognized: the parser gives it a meaning instead of passing it to the
// filesystem as data.
bool IsMountOption(const std::string& name) {
  absl::StatusOr<MountOptions> parsed = ParseMountOptions({name}, "features");
  return parsed.ok() && parsed->data.empty();
}

template <typename Candidates, typename Accepts>
std::vector<std::string> Accepted(const Candidates& candidates,
                                  Accepts accepts) {
  std::vector<std::string> names;
  for (const char* name : candidates) {
    if (accepts(name)) names.push_back(name);
  }
  return names;
}

void StringArray(Writer& w, const char* key,
                 const std::vector<std::string>& names) {
  w.Key(key);
  w.StartArray();
  for (const std::string& name : names) w.String(name);
  w.EndArray();
}

void Enabled(Writer& w, const char* key, bool enabled) {
  w.Key(key);
  w.StartObject();
  w.Key("enabled");
  w.Bool(enabled);
  w.EndObject();
}

void WriteLinux(Writer& w, const Features& f) {
  w.Key("linux");
  w.StartObject();
  StringArray(w, "namespaces", f.namespaces);
  StringArray(w, "capabilities", f.capabilities);
  w.Key("cgroup");
  w.StartObject();
  // libcontainer's fs driver for v1, hybrid and v2; no systemd driver
  // (--systemd-cgroup is refused); rdma limits are written (rdma.max).
  constexpr std::pair<const char*, bool> kCgroup[] = {{"v1", true},
                                                      {"v2", true},
                                                      {"systemd", false},
                                                      {"systemdUser", false},
                                                      {"rdma", true}};
  for (const auto& [name, supported] : kCgroup) {
    w.Key(name);
    w.Bool(supported);
  }
  w.EndObject();
  w.Key("seccomp");
  w.StartObject();
  w.Key("enabled");
  w.Bool(true);
  StringArray(w, "actions", f.seccomp_actions);
  StringArray(w, "operators", f.seccomp_operators);
  StringArray(w, "archs", f.seccomp_archs);
  StringArray(w, "knownFlags", f.seccomp_flags);
  w.EndObject();
  // Profiles and labels are refused at create, Intel RDT too.
  Enabled(w, "apparmor", false);
  Enabled(w, "selinux", false);
  Enabled(w, "intelRdt", false);
  // linux.memoryPolicy is not read: no mode or flag is recognized.
  w.Key("memoryPolicy");
  w.StartObject();
  StringArray(w, "modes", {});
  StringArray(w, "flags", {});
  w.EndObject();
  // Idmapped bind mounts (other types are refused): the spec asks for
  // true with a partial implementation.
  w.Key("mountExtensions");
  w.StartObject();
  Enabled(w, "idmap", true);
  w.EndObject();
  Enabled(w, "netDevices", true);
  w.EndObject();
}

}  // namespace

Features SupportedFeatures() {
  Features f;
  for (const auto& stage : libcontainer::kHookStages) {
    f.hooks.emplace_back(stage.SpecName());
  }
  f.mount_options = Accepted(kMountOptionCandidates, IsMountOption);
  for (const auto& ns : libcontainer::kNamespaces) {
    f.namespaces.emplace_back(ns.SpecName());
  }
  std::sort(f.namespaces.begin(), f.namespaces.end());
  for (const auto& cap : libcontainer::kCapabilities) {
    f.capabilities.emplace_back(cap.SpecName());
  }
  f.seccomp_actions = Accepted(kSeccompActionCandidates, IsSeccompAction);
  f.seccomp_operators = Accepted(kSeccompOperatorCandidates, IsSeccompOperator);
  f.seccomp_archs = Accepted(kSeccompArchCandidates, IsSeccompArchitecture);
  f.seccomp_flags = Accepted(kSeccompFlagCandidates, IsSeccompFlag);
  return f;
}

std::string FeaturesJson(const Features& f) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 4);
  w.StartObject();
  w.Key("ociVersionMin");
  w.String(kOciSpecVersionMin);
  w.Key("ociVersionMax");
  w.String(kOciSpecVersion);
  StringArray(w, "hooks", f.hooks);
  StringArray(w, "mountOptions", f.mount_options);
  WriteLinux(w, f);
  w.Key("annotations");
  w.StartObject();
  w.Key("org.chromium.run_oci.version");
  w.String(kRunOciVersion);
  w.EndObject();
  w.EndObject();
  return absl::StrCat(buffer.GetString(), "\n");
}

}  // namespace run_oci
