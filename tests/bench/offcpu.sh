#!/bin/bash
# Where concurrent starts wait: N `run`s of /bin/true at once (the same
# wrapper as compare.sh), ROUNDS times, under
# `perf record -e sched:sched_switch -g`, then the off-CPU time of the
# runtime's processes by blocking kernel stack (tests/bench/offcpu.py).
#   tests/bench/offcpu.sh [run_oci|crun|runc] [N] [ROUNDS]   (run as root)
# RUN_OCI=<path> profiles that binary instead of building $OUT/cmake's.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
runtime=${1:-run_oci}
count=${2:-20}
rounds=${3:-3}

if [[ $runtime == run_oci ]]; then
  build_run_oci
fi
case $runtime in
  run_oci) binary=$RUN_OCI ;;
  crun | runc) binary=$(command -v "$runtime") ;;
  *) echo "offcpu.sh: runtime must be run_oci, crun or runc" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/run_oci-offcpu-XXXXXX)
cleanup() {
  remove_scratch_dir "$work"
}
trap cleanup EXIT
tests/make_bundle.sh "$work/bundle" -- /bin/true >/dev/null

cat >"$work/load.sh" <<'EOF'
#!/bin/bash
# load.sh RUNTIME BINARY WORK COUNT ROUNDS: COUNT concurrent runs, ROUNDS times.
set -u
wrap=(unshare -m --propagation private sh -c
  'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' wrap)
for ((r = 0; r < $5; r++)); do
  for ((i = 0; i < $4; i++)); do
    if [[ $1 == run_oci ]]; then
      "${wrap[@]}" "$2" --root "$3/state" -c "$3/bundle" run "c$r-$i" &
    else
      "${wrap[@]}" "$2" --root "$3/state" run -b "$3/bundle" "c$r-$i" &
    fi
  done
  wait
done
EOF
chmod +x "$work/load.sh"

perf record -q -e sched:sched_switch -g -o "$work/perf.data" -- \
  "$work/load.sh" "$runtime" "$binary" "$work" "$count" "$rounds" >/dev/null
# The sealed view runs run_oci as "/run_oci" of a mount perf cannot open.
mkdir -p "$work/symfs"
[[ $runtime == run_oci ]] && cp "$binary" "$work/symfs/run_oci"
perf script -i "$work/perf.data" --kallsyms=/proc/kallsyms \
  --symfs="$work/symfs" -F comm,tid,time,trace,ip,sym 2>/dev/null \
  >"$work/script.txt"
echo "# $runtime, $rounds rounds of $count concurrent runs"
python3 tests/bench/offcpu.py "$work/script.txt" "$(basename "$binary" | cut -c1-15)"
