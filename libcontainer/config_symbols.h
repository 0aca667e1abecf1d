// Symbolic names for the kernel values a Config holds (MS_* flags, CAP_*
// sets, RLIMIT_*, SCHED_*, ...), for FormatConfig and for error messages.
// Bit sets print as '|'-joined names, unknown bits as hex, and 0 as "0".
#ifndef LIBCONTAINER_CONFIG_SYMBOLS_H_
#define LIBCONTAINER_CONFIG_SYMBOLS_H_

#include <cstdint>
#include <string>

#include "libcontainer/config.h"

namespace libcontainer {

// Names in alphabetical order: "MS_NODEV|MS_NOSUID".
std::string FormatMountFlags(unsigned long flags);
// Space-separated names in capability order: "CAP_CHOWN CAP_KILL"; "none".
std::string FormatCapabilitySet(uint64_t set);
std::string RlimitName(int resource);           // "RLIMIT_NOFILE"
std::string NamespaceName(NamespaceType type);  // "network", as in OCI
std::string HookStageName(HookStage stage);     // "createRuntime", as in OCI
std::string SchedPolicyName(int policy);        // "SCHED_FIFO"
std::string FormatSchedFlags(uint64_t flags);   // "SCHED_FLAG_RECLAIM|..."
std::string IoPrioClassName(int io_class);      // "IOPRIO_CLASS_BE"
std::string PersonalityText(unsigned long persona);  // "PER_LINUX32|..."
std::string FormatSecurebits(uint64_t mask);         // "SECBIT_NOROOT|..."

}  // namespace libcontainer

#endif  // LIBCONTAINER_CONFIG_SYMBOLS_H_
