#!/bin/bash
# Runs the fuzzers from <build_dir> for <seconds> in total: parse_fuzzer
# (config.json, seeded with every testdata/*/config.json, oci.dict) for
# five sixths of the time, state_fuzzer (the state record, seeded with
# tests/fuzz/state_seeds, state.dict) for the rest. Exits non-zero on any
# crash, leak, sanitizer report or timeout (libFuzzer's own exit status),
# and then keeps the reproducer.
# Usage: tests/fuzz/run_fuzzer.sh <build_dir> <seconds>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <build_dir> <seconds>" >&2
  exit 2
fi
build_dir=$1
seconds=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)

find_fuzzer() {
  local candidate
  for candidate in "$build_dir/tests/fuzz/$1" "$build_dir/clang_fuzz/$1"; do
    if [[ -x $candidate ]]; then echo "$candidate"; return; fi
  done
  echo "$0: no $1 under $build_dir (configure with -DENABLE_FUZZER=ON and" \
       "CXX=clang++, or gn arg enable_fuzzer=true)" >&2
  exit 1
}

work=$(mktemp -d /tmp/fuzzers.XXXXXX)
trap 'rm -rf "$work"/*/corpus' EXIT

# run <fuzzer> <seconds> <dict> <seed files...>
run() {
  local name=$1 time=$2 dict=$3
  shift 3
  local fuzzer dir
  fuzzer=$(find_fuzzer "$name")
  dir="$work/$name"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  local count=0 seed
  for seed in "$@"; do
    cp "$seed" "$dir/corpus/$count-$(basename "$seed")"
    count=$((count + 1))
  done
  echo "$name: ${time}s, seed corpus: $count files; artifacts in" \
       "$dir/artifacts"
  local status=0
  "$fuzzer" "$dir/corpus" \
    -max_total_time="$time" -timeout=5 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -dict="$dict" \
    -artifact_prefix="$dir/artifacts/" || status=$?
  if [[ $status -ne 0 ]] || compgen -G "$dir/artifacts/*" >/dev/null; then
    echo "$0: $name failed (exit $status); reproducers:" >&2
    ls -l "$dir/artifacts" >&2
    exit 1
  fi
}

state_seconds=$(( seconds / 6 > 0 ? seconds / 6 : 1 ))
parse_seconds=$(( seconds - state_seconds > 0 ? seconds - state_seconds : 1 ))
configs=()
for config in "$repo"/testdata/*/config.json "$repo"/testdata/check/*/config.json; do
  configs+=("$config")
done
run parse_fuzzer "$parse_seconds" "$repo/tests/fuzz/oci.dict" "${configs[@]}"
run state_fuzzer "$state_seconds" "$repo/tests/fuzz/state.dict" \
  "$repo"/tests/fuzz/state_seeds/*.json
rm -rf "$work"
echo "$0: clean after ${seconds}s"
