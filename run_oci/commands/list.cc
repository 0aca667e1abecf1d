// `list [--format table|json] [-q]`: the containers under the state root,
// as runc lists them.
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/commands/commands.h"
#include "run_oci/container_id.h"
#include "run_oci/container_status.h"
#include "run_oci/logging.h"
#include "run_oci/state_dir.h"
#include "run_oci/user_names.h"

namespace run_oci {
namespace {

struct Listed {
  OciState state;  // pid 0 unless created or running, as runc
  std::string rootfs;
  std::string owner;
};

// runc's OWNER: the state directory's owner by name, else "#<uid>".
std::string Owner(const StateDir& dir) {
  struct stat st;
  if (stat(dir.path().c_str(), &st) != 0) return "";
  return HostUserName(st.st_uid).value_or(absl::StrCat("#", st.st_uid));
}

std::vector<std::string> ContainerIds(const std::string& root) {
  std::vector<std::string> ids;
  DIR* dir = opendir(root.c_str());
  if (dir == nullptr) return ids;  // no root yet: no containers
  while (dirent* entry = readdir(dir)) {
    // Also skips "." and the temporaries of creates, which start with '.'.
    if (ValidateContainerId(entry->d_name).ok()) ids.push_back(entry->d_name);
  }
  closedir(dir);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<Listed> ReadContainers(const std::string& root) {
  std::vector<Listed> listed;
  for (const std::string& id : ContainerIds(root)) {
    absl::StatusOr<StateDir> dir = StateDir::Open(root, id);
    // Not a container (yet): a create still filling its directory, or
    // something else living in the root.
    if (!dir.ok()) continue;
    absl::StatusOr<StateRecord> record = dir->ReadRecord();
    if (!record.ok()) {
      LogWarning(absl::StrCat("list: container ", id, ": ",
                              record.status().message()));
      continue;
    }
    ContainerStatus status = GetContainerStatus(*dir, *record);
    listed.push_back({MakeOciState(*record, ContainerStatusName(status)),
                      record->rootfs, Owner(*dir)});
  }
  return listed;
}

// runc's tabwriter: columns at least 12 wide, 3 spaces of padding; the
// last one is not padded.
std::string Table(const std::vector<std::vector<std::string>>& lines) {
  std::vector<size_t> widths;
  for (const auto& cells : lines) {
    widths.resize(std::max(widths.size(), cells.size()), 12);
    for (size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], cells[i].size() + 3);
    }
  }
  std::string out;
  for (const auto& cells : lines) {
    for (size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out.append(widths[i] - cells[i].size(), ' ');
    }
    out += "\n";
  }
  return out;
}

std::string TableText(const std::vector<Listed>& containers) {
  std::vector<std::vector<std::string>> lines = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const Listed& c : containers) {
    lines.push_back({c.state.id, absl::StrCat(c.state.pid), c.state.status,
                     c.state.bundle, c.state.created, c.owner});
  }
  return Table(lines);
}

// runc's list JSON: an array of its containerState objects.
std::string JsonText(const std::vector<Listed>& containers) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const Listed& c : containers) {
    w.StartObject();
    w.Key("ociVersion");
    w.String(c.state.oci_version);
    w.Key("id");
    w.String(c.state.id);
    w.Key("pid");
    w.Int(c.state.pid);
    w.Key("status");
    w.String(c.state.status);
    w.Key("bundle");
    w.String(c.state.bundle);
    w.Key("rootfs");
    w.String(c.rootfs);
    w.Key("created");
    w.String(c.state.created);
    w.Key("annotations");
    w.StartObject();
    for (const auto& [key, value] : c.state.annotations) {
      w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
      w.String(value);
    }
    w.EndObject();
    w.Key("owner");
    w.String(c.owner);
    w.EndObject();
  }
  w.EndArray();
  return absl::StrCat(buffer.GetString(), "\n");
}

}  // namespace

absl::StatusOr<int> ListContainers(const CommandLine& cl) {
  std::vector<Listed> containers = ReadContainers(cl.root);
  std::string text;
  if (cl.quiet) {
    for (const Listed& c : containers) absl::StrAppend(&text, c.state.id, "\n");
  } else if (cl.format == OutputFormat::kJson) {
    text = JsonText(containers);
  } else {
    text = TableText(containers);
  }
  fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace run_oci
