// A stable, human-readable rendering of a Config: one "key: value" per line,
// nested by two-space indentation, every field shown (defaults too) so that a
// golden file catches any change. Kernel values are printed symbolically
// (MS_* flags, CAP_* names, RLIMIT_* names) so that reviewers can read them.
#ifndef LIBCONTAINER_CONFIG_TEXT_H_
#define LIBCONTAINER_CONFIG_TEXT_H_

#include <string>

#include "libcontainer/config.h"

namespace libcontainer {

std::string FormatConfig(const Config& config);

// The symbolic forms FormatConfig uses, exposed for error messages and tests.
// Flags are '|'-joined names in alphabetical order, unknown bits as hex; 0 is
// "0".
std::string FormatMountFlags(unsigned long flags);
std::string FormatCapabilitySet(uint64_t set);  // "CAP_CHOWN CAP_KILL"
std::string RlimitName(int resource);           // "RLIMIT_NOFILE"

}  // namespace libcontainer

#endif  // LIBCONTAINER_CONFIG_TEXT_H_
