#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Split the CPU samples of a benchmark run between the driver, the
simulated host and the rest of the guest.

Reads `perf script -F comm,ip,sym,dso` output (samples recorded with -a -g)
on stdin and prints one JSON object.  Kernel addresses are named from a
copy of /proc/kallsyms taken while the modules were loaded (argument 1):
perf finds no symbols for modules loaded from outside /lib/modules.

    profile.py KALLSYMS < perf-script-output

  samples       busy samples (idle tasks left out)
  host_share    share whose innermost classified frame is the simulated host:
                netvsp_sim, or vmbus_sim's host work (the guest-side VMBus
                API in vmbus_sim stands in for hv_vmbus and counts with its
                caller)
  driver_share  share whose innermost classified frame is hv_netvsc (what the
                driver does and what it calls: GRO, the stack above it)
  self_share    share spent in hv_netvsc itself (leaf frame)
  other_share   the rest: user space, syscalls, the stack not entered through
                the driver, the scheduler
  top           the 15 hottest leaf symbols, [symbol, dso, share]
"""
import bisect
import json
import os
import re
import sys
from collections import Counter

FRAME = re.compile(r'^\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$')
HOST_DSO = {'netvsp_sim'}
HOST_SYM = ('vmbus_sim_host_work',)
DRV_DSO = 'hv_netvsc'
IDLE = ('swapper',)
KERNEL_BASE = 0xffff800000000000


class Kallsyms:
    """Address -> (symbol, module or 'kernel') from a /proc/kallsyms copy."""

    def __init__(self, path):
        self.addr, self.name = [], []
        if not path:
            return
        rows = []
        for line in open(path):
            f = line.split()
            if len(f) < 3 or f[1] not in 'tTwW':
                continue
            mod = f[3].strip('[]') if len(f) > 3 else 'kernel'
            rows.append((int(f[0], 16), f[2], mod))
        rows.sort()
        self.addr = [r[0] for r in rows]
        self.name = [(r[1], r[2]) for r in rows]

    def lookup(self, ip):
        i = bisect.bisect_right(self.addr, ip) - 1
        return self.name[i] if i >= 0 and self.addr[i] else None


def dso_name(dso):
    """'[vmbus_sim]', '/lib/modules/.../hv_netvsc.ko' -> module name."""
    base = os.path.basename(dso.strip('[]'))
    return base[:-3] if base.endswith('.ko') else base


def classify(frames):
    for sym, dso in frames:
        base = sym.split('+', 1)[0]
        if dso in HOST_DSO or base in HOST_SYM:
            return 'host'
        if dso == DRV_DSO:
            return 'driver'
    return 'other'


def main():
    ks = Kallsyms(sys.argv[1] if len(sys.argv) > 1 else None)
    counts = Counter()
    leaves = Counter()
    comm = None
    frames = []

    def flush():
        if comm is None or comm in IDLE or not frames:
            return
        counts[classify(frames)] += 1
        sym, dso = frames[0]
        if dso == DRV_DSO:
            counts['self'] += 1
        leaves[(sym.split('+', 1)[0], dso)] += 1

    for line in sys.stdin:
        if not line.strip():
            flush()
            comm, frames = None, []
            continue
        m = FRAME.match(line)
        if m:
            ip, sym, dso = int(m.group(1), 16), m.group(2), dso_name(m.group(3))
            if ip >= KERNEL_BASE:
                hit = ks.lookup(ip)
                if hit:
                    sym, dso = hit
            frames.append((sym, dso))
        elif comm is None:
            comm = line.split()[0] if line.split() else ''
    flush()
    n = sum(counts[k] for k in ('host', 'driver', 'other'))
    out = {'samples': n}
    for k in ('host', 'driver', 'self', 'other'):
        out[k + '_share'] = round(counts[k] / n, 4) if n else 0
    out['top'] = [[s, d, round(c / n, 4)] for (s, d), c in leaves.most_common(int(os.environ.get("PROFILE_TOP", "15")))] if n else []
    print(json.dumps(out))


if __name__ == '__main__':
    main()
