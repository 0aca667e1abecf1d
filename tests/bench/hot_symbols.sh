#!/bin/bash
# Regenerates run_oci/hot_symbols.txt, the functions lld puts first in
# run_oci's text (--symbol-ordering-file, run_oci/CMakeLists.txt): every
# function of run_oci's own image that perf samples in loops of run, exec,
# state, create/start/kill/delete, ps and list, plus, where valgrind is
# installed, every one callgrind sees called (valgrind lacks clone3 and
# openat2, so its container starts stop early; it still lists the rarely
# sampled start-up functions). A function missing from the list only
# costs a page fault; the list is a layout hint, not a correctness input.
#   tests/bench/hot_symbols.sh            (as root; rewrites the file)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
build_run_oci

work=$(mktemp -d /tmp/run_oci-hot-XXXXXX)
chmod 0711 "$work"
root=$work/root
cleanup() {
  "$RUN_OCI" --root "$root" delete --force hot-sleep >/dev/null 2>&1 || true
  remove_scratch_dir "$work"
}
trap cleanup EXIT
tests/make_bundle.sh "$work/true" -- /bin/true >/dev/null
tests/make_bundle.sh "$work/sleep" -- sleep 1000 >/dev/null
"$RUN_OCI" --root "$root" create --bundle "$work/sleep" hot-sleep
"$RUN_OCI" --root "$root" start hot-sleep

loop() {
  for i in $(seq 1 150); do
    "$RUN_OCI" --root "$root" run --bundle "$work/true" "hot-$i"
    "$RUN_OCI" --root "$root" exec hot-sleep /bin/true
    "$RUN_OCI" --root "$root" state hot-sleep
    "$RUN_OCI" --root "$root" ps --format json hot-sleep
    "$RUN_OCI" --root "$root" list
  done
  for i in $(seq 1 30); do
    "$RUN_OCI" --root "$root" create --bundle "$work/sleep" "hot-c$i"
    "$RUN_OCI" --root "$root" start "hot-c$i"
    "$RUN_OCI" --root "$root" kill "hot-c$i" KILL
    "$RUN_OCI" --root "$root" delete --force "hot-c$i"
  done
}
export -f loop
export RUN_OCI root work
perf record -q -F 25000 -o "$work/perf.data" -- bash -c loop >/dev/null 2>&1
perf report -i "$work/perf.data" --no-demangle --sort sym -g none \
  --dsos run_oci 2>/dev/null | grep '\[\.\]' | awk '{print $3}' \
  >"$work/symbols"

if command -v valgrind >/dev/null; then
  for args in "run --bundle $work/true hot-vg" "exec hot-sleep /bin/true" \
              "state hot-sleep" "ps --format json hot-sleep" "list" \
              "--version"; do
    # Without the unified hierarchy the start gets as far as the child.
    # shellcheck disable=SC2086
    unshare -m --propagation private sh -c \
      'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh \
      valgrind --tool=callgrind --demangle=no --trace-children=no \
      --callgrind-out-file="$work/cg.%p" "$RUN_OCI" --root "$root" $args \
      >/dev/null 2>&1 || true
  done
  cat "$work"/cg.* | grep -oE '^c?fn=\([0-9]+\) .*' |
    sed -E 's/^c?fn=\([0-9]+\) //' >>"$work/symbols"
fi
# Sampling misses some short functions in any one pass, so the list only
# grows: what the file had stays (a symbol that is gone is ignored by the
# linker) unless HOT_SYMBOLS_FRESH=1.
if [[ -z ${HOT_SYMBOLS_FRESH:-} ]]; then
  cat run_oci/hot_symbols.txt >>"$work/symbols"
fi
# Addresses, valgrind's "(below main)" and its "'2" recursion copies are
# not symbols.
grep -vE "^\(|^0x|'" "$work/symbols" | LC_ALL=C sort -u >run_oci/hot_symbols.txt
echo "hot_symbols.sh: $(wc -l <run_oci/hot_symbols.txt) symbols in run_oci/hot_symbols.txt"
