#!/bin/bash
# Makes an OCI bundle for demos and benchmarks: a busybox-static root file
# system (the same layout as tests/testing/rootfs.cc builds) and runc's
# default config.json, with the process replaced and no terminal.
#
#   tests/make_bundle.sh <bundle-dir> [--binds N] [--hostname H] [--] [arg...]
#
# Default process: sh -c 'echo hello from run_oci'. --binds N adds N
# read-only bind mounts of the rootfs's /bin at /mnt/bN (for start-cost
# scaling). The bundle dir must not exist or be empty.
set -euo pipefail

usage() {
  echo "usage: $0 <bundle-dir> [--binds N] [--hostname H] [--] [arg...]" >&2
  exit 2
}
[[ $# -ge 1 ]] || usage
bundle=$1; shift
binds=0
hostname=runc
while [[ $# -gt 0 ]]; do
  case $1 in
    --binds) binds=$2; shift 2 ;;
    --hostname) hostname=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(sh -c 'echo hello from run_oci')

mkdir -p "$bundle"
bundle=$(cd "$bundle" && pwd)
rootfs=$bundle/rootfs
for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp root run var; do
  mkdir -p "$rootfs/$d"
done
chmod 0755 "$bundle" "$rootfs"
chmod 1777 "$rootfs/tmp"
cp /bin/busybox "$rootfs/bin/busybox"
while read -r applet; do
  [[ $applet == bin/busybox ]] && continue
  ln -sfn /bin/busybox "$rootfs/$applet"
done < <(/bin/busybox --list-full)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
  >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
for i in $(seq 1 "$binds"); do mkdir -p "$rootfs/mnt/b$i"; done

# runc spec writes ./config.json and refuses to overwrite one.
rm -f "$bundle/config.json"
(cd "$bundle" && runc spec)
python3 - "$bundle/config.json" "$binds" "$hostname" "${args[@]}" <<'PY'
import json
import os
import sys

path, binds, hostname, args = (sys.argv[1], int(sys.argv[2]), sys.argv[3],
                               sys.argv[4:])
with open(path) as f:
    config = json.load(f)
config["process"]["terminal"] = False
config["process"]["args"] = args
config["hostname"] = hostname
for i in range(1, binds + 1):
    config["mounts"].append({
        "destination": "/mnt/b%d" % i,
        "type": "bind",
        # Absolute: crun 1.8 resolves relative sources against its cwd.
        "source": os.path.join(os.path.dirname(path), "rootfs", "bin"),
        "options": ["rbind", "ro"],
    })
with open(path, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
PY
