#include "run_oci/parser/config_check.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "libcontainer/config.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "run_oci/parser/oci_names.h"
#include "run_oci/parser/oci_parser.h"

namespace run_oci {
namespace {

constexpr char kFile[] = "config.json";

// Members the spec defines for other platforms, and Windows-only ones:
// run_oci reads none of them.
constexpr struct {
  const char* path;
  const char* why;
} kIgnoredFields[] = {
    {"platform", "ignored (a pre-1.0 property)"},
    {"solaris", "ignored (Solaris only)"},
    {"windows", "ignored (Windows only)"},
    {"vm", "ignored (virtual-machine runtimes only)"},
    {"zos", "ignored (z/OS only)"},
    {"process.commandLine", "ignored (Windows only)"},
    {"process.user.username", "ignored (Windows only)"},
};

}  // namespace

ConfigCheck::ConfigCheck(std::string_view json, const ConvertOptions& options)
    : text_(json) {
  std::vector<JsonProblem> found;
  config_ = ParseOciConfigCollecting(text_, kFile, &found, &positions_);
  for (JsonProblem& problem : found) {
    ConfigProblem out;
    out.warning = problem.warning;
    out.path = std::move(problem.path);
    out.message = std::move(problem.message);
    auto [line, column] = JsonLineColumn(
        text_, problem.offset.value_or(positions_.Find(out.path)));
    out.line = line;
    out.column = column;
    problems_.push_back(std::move(out));
  }
  if (!config_.has_value()) return;
  std::vector<std::string> warnings;
  absl::StatusOr<libcontainer::Config> converted =
      ConvertOciConfig(*config_, options, &warnings);
  for (const std::string& warning : warnings) AddLine(true, warning);
  if (!converted.ok()) {
    const absl::string_view message = converted.status().message();
    AddLine(false, std::string_view(message.data(), message.size()));
  }
  AddIgnoredFields();
  AddUnknownSyscalls();
}

void ConfigCheck::Add(bool warning, std::string path, std::string message) {
  auto [line, column] = JsonLineColumn(text_, positions_.Find(path));
  problems_.push_back(
      {warning, std::move(path), std::move(message), line, column});
}

bool ConfigCheck::has_errors() const {
  for (const ConfigProblem& problem : problems_) {
    if (!problem.warning) return true;
  }
  return false;
}

// The converter's lines read "config.json: <path>: <message>" or
// "config.json: <path> (<detail>): <message>"; the path ends at the first
// ' ' or ':' (none of its paths holds a map key). Others have no path.
void ConfigCheck::AddLine(bool warning, std::string_view line_text) {
  absl::string_view line(line_text.data(), line_text.size());
  if (!absl::ConsumePrefix(&line, absl::StrCat(kFile, ": "))) {
    Add(warning, "", std::string(line));
    return;
  }
  size_t end = line.find_first_of(" :");
  if (end == absl::string_view::npos) {
    Add(warning, "", std::string(line));
    return;
  }
  std::string path(line.substr(0, end));
  line.remove_prefix(end);
  absl::ConsumePrefix(&line, ": ");
  absl::ConsumePrefix(&line, " ");
  Add(warning, std::move(path), std::string(line));
}

void ConfigCheck::AddIgnoredFields() {
  for (const auto& field : kIgnoredFields) {
    if (positions_.Has(field.path)) Add(true, field.path, field.why);
  }
}

// CompileSeccomp leaves out what this libseccomp cannot resolve (as runc
// does, so one profile serves several kernels); create says nothing of it.
void ConfigCheck::AddUnknownSyscalls() {
  if (!config_->linux_config.seccomp.has_value()) return;
  const auto& syscalls = config_->linux_config.seccomp->syscalls;
  for (size_t i = 0; i < syscalls.size(); ++i) {
    for (size_t j = 0; j < syscalls[i].names.size(); ++j) {
      const std::string& name = syscalls[i].names[j];
      if (IsSeccompSyscall(name)) continue;
      Add(true, absl::StrCat("linux.seccomp.syscalls[", i, "].names[", j, "]"),
          absl::StrCat(JsonQuote(name),
                       " is no syscall this libseccomp knows; left out of "
                       "the filter"));
    }
  }
}

std::string ConfigProblemText(const ConfigProblem& problem) {
  return absl::StrCat(kFile, ":", problem.line, ":", problem.column, ": ",
                      problem.warning ? "warning: " : "", problem.path,
                      problem.path.empty() ? "" : ": ", problem.message);
}

std::string ConfigProblemJson(const ConfigProblem& problem) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("path");
  writer.String(problem.path.c_str(),
                static_cast<rapidjson::SizeType>(problem.path.size()));
  writer.Key("line");
  writer.Uint64(problem.line);
  writer.Key("column");
  writer.Uint64(problem.column);
  writer.Key("severity");
  writer.String(problem.warning ? "warning" : "error");
  writer.Key("message");
  writer.String(problem.message.c_str(),
                static_cast<rapidjson::SizeType>(problem.message.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace run_oci
