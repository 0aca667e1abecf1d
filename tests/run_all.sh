#!/bin/bash
# Quick start, part two: installs what is missing, builds with CMake and GN,
# runs every test (ctest, the GN-built unit tests, the fuzzer for a minute)
# and checks that nothing was left on the host. Exits non-zero on any
# failure. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

# OUT moves the three build dirs (default out: out/cmake, out/gn, out/fuzz).
OUT=${OUT:-out}
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
failures=()

started=$SECONDS
step() { printf '\n=== %s (%s, +%ds) ===\n' "$*" "$(date +%T)" $((SECONDS - started)); }
# Every check counts once (ctest counts each of its tests) in the closing
# "N passed, N failed" line.
passed=0
fail() { echo "FAILED: $*" >&2; failures+=("$*"); }
pass() { passed=$((passed + ${1:-1})); }

# A snapshot of the host state the tests must not change.
host_state() {
  ls -la /run/containers 2>&1 || true
}

step "setup"
tests/setup.sh
before=$(host_state)

step "CMake build ($OUT/cmake)"
cmake -S . -B "$OUT/cmake" -G Ninja
ninja -C "$OUT/cmake" -j "$JOBS"

step "GN build ($OUT/gn)"
gn gen "$OUT/gn"
ninja -C "$OUT/gn" -j "$JOBS"

step "ctest ($OUT/cmake)"
ctest_log=$(mktemp)
(cd "$OUT/cmake" && ctest --output-on-failure --timeout 600) | tee "$ctest_log" ||
  true
# "100% tests passed, 0 tests failed out of 12"
if summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$ctest_log"); then
  read -r ctest_failed ctest_total < <(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/' <<<"$summary")
  pass $((ctest_total - ctest_failed))
  for ((i = 0; i < ctest_failed; i++)); do fail "ctest (see above)"; done
else
  fail "ctest printed no summary"
fi
rm -f "$ctest_log"

step "benchmark harness smoke (tests/bench/compare.sh --smoke)"
# Checks that the harness runs all three runtimes and prints every row and
# the phase table; the numbers are not judged here (the README has them).
bench_json=$(mktemp)
bench_out=$(RUN_OCI=$(cd "$OUT/cmake/run_oci" && pwd)/run_oci \
  BENCH_JSON=$bench_json tests/bench/compare.sh --smoke 2>&1) || true
rm -f "$bench_json"
echo "$bench_out"
# The realistic bundles (podman's config, Android-style) and the seccomp
# and device growth rows too.
rows=$(grep -cE '^\| (run \(create|5 sequential|3 concurrent|run with 200|peak RSS|podman run|Android-style|run with a 400-rule|run with 50 devices|pause\+resume|exec of|ps --format json)[^|]*\| [0-9.]+ .*\| [0-9.]+ .*\| [0-9.]+ ' <<<"$bench_out" || true)
if [[ $rows -eq 12 ]] && grep -qE '^\| total \| [0-9.]+ \|$' <<<"$bench_out"; then
  pass
else
  fail "benchmark harness smoke ($rows of 12 rows, see above)"
fi

step "GN-built unit tests ($OUT/gn)"
# The fast unit tests; the integration tests already ran in ctest. Each
# one listed must exist: a test the GN build stopped producing is a failure,
# not a skip.
for test in parser_test run_oci_unit_test container_view_test test_support_test; do
  if [[ ! -x $OUT/gn/$test ]]; then
    fail "GN build produced no $test"
    continue
  fi
  echo "--- $OUT/gn/$test"
  if "$OUT/gn/$test" --gtest_brief=1; then pass; else fail "$OUT/gn/$test"; fi
done

step "fuzzer (${FUZZ_SECONDS}s, clang, $OUT/fuzz)"
if [[ -x tests/fuzz/run_fuzzer.sh ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$OUT/fuzz" -G Ninja -DENABLE_FUZZER=ON
  ninja -C "$OUT/fuzz" -j "$JOBS" parse_fuzzer state_fuzzer
  if tests/fuzz/run_fuzzer.sh "$OUT/fuzz" "$FUZZ_SECONDS"; then pass; else fail "fuzzer"; fi
else
  fail "tests/fuzz/run_fuzzer.sh is missing"
fi

step "host leak check"
failures_before=${#failures[@]}
if grep -E 'run_oci|ocitest' /proc/self/mountinfo; then
  fail "mounts left on the host (above)"
fi
if losetup -a 2>/dev/null | grep -E 'run_oci|ocitest'; then
  fail "loop devices left attached (above)"
fi
cgroups=$(find /sys/fs/cgroup -maxdepth 3 -type d \
  \( -name '*ocitest*' -o -name '*difftest*' -o -name '*run_oci*' \) 2>/dev/null || true)
if [[ -n $cgroups ]]; then
  echo "$cgroups"
  fail "cgroups left on the host (above)"
fi
if [[ "$(host_state)" != "$before" ]]; then
  fail "/run/containers changed during the tests"
fi
[[ ${#failures[@]} -eq $failures_before ]] && pass

step "summary (total $((SECONDS - started))s)"
if [[ ${#failures[@]} -gt 0 ]]; then
  printf 'FAILED: %s\n' "${failures[@]}"
fi
echo "run_all: $passed passed, ${#failures[@]} failed"
[[ ${#failures[@]} -eq 0 ]]
