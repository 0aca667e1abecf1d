// `features`: the runtime-spec Features structure of this build.
#include "run_oci/features.h"

#include <stdio.h>

#include "run_oci/commands/commands.h"

namespace run_oci {

absl::StatusOr<int> PrintFeatures(const CommandLine& cl) {
  fputs(FeaturesJson(SupportedFeatures()).c_str(), stdout);
  return 0;
}

}  // namespace run_oci
