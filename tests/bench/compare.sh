#!/bin/bash
# One command: run_oci vs crun vs runc (and the bare-unshare floor) on a
# busybox bundle running /bin/true (and pause+resume and exec of /bin/true
# into a running container), printing a Markdown table; then the realistic
# bundles (podman run's config from tests/bench/podman-run.json,
# written by tests/bench/podman_config.sh; an Android-style one) and the
# growth rows (200 binds, a 400-rule seccomp profile, 50 devices), see
# tests/make_bundle.sh.
#   tests/bench/compare.sh [samples]      (default 30; run as root)
#   tests/bench/compare.sh --smoke        (one sample, small loads: checks
#                                          the harness, not the numbers)
# RUN_OCI=<path> uses that binary instead of building $OUT/cmake's (out).
# RUN_OCI_BASELINE=<path> times another run_oci build beside it (A/B, the
# `run` row only).
# WRAP_EACH=1 hides /sys/fs/cgroup/unified (crun 1.8 cannot create with it
# on this host) per sample, in a wrapper every runtime and the floor go
# through, as before stop 23; by default the whole harness runs in one
# private mount namespace without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

loads=()
if [[ ${1:-} == --smoke ]]; then
  samples=1
  loads=(--sequential 5 --concurrent 3)
else
  samples=${1:-30}
fi
build_run_oci

work=$(mktemp -d /tmp/run_oci-bench-XXXXXX)
# The Android bundle's shifted root (uid 655360) must reach its rootfs.
chmod 0711 "$work"
# The state roots on a tmpfs of their own, as all three runtimes' defaults
# are (/run/containers, /run/crun, /run/runc: /run is a tmpfs). On this
# host's ext4 (no journal, `discard`) every inode a runtime creates there
# costs more the more were freed in the last minutes (README, Benchmarks),
# which charges the runtime that keeps more files and says nothing about
# the runtimes themselves. STATE_ON_EXT4=1 keeps them under $work.
state_root=$work
if [[ -z ${STATE_ON_EXT4:-} ]]; then
  state_root=$work/state
  mkdir -m 0711 "$state_root"
  mount -t tmpfs -o mode=0711 run_oci-bench-state "$state_root"
fi
cleanup() {
  if [[ $state_root != "$work" ]]; then umount "$state_root"; fi
  remove_scratch_dir "$work"
}
trap cleanup EXIT

tests/make_bundle.sh "$work/bundle" -- /bin/true >/dev/null
tests/make_bundle.sh "$work/bundle-binds" --binds 200 -- /bin/true >/dev/null

echo "# $(nproc)-core $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
echo "# run_oci: $RUN_OCI; $(crun --version | head -1); $(runc --version | head -1)"
wrap_once=(unshare -m --propagation private sh -c \
  'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' wrap)
if [[ -n ${WRAP_EACH:-} ]]; then wrap_once=(); fi
"${wrap_once[@]}" python3 tests/bench/compare.py --work "$work" --bundle "$work/bundle" \
  --bind-bundle "$work/bundle-binds" --binds 200 --run-oci "$RUN_OCI" \
  --state-root "$state_root" \
  --samples "$samples" "${loads[@]}" --json "${BENCH_JSON:-/tmp/run_oci-bench.json}" \
  ${RUN_OCI_BASELINE:+--baseline "$RUN_OCI_BASELINE"} \
  ${WRAP_EACH:+--wrap-each}
