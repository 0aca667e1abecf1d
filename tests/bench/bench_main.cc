#include "tests/bench/bench_main.h"

#include <errno.h>

#include <cstdio>

namespace bench {
namespace {

bool g_failed = false;

}  // namespace

void Fail(benchmark::State& state, const std::string& why) {
  g_failed = true;
  state.SkipWithError(why.c_str());
}

}  // namespace bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (bench::g_failed) {
    std::fprintf(stderr, "%s: a benchmark failed\n",
                 program_invocation_short_name);
  }
  return bench::g_failed ? 1 : 0;
}
