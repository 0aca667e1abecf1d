# Sourced by the benchmark scripts, from the repository root.

# RUN_OCI: the binary the caller named, else $OUT/cmake's (out) run_oci,
# built first.
build_run_oci() {
  if [[ -z ${RUN_OCI:-} ]]; then
    OUT=${OUT:-out}
    cmake -S . -B "$OUT/cmake" -G Ninja >/dev/null
    ninja -C "$OUT/cmake" run_oci >/dev/null
    RUN_OCI=$PWD/$OUT/cmake/run_oci/run_oci
  fi
}

# Removes the scratch directory $1, unless mounts are still left under it:
# rm would then reach through them into what they show.
remove_scratch_dir() {
  if grep -qF " $1" /proc/self/mountinfo; then
    echo "${0##*/}: mounts left under $1, not removing it" >&2
    return 1
  fi
  rm -rf --one-file-system "$1"
}
