// What `run_oci --version` and `features` report.
#ifndef RUN_OCI_VERSION_H_
#define RUN_OCI_VERSION_H_

namespace run_oci {

inline constexpr char kRunOciVersion[] = "0.11.0";
// The runtime-spec release this runtime implements (config.json ociVersion
// up to this one is accepted).
inline constexpr char kOciSpecVersion[] = "1.3.0";
// The oldest ociVersion it accepts.
inline constexpr char kOciSpecVersionMin[] = "1.0.0";

}  // namespace run_oci

#endif  // RUN_OCI_VERSION_H_
