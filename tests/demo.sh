#!/bin/bash
# Quick start, part one: builds run_oci and runs one real container from a
# busybox bundle made in a temp dir, then removes the temp dir. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-out}  # the CMake build goes to $OUT/cmake

tests/setup.sh
cmake -S . -B "$OUT/cmake" -G Ninja >/dev/null
ninja -C "$OUT/cmake" run_oci
run_oci=$PWD/$OUT/cmake/run_oci/run_oci

tmp=$(mktemp -d /tmp/run_oci-demo-XXXXXX)
cleanup() {
  # Never delete through a mount a failed run might have left behind.
  if grep -qF " $tmp" /proc/self/mountinfo; then
    echo "demo: mounts left under $tmp, not removing it:" >&2
    grep -F " $tmp" /proc/self/mountinfo >&2
    return 1
  fi
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

tests/make_bundle.sh "$tmp/bundle" --hostname demo -- \
  sh -c 'echo hello from run_oci; id; hostname; cat /proc/self/status | grep Cap'

echo "+ run_oci --root $tmp/state run demo   (in $tmp/bundle)"
cd "$tmp/bundle"
"$run_oci" --root "$tmp/state" run demo
