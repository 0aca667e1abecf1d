#!/usr/bin/env python3
"""Times run_oci against crun and runc on the same bundle.

Every command runs through the same wrapper (a private mount namespace with
the cgroup2 mount at /sys/fs/cgroup/unified removed, which crun 1.8 needs on
this cgroup v1 hybrid host), so no runtime pays a cost the others don't.
Runtimes run in alternation (A B C A B C ...), so that drift of the machine
(other load, page cache, thermal) spreads evenly over them.

Usage: compare.py --work DIR --bundle B --bind-bundle B200 --run-oci PATH
                  [--samples N] [--json OUT]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

# crun 1.8 cannot create a container on this host while the cgroup2
# hierarchy is mounted at /sys/fs/cgroup/unified. compare.sh runs the whole
# harness in one private mount namespace without it, so no sample pays for
# hiding it (--wrap-each: every sample goes through this wrapper instead,
# as the tables before stop 23 were measured; it costs about 4.5 ms, the
# same for every runtime and the floor).
WRAP_EACH = ["unshare", "-m", "--propagation", "private", "sh", "-c",
             'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"', "wrap"]
WRAPPER = []
# The namespaces of runc's default spec: pid, network, ipc, uts, mount.
FLOOR = ["unshare", "-p", "-f", "-n", "-i", "-u", "-m", "/bin/true"]


class Runtime:
    def __init__(self, name, binary, work, env=None):
        self.name = name
        self.binary = binary
        self.state = os.path.join(work, "state-" + name.replace(" ", "-"))
        self.counter = 0
        # Extra environment (run_oci variants: RUN_OCI_SEAL_METHOD=memfd).
        self.env = dict(os.environ, **env) if env else None

    def run_argv(self, bundle, container_id):
        # A row whose runtimes cannot all run one bundle names one each.
        if isinstance(bundle, dict):
            bundle = bundle[self.name.split(" ")[0]]
        if self.name == "floor":
            return FLOOR
        if self.name.startswith("run_oci"):
            return [self.binary, "--root", self.state, "-c", bundle, "run",
                    container_id]
        return [self.binary, "--root", self.state, "run", "-b", bundle,
                container_id]

    def next_id(self):
        self.counter += 1
        return "bench-%s-%d-%d" % (self.name.replace(" ", "-"), os.getpid(),
                                   self.counter)


def spawn(argv, env=None, wrapped=True):
    return subprocess.Popen((WRAPPER if wrapped else []) + argv,
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)


def wait_ok(proc, what):
    _, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit("%s failed (exit %d): %s" % (what, proc.returncode,
                                               err.decode(errors="replace")))


def one_run(rt, bundle):
    argv = rt.run_argv(bundle, rt.next_id())
    start = time.perf_counter()
    wait_ok(spawn(argv, rt.env), rt.name)
    return time.perf_counter() - start


def sequential(rt, bundle, count):
    start = time.perf_counter()
    for _ in range(count):
        wait_ok(spawn(rt.run_argv(bundle, rt.next_id())), rt.name)
    return time.perf_counter() - start


def concurrent(rt, bundle, count):
    start = time.perf_counter()
    procs = [spawn(rt.run_argv(bundle, rt.next_id())) for _ in range(count)]
    for proc in procs:
        wait_ok(proc, rt.name)
    return time.perf_counter() - start


def peak_rss_kb(rt, bundle):
    """ru_maxrss of the runtime and the children it reaped (GNU time)."""
    out = os.path.join(os.path.dirname(rt.state), "rss-" + rt.name)
    argv = ["/usr/bin/time", "-f", "%M", "-o", out]
    wait_ok(spawn(argv + rt.run_argv(bundle, rt.next_id())), rt.name)
    with open(out) as f:
        return int(f.read().split()[-1])


def phase_times(rt, bundle):
    """One `run_oci --timings run`: [(phase, ms)] in the printed order."""
    argv = rt.run_argv(bundle, rt.next_id())
    proc = spawn(argv[:1] + ["--timings"] + argv[1:])
    _, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit("run_oci --timings failed: " + err.decode(errors="replace"))
    return [(m.group(1), float(m.group(2))) for m in re.finditer(
        r"^run_oci: timing: (.+): ([0-9.]+) ms$", err.decode(), re.M)]


# --- pause + resume of a running container ---------------------------------
# Each runtime keeps one container running `sleep` for the whole row; one
# sample is `pause` followed by `resume` of it (runc's command names; all
# three runtimes take them).
SLEEP_ARGS = ["sleep", "1000000"]


def make_sleep_bundle(work, name="bundle-sleep"):
    bundle = os.path.join(work, name)
    subprocess.run(["tests/make_bundle.sh", bundle, "--"] + SLEEP_ARGS,
                   check=True, stdout=subprocess.DEVNULL)
    return bundle


def runtime_argv(rt, *args):
    return [rt.binary, "--root", rt.state] + list(args)


def wait_detached(argv, what, work, wrapped=True):
    """Like spawn+wait_ok, for commands whose container outlives them: it
    inherits stderr, so a pipe would not reach EOF before it exits."""
    err_path = os.path.join(work, "detached.err")
    with open(err_path, "w") as err:
        code = subprocess.call((WRAPPER if wrapped else []) + argv,
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=err)
    if code != 0:
        with open(err_path) as err:
            sys.exit("%s failed (exit %d): %s" % (what, code, err.read()))


def wrapped_for(rt, wrapped):
    """crun's container commands go through the wrapper whatever the row
    wants: it cannot create without it on this host."""
    return wrapped or rt.name == "crun"


def start_sleeper(rt, bundle, work, wrapped=True):
    wrapped = wrapped_for(rt, wrapped)
    container_id = rt.next_id()
    if rt.name == "run_oci":
        create = runtime_argv(rt, "-c", bundle, "create", container_id)
    else:
        create = runtime_argv(rt, "create", "-b", bundle, container_id)
    wait_detached(create, rt.name + " create", work, wrapped)
    wait_detached(runtime_argv(rt, "start", container_id), rt.name + " start",
                  work, wrapped)
    return container_id


def pause_resume(rt, container_id):
    start = time.perf_counter()
    wait_ok(spawn(runtime_argv(rt, "pause", container_id)), rt.name + " pause")
    wait_ok(spawn(runtime_argv(rt, "resume", container_id)),
            rt.name + " resume")
    return time.perf_counter() - start


def sleeper_row(runtimes, samples, work, bundle_name, measure, wrapped=True):
    """`measure(rt, container_id)` in alternation, each runtime with one
    container running `sleep` for the whole row, after one untimed round
    (page cache, first-call costs). `wrapped`: the containers are made
    through the wrapper (crun's always is)."""
    bundle = make_sleep_bundle(work, bundle_name)
    ids = {}
    try:
        for rt in runtimes:
            ids[rt.name] = start_sleeper(rt, bundle, work, wrapped)
        alternate(runtimes, 1, lambda rt: measure(rt, ids[rt.name]))
        return alternate(runtimes, samples,
                         lambda rt: measure(rt, ids[rt.name]))
    finally:
        for rt in runtimes:
            if rt.name in ids:
                force = "--force" if rt.name == "run_oci" else "-f"
                spawn(runtime_argv(rt, "delete", force, ids[rt.name]),
                      wrapped=wrapped_for(rt, wrapped)).communicate()


def pause_resume_row(runtimes, samples, work):
    return sleeper_row(runtimes, samples, work, "bundle-sleep", pause_resume)
# --- end of pause + resume ---------------------------------------------------


# --- exec into a running container -------------------------------------------
# Each runtime keeps one container running `sleep` for the whole row; one
# sample is `exec <id> /bin/true` into it, waited for (foreground), as a
# user or `podman exec` without -d would.
def exec_true(rt, container_id):
    start = time.perf_counter()
    wait_ok(spawn(runtime_argv(rt, "exec", container_id, "/bin/true")),
            rt.name + " exec")
    return time.perf_counter() - start


def exec_row(runtimes, samples, work):
    return sleeper_row(runtimes, samples, work, "bundle-exec", exec_true)


# With --wrap-each, the same without the wrapper: crun 1.8 needs it only to create a
# container on this host, not to exec into one, and its 4.5 ms (unshare,
# sh, umount) are most of every wrapped exec sample. run_oci's and runc's
# containers are made without it too (their cgroups then include the
# unified hierarchy, which an exec from outside the wrapper joins).
def exec_true_bare(rt, container_id):
    start = time.perf_counter()
    wait_ok(spawn(runtime_argv(rt, "exec", container_id, "/bin/true"),
                  wrapped=False), rt.name + " exec")
    return time.perf_counter() - start


def exec_bare_row(runtimes, samples, work):
    return sleeper_row(runtimes, samples, work, "bundle-exec-bare",
                       exec_true_bare, wrapped=False)


# `ps --format json <id>`: the pids of a running container, as containerd
# asks for them (all three runtimes take the flag).
def ps_json(rt, container_id):
    start = time.perf_counter()
    wait_ok(spawn(runtime_argv(rt, "ps", "--format", "json", container_id)),
            rt.name + " ps")
    return time.perf_counter() - start


def ps_row(runtimes, samples, work):
    return sleeper_row(runtimes, samples, work, "bundle-ps", ps_json)
# --- end of exec ---------------------------------------------------------------
# --- realistic bundles and cost growth ---------------------------------------
# Bundles made by tests/make_bundle.sh (see there); where crun and runc
# cannot run a bundle's feature, they get the same bundle without it, and the
# row's label says so.
PODMAN_TEMPLATE = "tests/bench/podman-run.json"


def make_bundle(work, name, *options):
    bundle = os.path.join(work, "bundle-" + name)
    subprocess.run(["tests/make_bundle.sh", bundle] + list(options) +
                   ["--", "/bin/true"], check=True, stdout=subprocess.DEVNULL)
    return bundle


def realistic_bundles(work):
    """{row key: bundle or {runtime: bundle}}."""
    podman = make_bundle(work, "podman", "--podman", PODMAN_TEMPLATE)
    android = make_bundle(work, "android", "--android")
    android_noloop = make_bundle(work, "android-noloop", "--android",
                                 "--no-loop")
    return {
        "podman": podman,
        "android": {"run_oci": android, "crun": android_noloop,
                    "runc": android_noloop},
        "run_seccomp": make_bundle(work, "seccomp", "--seccomp-rules",
                                   str(SECCOMP_RULES)),
        "run_devices": make_bundle(work, "devices", "--devices",
                                   str(DEVICES)),
    }


SECCOMP_RULES = 400
DEVICES = 50


def realistic_rows(runtimes, samples, work):
    bundles = realistic_bundles(work)
    results = {}
    for key, bundle in bundles.items():
        # One unmeasured round first, as for the `run` row: the samples are
        # of the steady state (page cache, and run_oci's seccomp cache of a
        # profile it has compiled once).
        alternate(runtimes, 1, lambda rt: one_run(rt, bundle))
        results[key] = alternate(runtimes, samples,
                                 lambda rt: one_run(rt, bundle))
    return results


def realistic_report_rows():
    return [
        ("podman run's config (seccomp, 19 mounts, masks), ms", "podman", ms),
        ("Android-style bundle (userns, 50 binds, 50 devices, squashfs loop; "
         "crun and runc without the loop mount), ms", "android", ms),
        ("run with a %d-rule seccomp profile, ms" % SECCOMP_RULES,
         "run_seccomp", ms),
        ("run with %d devices, ms" % DEVICES, "run_devices", ms),
    ]


def overhead_row(run):
    """run minus the floor of the same round, per runtime: what each adds to
    the kernel's own price of the same namespaces."""
    return {name: [r - f for r, f in zip(run[name], run["floor"])]
            for name in ("run_oci", "crun", "runc")}


def print_growth(report):
    for key, count, what in (("run_seccomp", SECCOMP_RULES, "seccomp rule"),
                             ("run_devices", DEVICES, "device")):
        for name in ("run_oci", "crun", "runc"):
            base = report["run"][name]["median"]
            grown = report[key][name]["median"]
            print("%s: %+.4f ms per %s (%d: %s ms vs %s ms)" % (
                name, (grown - base) * 1000 / count, what, count, ms(grown),
                ms(base)))
# --- end of realistic bundles and cost growth --------------------------------


def alternate(runtimes, samples, measure, after_round=None):
    results = {rt.name: [] for rt in runtimes}
    for _ in range(samples):
        for rt in runtimes:
            results[rt.name].append(measure(rt))
        if after_round:
            after_round()
    return results


def summary(values):
    values = sorted(values)
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [
        values[0]] * 3
    return {"median": statistics.median(values), "min": values[0],
            "max": values[-1], "q1": quartiles[0], "q3": quartiles[2],
            "n": len(values)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--bind-bundle", required=True)
    parser.add_argument("--binds", type=int, default=200)
    parser.add_argument("--run-oci", required=True)
    parser.add_argument("--samples", type=int, default=30)
    # Smaller loads for a smoke run of the harness itself (CI).
    parser.add_argument("--sequential", type=int, default=100)
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--json")
    # Where the runtimes' state roots go (default: --work). Their defaults
    # (/run/containers, /run/crun, /run/runc) are on /run, a tmpfs.
    parser.add_argument("--state-root")
    # Another run_oci build timed in the `run` alternation only (A/B).
    parser.add_argument("--baseline")
    parser.add_argument("--wrap-each", action="store_true")
    args = parser.parse_args()
    global WRAPPER
    if args.wrap_each:
        WRAPPER = WRAP_EACH
    state = args.state_root or args.work

    runtimes = [Runtime("run_oci", args.run_oci, state),
                Runtime("crun", "crun", state),
                Runtime("runc", "runc", state)]
    floor = Runtime("floor", None, state)
    with_floor = runtimes + [floor]
    # run_oci keeps its binary out of the container (CVE-2019-5736) with
    # the exec stub for this bundle's `run`; the re-exec from a sealed view
    # it makes otherwise (an overlayfs view, or the memfd copy runc uses,
    # run_oci's fallback), forced by RUN_OCI_SEAL_METHOD, and an optional
    # baseline build run beside it.
    variants = [Runtime("run_oci overlay", args.run_oci, state,
                        {"RUN_OCI_SEAL_METHOD": "overlay"}),
                Runtime("run_oci memfd", args.run_oci, state,
                        {"RUN_OCI_SEAL_METHOD": "memfd"})]
    if args.baseline:
        variants.append(Runtime("run_oci baseline", args.baseline, state))
    n = args.samples
    b, b200 = args.bundle, args.bind_bundle

    # Warm the page cache and the runtimes' first-run costs.
    alternate(with_floor + variants, 3, lambda rt: one_run(rt, b))

    results = {}
    # The phase breakdown comes from the same alternation as the run row (one
    # `--timings` run per round), so that both see the same machine state:
    # measured back to back after the heavy rows, the state directory alone
    # took 3 ms on a busy ext4 instead of 0.4.
    phases = []
    results["run"] = alternate(
        with_floor + variants, n, lambda rt: one_run(rt, b),
        after_round=lambda: phases.append(phase_times(runtimes[0], b)))
    results["seq100"] = alternate(with_floor, max(3, n // 6),
                                  lambda rt: sequential(rt, b, args.sequential))
    results["conc20"] = alternate(with_floor, max(5, n // 3),
                                  lambda rt: concurrent(rt, b, args.concurrent))
    results["run_binds"] = alternate(runtimes, n,
                                     lambda rt: one_run(rt, b200))
    results["rss_kb"] = alternate(runtimes, 5, lambda rt: peak_rss_kb(rt, b))
    results["pause_resume"] = pause_resume_row(runtimes, n, args.work)
    results["exec"] = exec_row(runtimes, n, args.work)
    if args.wrap_each:
        results["exec_bare"] = exec_bare_row(runtimes, n, args.work)
    results["ps"] = ps_row(runtimes, n, args.work)
    results["overhead"] = overhead_row(results["run"])
    results.update(realistic_rows(runtimes, n, args.work))

    report = {test: {name: summary(values) for name, values in by_rt.items()}
              for test, by_rt in results.items()}
    report["binds"] = args.binds
    report["sequential"] = args.sequential
    report["concurrent"] = args.concurrent
    report["variants"] = [rt.name for rt in variants]
    report["phases"] = [
        (name, statistics.median(run[i][1] for run in phases))
        for i, (name, _) in enumerate(phases[0])]
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": report, "raw": results}, f, indent=1)
    print_report(report)


def ms(seconds):
    return "%.1f" % (seconds * 1000)


def print_report(report):
    names = ["run_oci", "crun", "runc", "floor"]
    rows = [("run (create+start+wait+delete), ms", "run", ms),
            ("%d sequential runs, ms" % report["sequential"], "seq100", ms),
            ("%d concurrent runs, ms" % report["concurrent"], "conc20", ms),
            ("run with %d bind mounts, ms" % report["binds"], "run_binds", ms),
            ("peak RSS, KiB", "rss_kb", lambda v: "%d" % v),
            ("pause+resume of a running container, ms", "pause_resume", ms),
            ("exec of /bin/true into a running container, ms", "exec", ms),
            ("exec of /bin/true, without the wrapper (exec needs none), ms",
             "exec_bare", ms),
            ("ps --format json of a running container, ms", "ps", ms),
            ("overhead above the floor (run minus floor), ms", "overhead",
             ms)] + realistic_report_rows()
    print("| measurement | " + " | ".join(names) +
          " | run_oci/crun | run_oci/runc |")
    print("|---" * (len(names) + 3) + "|")
    for label, key, fmt in rows:
        if key not in report:
            continue
        cells = []
        for name in names:
            s = report[key].get(name)
            cells.append("%s (%s–%s)" % (fmt(s["median"]), fmt(s["min"]),
                                         fmt(s["max"])) if s else "–")
        ours = report[key]["run_oci"]["median"]
        ratios = ["%.2f" % (ours / report[key][other]["median"])
                  for other in ("crun", "runc")]
        print("| %s | %s | %s |" % (label, " | ".join(cells),
                                     " | ".join(ratios)))
    print()
    print("Cells: median (min–max). IQR and raw samples are in the JSON.")
    for name in names[:3]:
        base = report["run"][name]["median"]
        binds = report["run_binds"][name]["median"]
        print("%s: %+.3f ms per bind mount (%d binds: %s ms vs %s ms)" % (
            name, (binds - base) * 1000 / report["binds"], report["binds"],
            ms(binds), ms(base)))
    print_growth(report)
    print()
    print("run_oci variants in the same `run` alternation:")
    for name in ["run_oci"] + report["variants"]:
        s = report["run"][name]
        print("%s: %s ms (%s–%s)" % (name, ms(s["median"]), ms(s["min"]),
                                     ms(s["max"])))
    print()
    print("run_oci --timings, median of each phase over the samples (ms):")
    print()
    print("| phase | ms |")
    print("|---|---|")
    for name, value in report["phases"]:
        print("| %s | %.3f |" % (name, value))


if __name__ == "__main__":
    main()
