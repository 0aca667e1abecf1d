#!/bin/bash
# Installs every Debian 12 package run_oci needs to build, test, fuzz and
# benchmark. A no-op (no apt-get, no network) when all are already present.
set -euo pipefail

PACKAGES=(
  # Build: both build systems, the compilers, and lld for run_oci's link
  # (its --symbol-ordering-file packs the start path's functions).
  cmake ninja-build generate-ninja g++ lld pkg-config python3 git
  # Libraries (linked statically, see .ci/gn/static_libs.py).
  libabsl-dev rapidjson-dev libseccomp-dev libcap-dev libgflags-dev
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev
  # Container root file systems and the reference runtimes.
  busybox-static crun runc squashfs-tools iproute2 util-linux
  # checkpoint/restore run Debian's criu (its `criu check` gates them).
  criu
  # tests/engines: the engines that drive run_oci as their runtime, with
  # conmon for podman, newuidmap/newgidmap, the CNI plugins podman and
  # buildah network with, and script(1) (util-linux) for pseudo-terminals.
  podman conmon containerd buildah uidmap containernetworking-plugins
  slirp4netns fuse-overlayfs
  # `systemd-analyze verify` of run_oci/init/run_oci@.service (Debian's systemd
  # package ships it; PID 1 need not be systemd).
  systemd
  # The fuzzer: clang -fsanitize=fuzzer links libclang_rt.fuzzer-x86_64.a,
  # which Debian 12 ships in libclang-rt-14-dev, not in clang itself.
  clang libclang-rt-14-dev clang-format
  # Benchmarks: hyperfine for wall time, GNU time for peak RSS, perf for
  # tests/bench/offcpu.sh; podman only regenerates tests/bench/podman-run.json.
  hyperfine time linux-perf
)

if [[ $(id -u) -ne 0 ]]; then
  echo "setup.sh: must run as root (containers need it)" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ $status != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup.sh: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
