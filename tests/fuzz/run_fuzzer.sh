#!/bin/bash
# Runs parse_fuzzer from <build_dir> for <seconds>, seeded with every
# testdata/*/config.json. Exits non-zero on any crash, leak, sanitizer report
# or timeout (libFuzzer's own exit status), and then keeps the reproducer.
# oci.dict (config.json member names and known values) guides mutations.
# Usage: tests/fuzz/run_fuzzer.sh <build_dir> <seconds>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <build_dir> <seconds>" >&2
  exit 2
fi
build_dir=$1
seconds=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)

fuzzer=""
for candidate in "$build_dir/tests/fuzz/parse_fuzzer" \
                 "$build_dir/clang_fuzz/parse_fuzzer"; do
  if [[ -x $candidate ]]; then fuzzer=$candidate; break; fi
done
if [[ -z $fuzzer ]]; then
  echo "$0: no parse_fuzzer under $build_dir (configure with" \
       "-DENABLE_FUZZER=ON and CXX=clang++, or gn arg enable_fuzzer=true)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/parse_fuzzer.XXXXXX)
trap 'rm -rf "$work/corpus"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
count=0
for config in "$repo"/testdata/*/config.json; do
  cp "$config" "$work/corpus/$(basename "$(dirname "$config")").json"
  count=$((count + 1))
done
echo "seed corpus: $count files; artifacts in $work/artifacts"

status=0
"$fuzzer" "$work/corpus" \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -dict="$repo/tests/fuzz/oci.dict" \
  -artifact_prefix="$work/artifacts/" || status=$?

if [[ $status -ne 0 ]] || compgen -G "$work/artifacts/*" >/dev/null; then
  echo "$0: fuzzer failed (exit $status); reproducers:" >&2
  ls -l "$work/artifacts" >&2
  exit 1
fi
rm -rf "$work"
echo "$0: clean after ${seconds}s"
