#include "tests/differential/bundle.h"

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"
#include "rapidjson/error/en.h"
#include "rapidjson/pointer.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "tests/differential/container_view.h"
#include "tests/testing/rootfs.h"
#include "tests/testing/temp_dir.h"

#ifndef RUN_OCI_BIN
#error "RUN_OCI_BIN (path of the run_oci binary under test) must be defined"
#endif

namespace ocitest {
namespace {

// A hung runtime fails the test (and the leak check) instead of hanging it.
constexpr char kTimeout[] = "60";
constexpr char kKillAfter[] = "5";

absl::StatusOr<rapidjson::Document> ReadConfig(const std::string& bundle) {
  std::string path = bundle + "/config.json";
  ASSIGN_OR_RETURN(std::string json, ReadFile(path));
  rapidjson::Document config;
  config.Parse(json);
  if (config.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": offset ", config.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(config.GetParseError())));
  }
  return config;
}

absl::Status CheckExit(const CommandResult& result, absl::string_view what) {
  if (result.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat(what, " exited with ", result.exit_code, ": ", result.err));
}

}  // namespace

absl::Status MakeProbeBundle(const std::string& bundle, int exit_code,
                             const ConfigEdit& edit) {
  RETURN_IF_ERROR(MakeBusyboxRootfs(bundle + "/rootfs"));
  ASSIGN_OR_RETURN(CommandResult spec,
                   RunCommand({"runc", "spec", "--bundle", bundle}));
  RETURN_IF_ERROR(CheckExit(spec, "runc spec"));
  ASSIGN_OR_RETURN(rapidjson::Document config, ReadConfig(bundle));

  auto& alloc = config.GetAllocator();
  rapidjson::Pointer("/process/terminal").Set(config, false);
  rapidjson::Value args(rapidjson::kArrayType);
  args.PushBack("sh", alloc).PushBack("-c", alloc);
  args.PushBack(rapidjson::Value(ProbeScript(exit_code), alloc), alloc);
  rapidjson::Pointer("/process/args").Set(config, args);
  if (edit) edit(config);

  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  config.Accept(writer);
  return WriteFile(bundle + "/config.json", buffer.GetString());
}

absl::StatusOr<std::set<std::string>> ReadMaskedPaths(
    const std::string& bundle) {
  ASSIGN_OR_RETURN(rapidjson::Document config, ReadConfig(bundle));
  std::set<std::string> paths;
  const rapidjson::Value* masked =
      rapidjson::Pointer("/linux/maskedPaths").Get(config);
  if (masked == nullptr || !masked->IsArray()) return paths;
  for (const auto& path : masked->GetArray()) {
    if (path.IsString()) paths.insert(path.GetString());
  }
  return paths;
}

absl::StatusOr<CommandResult> RunUnderCrun(const std::string& state_root,
                                           const std::string& bundle,
                                           const std::string& id) {
  return RunCommand({"timeout", "-k", kKillAfter, kTimeout, "unshare", "-m",
                     "--propagation", "private", "sh", "-c",
                     "umount /sys/fs/cgroup/unified && "
                     "exec crun --root \"$1\" run -b \"$2\" \"$3\"",
                     "sh", state_root, bundle, id});
}

absl::StatusOr<CommandResult> RunUnderRunc(const std::string& state_root,
                                           const std::string& bundle,
                                           const std::string& id) {
  return RunCommand({"timeout", "-k", kKillAfter, kTimeout, "runc", "--root",
                     state_root, "run", "-b", bundle, id});
}

absl::StatusOr<CommandResult> RunUnderRunOci(const std::string& state_root,
                                             const std::string& bundle,
                                             const std::string& id) {
  return RunCommand({"timeout", "-k", kKillAfter, kTimeout, RUN_OCI_BIN,
                     "--root", state_root, "-c", bundle, "run", id});
}

}  // namespace ocitest
