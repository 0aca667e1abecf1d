#!/usr/bin/env python3
"""Off-CPU time of one runtime's processes, by the kernel stack they blocked
in: what serializes concurrent starts (locks, RCU grace periods, I/O).

Reads `perf script -F comm,tid,time,trace,ip,sym` of a
`perf record -e sched:sched_switch -g` session. A process that switches out
(prev_pid) is blocked from then until it is switched in again (next_pid);
that time goes to its stack at the switch, shown as the lock or wait it is
in (if any) and the first three frames that are not the scheduler's.

Usage: offcpu.py SCRIPT_OUTPUT COMM_PREFIX [ROWS]
"""
import collections
import re
import sys

# Frames that only say "it slept": skipped to show where it came from.
SCHEDULER = re.compile(
    r"^(__schedule|schedule.*|__cond_resched|preempt_schedule.*|"
    r"io_schedule.*|__wait_for_common|wait_for_completion.*|rwsem_down_.*|"
    r"__mutex_lock.*|mutex_lock.*|down_write|down_read|percpu_.*|__percpu.*|"
    r"do_nanosleep|hrtimer_nanosleep|exit_to_user_mode_loop|irqentry_exit.*|"
    r"asm_sysvec.*|sysvec.*|syscall_exit_to_user_mode|do_syscall_64|"
    r"entry_SYSCALL_64_after_hwframe|\[unknown\]|__wait_rcu_gp|"
    r"wait_rcu_exp_gp|exp_funnel_lock|synchronize_rcu.*|__synchronize_srcu|"
    r"schedule_timeout.*|futex_.*)$")
# The waits worth naming.
WAIT = re.compile(
    r"^(synchronize_rcu|synchronize_rcu_expedited|__synchronize_srcu|"
    r"__mutex_lock|rwsem_down_write_slowpath|rwsem_down_read_slowpath|"
    r"percpu_down_write|__percpu_down_read|do_wait|io_schedule|"
    r"exit_to_user_mode_loop|irqentry_exit_to_user_mode|futex_wait|pipe_read)")
HEADER = re.compile(r"\s*(\S+)\s+(\d+)\s+([\d.]+):.*prev_pid=(\d+).*"
                    r"next_pid=(\d+)")


def main():
    path, prefix = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    blocked = {}  # tid -> (time, key)
    off = collections.Counter()
    count = collections.Counter()

    def finish(event):
        if not event:
            return
        comm, tid, t, prev_pid, next_pid, frames = event
        if comm.startswith(prefix) and prev_pid == tid:
            wait = next((f for f in frames if WAIT.match(f)), "")
            where = tuple([f for f in frames if not SCHEDULER.match(f)][:3])
            blocked[tid] = (t, (wait, where))
        if next_pid in blocked:
            t0, key = blocked.pop(next_pid)
            off[key] += (t - t0) * 1000
            count[key] += 1

    event = None
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            if not line.startswith((" ", "\t")):
                finish(event)
                m = HEADER.match(line)
                event = [m.group(1), int(m.group(2)), float(m.group(3)),
                         int(m.group(4)), int(m.group(5)), []] if m else None
            elif event is not None:
                parts = line.split()
                if len(parts) >= 2:
                    event[5].append(parts[1].split("+")[0])
    finish(event)
    print("| off-CPU ms | waits | in | stack |")
    print("|---|---|---|---|")
    for (wait, where), ms in off.most_common(rows):
        print("| %.1f | %d | %s | %s |" % (ms, count[(wait, where)], wait,
                                          " < ".join(where)))
    print("total off-CPU: %.1f ms" % sum(off.values()))


if __name__ == "__main__":
    main()
