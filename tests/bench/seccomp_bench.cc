// Micro-benchmark of the seccomp compile every start with a seccomp profile
// pays in the parent before clone: shim::CompileSeccomp (libseccomp rule
// building and BPF export) of the Docker-default-like profile in
// testdata/seccomp_docker_like, converted once outside the timed loop.
// Exits non-zero if the input is missing or no longer compiles, so the
// ctest smoke run catches a broken benchmark.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "minijail-shim/seccomp.h"
#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"
#include "tests/bench/bench_main.h"

namespace {

using ::bench::Fail;

// The profile of testdata/<name>, through the real parser and converter.
absl::StatusOr<shim::SeccompPolicy> LoadPolicy(const std::string& name) {
  const std::string path =
      std::string(TESTDATA_DIR) + "/" + name + "/config.json";
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<run_oci::OciConfig> oci =
      run_oci::ParseOciConfig(buffer.str());
  if (!oci.ok()) return oci.status();
  run_oci::ConvertOptions options;
  options.bundle_dir = "/bundle";
  std::vector<std::string> warnings;
  absl::StatusOr<libcontainer::Config> config =
      run_oci::ConvertOciConfig(*oci, options, &warnings);
  if (!config.ok()) return config.status();
  if (!config->seccomp) {
    return absl::FailedPreconditionError(path + ": no linux.seccomp");
  }
  return *config->seccomp;
}

void BM_CompileSeccomp(benchmark::State& state, const std::string& name) {
  absl::StatusOr<shim::SeccompPolicy> policy = LoadPolicy(name);
  if (!policy.ok()) return Fail(state, policy.status().ToString());
  size_t instructions = 0;
  for (auto _ : state) {
    absl::StatusOr<shim::CompiledSeccomp> compiled =
        shim::CompileSeccomp(*policy);
    if (!compiled.ok()) return Fail(state, compiled.status().ToString());
    instructions = compiled->program.size();
    benchmark::DoNotOptimize(compiled);
  }
  state.counters["rules"] = static_cast<double>(policy->syscalls.size());
  state.counters["bpf_insns"] = static_cast<double>(instructions);
}

BENCHMARK_CAPTURE(BM_CompileSeccomp, docker_like,
                  std::string("seccomp_docker_like"))
    ->Unit(benchmark::kMicrosecond);
// What podman 4.3 sends (containers/common's default profile, 3 arches).
BENCHMARK_CAPTURE(BM_CompileSeccomp, podman_run_default,
                  std::string("podman_run_default"))
    ->Unit(benchmark::kMicrosecond);

}  // namespace
