"""CPU seconds and peak memory of named processes while a bench step runs (bench/run.sh, bench/scale.sh).

    python3 bench/sampler.py OUT.json gateway=PID sandbox=PID postgres=pg:POSTMASTER_PID &
    ... wait for OUT.json.ready, then the step ...
    kill $!   # writes OUT.json: {"gateway": {"cpuSeconds": ..., "peakRssMb": ...}, ..., "machineCpuPercent": ...}

A plain PID is one process: its CPU (user + system, every thread) and its peak VmRSS. pg:PID is a PostgreSQL
server: the postmaster and every child it has at each sample; CPU is the postmaster's own and its reaped
children's (cutime, cstime) plus the live children's, so a backend that exits mid-step is still counted; memory
is the peak of the sum of their Pss (proportional set size: shared buffers counted once, not once per backend).
"""

import json
import os
import signal
import sys
import time

CLK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()  # fields from 3 (state) on


def cpu_ticks(pid, with_children=False):
    try:
        s = stat_fields(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0
    ticks = int(s[11]) + int(s[12])  # utime, stime
    if with_children:
        ticks += int(s[13]) + int(s[14])  # cutime, cstime: reaped children
    return ticks


def children(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(k) for k in f.read().split()]
    except FileNotFoundError:
        pass
    return kids


def kb(path, field):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


class Group:
    def __init__(self, spec):
        self.postgres = spec.startswith("pg:")
        self.pid = int(spec[3:] if self.postgres else spec)
        self.peak_kb = 0
        self.start = self.cpu()

    def cpu(self):
        if not self.postgres:
            return cpu_ticks(self.pid)
        return cpu_ticks(self.pid, with_children=True) + sum(cpu_ticks(k) for k in children(self.pid))

    def sample(self):
        if self.postgres:
            now = sum(kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in [self.pid] + children(self.pid))
        else:
            now = kb(f"/proc/{self.pid}/status", "VmRSS:")
        self.peak_kb = max(self.peak_kb, now)

    def result(self):
        return {"cpuSeconds": (self.cpu() - self.start) / CLK, "peakRssMb": self.peak_kb / 1024}


def machine_busy_ticks():
    """Every core's busy clock ticks (user, nice, system, irq, softirq, steal): the whole machine's CPU."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]


def main():
    out = sys.argv[1]
    groups = {}
    for arg in sys.argv[2:]:
        name, spec = arg.split("=", 1)
        if spec:
            groups[name] = Group(spec)
    started = time.monotonic()
    machine_start = machine_busy_ticks()
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(out + ".ready", "w"):
        pass  # the caller starts the load once this exists
    while running:
        for g in groups.values():
            g.sample()
        time.sleep(0.25)
    result = {name: g.result() for name, g in groups.items()}
    result["wallSeconds"] = time.monotonic() - started
    # the whole machine's CPU over the step (100 = one core): the bench's processes, wrk and anything else running
    result["machineCpuPercent"] = 100 * (machine_busy_ticks() - machine_start) / CLK / result["wallSeconds"]
    with open(out + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
