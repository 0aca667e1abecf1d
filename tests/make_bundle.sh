#!/bin/bash
# Makes an OCI bundle for demos and benchmarks: a busybox-static root file
# system (the same layout as tests/testing/rootfs.cc builds) and runc's
# default config.json, with the process replaced and no terminal.
#
#   tests/make_bundle.sh <bundle-dir> [--binds N] [--devices N]
#       [--seccomp-rules N] [--podman TEMPLATE] [--android [--no-loop]]
#       [--hostname H] [--] [arg...]
#
# Default process: sh -c 'echo hello from run_oci'. --binds N adds N
# read-only bind mounts of the rootfs's /bin at /mnt/bN (for start-cost
# scaling). --devices N adds N character devices (the host's /dev/tty1..N,
# which exist on the host too, as runtimes bind them inside a user
# namespace). --seccomp-rules N adds a seccomp profile of N rules (allow by
# default; each rule refuses one syscall for one first-argument value no
# program here passes). --podman TEMPLATE starts from a config podman wrote
# (tests/bench/podman_config.sh) instead of runc's default spec.
# --android: a user namespace mapped to host ids 655360..+65536, 50 binds,
# 50 devices and a squashfs image of the rootfs's /bin (built here with
# mksquashfs) loop-mounted read-only at /system; --no-loop leaves the loop
# mount out (crun and runc have no `loop` option); the loop mount is made
# in the intermediate mount namespace (performInIntermediateNamespace), as
# the kernel refuses squashfs mounts inside a user namespace.
# --no-copyup drops podman's `tmpcopyup` option (for an A/B of its cost; the
# /run and /tmp it is on are empty in this rootfs, so it copies nothing).
# The bundle dir must not exist or be empty.
set -euo pipefail

usage() {
  echo "usage: $0 <bundle-dir> [--binds N] [--hostname H] [--] [arg...]" >&2
  exit 2
}
[[ $# -ge 1 ]] || usage
bundle=$1; shift
binds=0
devices=0
seccomp_rules=0
podman=
android=0
loop=1
copyup=1
hostname=runc
while [[ $# -gt 0 ]]; do
  case $1 in
    --binds) binds=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --seccomp-rules) seccomp_rules=$2; shift 2 ;;
    --podman) podman=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --android) android=1; shift ;;
    --no-loop) loop=0; shift ;;
    --no-copyup) copyup=0; shift ;;
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
if [[ $android -eq 1 ]]; then
  [[ $binds -gt 0 ]] || binds=50
  [[ $devices -gt 0 ]] || devices=50
  mkdir -p "$rootfs/system"
  if [[ $loop -eq 1 ]]; then
    mksquashfs "$rootfs/bin" "$bundle/system.img" -noappend -quiet >/dev/null
  fi
fi
for i in $(seq 1 "$binds"); do mkdir -p "$rootfs/mnt/b$i"; done

# runc spec writes ./config.json and refuses to overwrite one.
rm -f "$bundle/config.json"
if [[ -n $podman ]]; then
  # Podman's per-container files (userdata/) and volume directories.
  mkdir -p "$bundle/userdata/shm" "$bundle"/vols/{1..8}
  echo "$hostname" >"$bundle/userdata/hostname"
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$bundle/userdata/hosts"
  sed "s|@BUNDLE@|$bundle|g" "$podman" >"$bundle/config.json"
else
  (cd "$bundle" && runc spec)
fi
python3 - "$bundle/config.json" "$binds" "$hostname" "$devices" \
  "$seccomp_rules" "$android" "$loop" "$copyup" "${args[@]}" <<'PY'
import json
import os
import sys

path, binds, hostname = sys.argv[1], int(sys.argv[2]), sys.argv[3]
devices, seccomp_rules, android, loop, copyup = map(int, sys.argv[4:9])
args = sys.argv[9:]
bundle = os.path.dirname(path)
with open(path) as f:
    config = json.load(f)
config["process"]["terminal"] = False
config["process"]["args"] = args
config["hostname"] = hostname
linux = config["linux"]
if android:
    # Android's shifted root: container ids 0..65535 are host 655360.. .
    linux["namespaces"].append({"type": "user"})
    linux["uidMappings"] = [{"containerID": 0, "hostID": 655360,
                             "size": 65536}]
    linux["gidMappings"] = [{"containerID": 0, "hostID": 655360,
                             "size": 65536}]
    if loop:
        config["mounts"].append({
            "destination": "/system", "type": "squashfs",
            "source": os.path.join(bundle, "system.img"),
            "options": ["loop", "ro", "nodev", "nosuid"],
            "performInIntermediateNamespace": True})
if not copyup:
    for m in config["mounts"]:
        if "tmpcopyup" in m.get("options", []):
            m["options"].remove("tmpcopyup")
for i in range(1, devices + 1):
    linux.setdefault("devices", []).append({
        "path": "/dev/tty%d" % i, "type": "c", "major": 4, "minor": i,
        "fileMode": 0o620, "uid": 0, "gid": 5})
    linux.setdefault("resources", {}).setdefault("devices", []).append({
        "allow": True, "type": "c", "major": 4, "minor": i, "access": "rwm"})
if seccomp_rules:
    # Names /bin/true and the runtimes' last steps use, each refused only
    # for a first argument (an fd or a size) that nothing here passes.
    names = ["read", "write", "close", "fstat", "lseek", "mmap", "mprotect",
             "munmap", "ioctl", "pread64", "pwrite64", "readv", "writev",
             "dup", "dup2", "fcntl", "flock", "fsync", "fdatasync",
             "ftruncate", "getdents64", "fchdir", "fchmod", "fchown",
             "sendfile", "recvfrom", "sendto", "shutdown", "getsockopt",
             "setsockopt", "fstatfs", "readahead", "fgetxattr", "fsetxattr",
             "epoll_ctl", "inotify_rm_watch", "splice", "tee",
             "sync_file_range", "fallocate"]
    rules = []
    for i in range(seccomp_rules):
        rules.append({"names": [names[i % len(names)]],
                      "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                      "args": [{"index": 0, "value": 900000 + i,
                                "op": "SCMP_CMP_EQ"}]})
    linux["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
                        "architectures": ["SCMP_ARCH_X86_64"],
                        "syscalls": rules}
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
