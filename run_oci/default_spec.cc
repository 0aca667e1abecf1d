#include "run_oci/default_spec.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "run_oci/version.h"

namespace run_oci {
namespace {

// What runc 1.1 writes, in its order; ociVersion is set below.
constexpr char kDefaultSpec[] = R"({
  "ociVersion": "",
  "process": {
    "terminal": true,
    "user": {"uid": 0, "gid": 0},
    "args": ["sh"],
    "env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "TERM=xterm"
    ],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "ambient": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "run_oci",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                 "mode=0620", "gid=5"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
     "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
     "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "linux": {
    "resources": {"devices": [{"allow": false, "access": "rwm"}]},
    "namespaces": [
      {"type": "pid"}, {"type": "network"}, {"type": "ipc"},
      {"type": "uts"}, {"type": "mount"}
    ],
    "maskedPaths": [
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
      "/proc/sched_debug", "/sys/firmware", "/proc/scsi"
    ],
    "readonlyPaths": [
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger"
    ]
  }
})";

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

Value IdMapping(unsigned host_id, Allocator& a) {
  Value mapping(rapidjson::kObjectType);
  mapping.AddMember("containerID", 0, a);
  mapping.AddMember("hostID", host_id, a);
  mapping.AddMember("size", 1, a);
  Value list(rapidjson::kArrayType);
  list.PushBack(mapping, a);
  return list;
}

// An unprivileged user can make a user namespace but no network one it
// could configure, cannot mount a new sysfs there (so /sys is bound from
// the host), cannot chown to gid 5 nor write cgroup limits.
void MakeRootless(rapidjson::Document& doc, const DefaultSpecOptions& o) {
  Allocator& a = doc.GetAllocator();
  Value& linux_section = doc["linux"];
  Value namespaces(rapidjson::kArrayType);
  for (Value& ns : linux_section["namespaces"].GetArray()) {
    std::string type = ns["type"].GetString();
    if (type != "network" && type != "user") namespaces.PushBack(ns, a);
  }
  Value user(rapidjson::kObjectType);
  user.AddMember("type", "user", a);
  namespaces.PushBack(user, a);
  linux_section["namespaces"] = namespaces;
  linux_section.AddMember("uidMappings", IdMapping(o.uid, a), a);
  linux_section.AddMember("gidMappings", IdMapping(o.gid, a), a);
  linux_section.RemoveMember("resources");

  for (Value& mount : doc["mounts"].GetArray()) {
    if (std::string(mount["destination"].GetString()) == "/sys") {
      mount["type"] = "none";
      mount["source"] = "/sys";
      Value options(rapidjson::kArrayType);
      for (const char* option : {"rbind", "nosuid", "noexec", "nodev", "ro"}) {
        options.PushBack(Value(option, a), a);
      }
      mount["options"] = options;
      continue;
    }
    if (!mount.HasMember("options")) continue;
    Value kept(rapidjson::kArrayType);
    for (Value& option : mount["options"].GetArray()) {
      absl::string_view text = option.GetString();
      if (!absl::StartsWith(text, "uid=") && !absl::StartsWith(text, "gid=")) {
        kept.PushBack(option, a);
      }
    }
    mount["options"] = kept;
  }
}

}  // namespace

std::string DefaultSpecJson(const DefaultSpecOptions& options) {
  rapidjson::Document doc;
  doc.Parse(kDefaultSpec);  // a constant: parses, as the unit test checks
  doc["ociVersion"].SetString(kOciSpecVersion, doc.GetAllocator());
  if (options.rootless) MakeRootless(doc, options);
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent('\t', 1);
  doc.Accept(w);
  return absl::StrCat(buffer.GetString(), "\n");
}

}  // namespace run_oci
