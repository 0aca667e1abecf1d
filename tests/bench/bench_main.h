// What the micro-benchmarks share: main() (bench_main.cc) runs the
// registered benchmarks and exits 1 when one of them called Fail, so that
// the ctest smoke run catches a broken benchmark, not only a crash.
#ifndef TESTS_BENCH_BENCH_MAIN_H_
#define TESTS_BENCH_BENCH_MAIN_H_

#include <benchmark/benchmark.h>

#include <string>

namespace bench {

// Skips the rest of the benchmark with `why` and makes main() fail.
void Fail(benchmark::State& state, const std::string& why);

}  // namespace bench

#endif  // TESTS_BENCH_BENCH_MAIN_H_
