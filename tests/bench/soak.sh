#!/bin/bash
# Soak: <cycles> create/start/kill/delete cycles of one container id, then
# a check that nothing grew. Counted before the first cycle and after the
# last: the fds of a run_oci process (a `run -s`, stopped by run_oci itself
# once its container runs), the fds of the waiting init between create and
# start, and the mounts, cgroups, processes and state-root entries that
# carry this soak's names. Any growth fails the script. Not in CI's timed
# path: 1,000 cycles take a few minutes.
#   tests/bench/soak.sh [cycles]        (default 1000; run as root)
# RUN_OCI=<path> uses that binary instead of building $OUT/cmake's (out).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

cycles=${1:-1000}
build_run_oci

work=$(mktemp -d /tmp/run_oci-soak-XXXXXX)
parent=run_oci-soak-$$
root=$work/state
id=soak
cleanup() {
  "$RUN_OCI" --root "$root" destroy --force "$id" >/dev/null 2>&1 || true
  "$RUN_OCI" --root "$root" destroy --force "$id-fds" >/dev/null 2>&1 || true
  remove_scratch_dir "$work"
}
trap cleanup EXIT
tests/make_bundle.sh "$work/bundle" -- sleep 1000 >/dev/null

ro() { "$RUN_OCI" --root "$root" -p "$parent" -c "$work/bundle" "$@"; }

fds_of() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
mounts() { grep -cF "$work" /proc/self/mountinfo || true; }
cgroups() { find /sys/fs/cgroup -mindepth 2 -maxdepth 6 -type d \
              -path "*$parent*" 2>/dev/null | wc -l; }
# Live processes in the soak's cgroups. A killed container's init was
# orphaned at create (run_oci exits, as runc does), so it is PID 1's to
# reap; on a host whose PID 1 reaps late, its zombie (state Z, parent 1)
# is not the soak's.
processes() {
  local n=0 f stat
  for f in /proc/[0-9]*/cgroup; do
    grep -qF "$parent" "$f" 2>/dev/null || continue
    # State and parent: the fields after the ")" that ends the name.
    stat=$(sed 's/.*) //' "${f%/cgroup}/stat" 2>/dev/null | cut -d' ' -f1,2) ||
      continue
    [[ $stat == "Z 1" ]] && continue
    n=$((n + 1))
  done
  echo "$n"
}
entries() { find "$root" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# No python here: its start-up is slower than a whole cycle.
pid_of() { cat "$root/$1/container.pid"; }
status_of() { ro state "$1" | grep -o '"status":"[a-z]*"' | cut -d'"' -f4; }

# The fds of a foreground run_oci whose container runs: `run -s` stops
# itself (SIGSTOP) once ready.
run_oci_fds() {
  "$RUN_OCI" --root "$root" -p "$parent" -c "$work/bundle" run -s "$id-fds" \
    >/dev/null 2>&1 &
  local runner=$!
  local state=""
  for _ in $(seq 1000); do
    state=$(awk '{print $3}' "/proc/$runner/stat" 2>/dev/null || true)
    [[ $state == T ]] && break
    sleep 0.01
  done
  [[ $state == T ]] || { echo "soak.sh: run -s did not stop" >&2; exit 1; }
  fds_of "$runner"
  ro kill "$id-fds" KILL >/dev/null
  kill -CONT "$runner"
  wait "$runner" || true
}

# One cycle; prints the waiting init's fd count.
cycle() {
  ro create "$id" >/dev/null
  fds_of "$(pid_of "$id")"
  ro start "$id" >/dev/null
  ro kill "$id" KILL >/dev/null
  for _ in $(seq 1000); do
    [[ $(status_of "$id") == stopped ]] && break
    sleep 0.005
  done
  ro delete "$id" >/dev/null
}

snapshot() {
  echo "run_oci_fds=$(run_oci_fds) mounts=$(mounts) cgroups=$(cgroups)" \
       "processes=$(processes) entries=$(entries)"
}

before=$(snapshot)
first_init_fds=""
max_init_fds=0
start_s=$(date +%s)
for i in $(seq 1 "$cycles"); do
  n=$(cycle)
  [[ -z $first_init_fds ]] && first_init_fds=$n
  (( n > max_init_fds )) && max_init_fds=$n
  if (( i % 100 == 0 )); then
    echo "cycle $i: init fds $n, mounts $(mounts), cgroups $(cgroups)," \
         "entries $(entries)"
  fi
done
after=$(snapshot)
echo "before: $before"
echo "after:  $after"
echo "waiting init fds: first $first_init_fds, max $max_init_fds"
echo "$cycles cycles in $(( $(date +%s) - start_s )) s"

failed=0
if [[ $before != "$after" ]]; then
  echo "soak.sh: counts grew over $cycles cycles" >&2
  failed=1
fi
if (( max_init_fds > first_init_fds )); then
  echo "soak.sh: the waiting init's fds grew" \
       "($first_init_fds -> $max_init_fds)" >&2
  failed=1
fi
exit "$failed"
