// Micro-benchmark of what every `run_oci run` pays before touching the
// kernel: parse config.json and convert it to a libcontainer::Config. Two
// inputs: runc's default spec (small) and the Android-style bundle (many
// mounts, devices, id maps, hooks). Exits non-zero if an input is missing or
// no longer converts, so the ctest smoke run catches a broken benchmark.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_oci/parser/oci_convert.h"
#include "run_oci/parser/oci_parser.h"
#include "tests/bench/bench_main.h"

namespace {

using ::bench::Fail;

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(TESTDATA_DIR) + "/" + name + "/config.json");
  if (!in) return "";
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void BM_Parse(benchmark::State& state, const std::string& name) {
  const std::string json = ReadTestdata(name);
  if (json.empty()) return Fail(state, "cannot read testdata/" + name);
  for (auto _ : state) {
    absl::StatusOr<run_oci::OciConfig> oci = run_oci::ParseOciConfig(json);
    if (!oci.ok()) return Fail(state, oci.status().ToString());
    benchmark::DoNotOptimize(oci);
  }
  state.SetBytesProcessed(state.iterations() * json.size());
}

void BM_ParseAndConvert(benchmark::State& state, const std::string& name) {
  const std::string json = ReadTestdata(name);
  if (json.empty()) return Fail(state, "cannot read testdata/" + name);
  run_oci::ConvertOptions options;
  options.bundle_dir = "/bundle";
  for (auto _ : state) {
    absl::StatusOr<run_oci::OciConfig> oci = run_oci::ParseOciConfig(json);
    if (!oci.ok()) return Fail(state, oci.status().ToString());
    std::vector<std::string> warnings;
    absl::StatusOr<libcontainer::Config> config =
        run_oci::ConvertOciConfig(*oci, options, &warnings);
    if (!config.ok()) return Fail(state, config.status().ToString());
    benchmark::DoNotOptimize(config);
  }
  state.SetBytesProcessed(state.iterations() * json.size());
}

BENCHMARK_CAPTURE(BM_Parse, runc_default, std::string("runc_default"));
BENCHMARK_CAPTURE(BM_Parse, android, std::string("android_container"));
BENCHMARK_CAPTURE(BM_ParseAndConvert, runc_default,
                  std::string("runc_default"));
BENCHMARK_CAPTURE(BM_ParseAndConvert, android,
                  std::string("android_container"));

}  // namespace
