// A stable, human-readable rendering of a Config: one "key: value" per line,
// nested by two-space indentation, every field shown (defaults too) so that a
// golden file catches any change. Kernel values are printed symbolically
// (MS_* flags, CAP_* names, RLIMIT_* names) so that reviewers can read them.
#ifndef LIBCONTAINER_CONFIG_TEXT_H_
#define LIBCONTAINER_CONFIG_TEXT_H_

#include <string>

#include "libcontainer/config.h"
#include "libcontainer/config_symbols.h"  // IWYU pragma: export

namespace libcontainer {

std::string FormatConfig(const Config& config);

}  // namespace libcontainer

#endif  // LIBCONTAINER_CONFIG_TEXT_H_
