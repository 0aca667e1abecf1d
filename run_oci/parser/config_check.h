// `run_oci check`'s core: every problem create's parse and conversion would
// meet in a config.json, at once, each with where it is. Errors are what
// create refuses (the first one is create's error, word for word), warnings
// what it changes or leaves out on its own. Pure: reads no files.
#ifndef RUN_OCI_PARSER_CONFIG_CHECK_H_
#define RUN_OCI_PARSER_CONFIG_CHECK_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "run_oci/parser/json_reader.h"
#include "run_oci/parser/oci_config.h"
#include "run_oci/parser/oci_convert.h"

namespace run_oci {

struct ConfigProblem {
  bool warning = false;
  std::string path;     // JSON path ("mounts[2].destination"); "" if none
  std::string message;  // what is wrong
  size_t line = 1;      // 1-based, of the value `path` names (or of its
  size_t column = 1;    // nearest enclosing one); column in bytes
};

class ConfigCheck {
 public:
  // Parses and, when that found no error, converts `json` as create does
  // with `options`; adds the warnings that only a check gives (fields run_oci
  // ignores, syscall names this libseccomp does not know).
  ConfigCheck(std::string_view json, const ConvertOptions& options);

  // The parsed config when the parse found no error, else null.
  const OciConfig* config() const {
    return config_.has_value() ? &*config_ : nullptr;
  }

  // A problem found outside the text (the bundle, the host), at `path`.
  void Add(bool warning, std::string path, std::string message);

  const std::vector<ConfigProblem>& problems() const { return problems_; }
  bool has_errors() const;

 private:
  void AddLine(bool warning, std::string_view line);
  void AddIgnoredFields();
  void AddUnknownSyscalls();

  std::string text_;
  JsonPositions positions_;
  std::optional<OciConfig> config_;
  std::vector<ConfigProblem> problems_;
};

// "config.json:LINE:COL: <path>: <message>", a warning with "warning: "
// after the position (as compilers write them), without a newline.
std::string ConfigProblemText(const ConfigProblem& problem);
// One JSON object: {"path":...,"line":...,"column":...,"severity":"error"
// or "warning","message":...}.
std::string ConfigProblemJson(const ConfigProblem& problem);

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_CONFIG_CHECK_H_
