#!/bin/bash
# Regenerates tests/bench/podman-run.json, the realistic bundle of the
# benchmarks: the config.json podman 4.3 hands its runtime for
#   podman run --network none -v DIR:/volN:ro (x8) --tmpfs /run --tmpfs /tmp \
#     IMAGE /bin/true
# (docker-default seccomp profile, default capabilities, masked and
# read-only paths, the ping_group_range sysctl, 19 mounts).
#
# podman runs with a private store under a temp dir (never the host's
# /var/lib/containers or /run/containers), vfs storage, cgroupfs and file
# events, on an image imported from a busybox rootfs tar; its runtime is a
# recording script that copies the bundle's config.json and fails, so
# nothing is ever started and no cgroup is created. The paths podman chose
# are then replaced by placeholders that tests/make_bundle.sh --podman
# fills in (@BUNDLE@); cgroupsPath (/libpod_parent/libpod-<id>) is dropped
# so that every runtime picks its own per container, as for the other rows.
#   tests/bench/podman_config.sh [out.json]     (run as root)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
out=${1:-tests/bench/podman-run.json}

tmp=$(mktemp -d /tmp/run_oci-podman-XXXXXX)
podman=(podman --root "$tmp/root" --runroot "$tmp/runroot"
  --storage-driver vfs --cgroup-manager cgroupfs --events-backend file
  --tmpdir "$tmp/tmp")
cleanup() {
  "${podman[@]}" rm -f -a >/dev/null 2>&1 || true
  "${podman[@]}" rmi -a -f >/dev/null 2>&1 || true
  # vfs layers and podman's shm mount live under $tmp.
  remove_scratch_dir "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/rootfs/bin"
cp /bin/busybox "$tmp/rootfs/bin/busybox"
ln -s busybox "$tmp/rootfs/bin/true"
tar -C "$tmp/rootfs" -cf "$tmp/busybox.tar" .
"${podman[@]}" import "$tmp/busybox.tar" localhost/run_oci-bench:latest >/dev/null

cat >"$tmp/record.sh" <<EOF
#!/bin/sh
# Stands in for the OCI runtime: keeps the bundle's config.json, starts nothing.
while [ \$# -gt 0 ]; do
  case \$1 in --bundle|-b) cp "\$2/config.json" "$tmp/config.json"; shift ;; esac
  shift
done
echo "record.sh: config.json recorded" >&2
exit 1
EOF
chmod +x "$tmp/record.sh"

vols=()
for i in 1 2 3 4 5 6 7 8; do
  mkdir -p "$tmp/vols/$i"
  vols+=(-v "$tmp/vols/$i:/vol$i:ro")
done
"${podman[@]}" --runtime "$tmp/record.sh" create --name bench \
  --network none --cgroups no-conmon \
  --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  "${vols[@]}" --tmpfs /run --tmpfs /tmp \
  localhost/run_oci-bench:latest /bin/true >/dev/null
# init calls the runtime's create, which records and fails.
"${podman[@]}" init bench >/dev/null 2>&1 || true
[[ -s $tmp/config.json ]] || { echo "podman_config.sh: podman never called the runtime" >&2; exit 1; }

python3 - "$tmp" "$tmp/config.json" "$out" <<'PY'
import json
import os
import sys

tmp, src, out = sys.argv[1:4]
with open(src) as f:
    config = json.load(f)
config["root"]["path"] = "rootfs"
config["linux"].pop("cgroupsPath", None)
for m in config["mounts"]:
    source = m.get("source", "")
    if source.startswith(tmp + "/vols/"):
        m["source"] = "@BUNDLE@/vols/" + os.path.basename(source)
    elif source.startswith(tmp + "/"):
        # userdata/{hosts,hostname,shm,...} of podman's container directory.
        m["source"] = "@BUNDLE@/userdata/" + os.path.basename(source)
text = json.dumps(config, indent=2)
if tmp in text:
    sys.exit("podman_config.sh: a path under %s is left in the config" % tmp)
with open(out, "w") as f:
    f.write(text + "\n")
PY
echo "podman_config.sh: wrote $out"
