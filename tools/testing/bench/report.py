#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn RESULTS/raw.jsonl (from bench/guest) into results.json, results.md
and the data files for plot.gp.

    report.py RESULTS [MACHINE-DESCRIPTION]

Every number is the median over rounds, with the spread (min..max).
Ratios compare medians taken in the same boot: ours / in-tree and
ours / veth.
"""
import json
import os
import statistics
import sys

res = sys.argv[1]
machine = sys.argv[2] if len(sys.argv) > 2 else ''
# A run that failed (an "error" field, or a line that is not JSON) is
# listed at the end of results.md and left out of every median.
rows, failed = [], []
for n, line in enumerate(open(os.path.join(res, 'raw.jsonl')), 1):
    try:
        r = json.loads(line)
    except ValueError as err:
        failed.append('raw.jsonl line %d: %s' % (n, err))
        continue
    if 'error' in r:
        failed.append('%s r%s %s: %s' % (r.get('driver'), r.get('round'),
                                         r.get('test'), r['error']))
        continue
    rows.append(r)
for f in failed:
    print('report: left out: ' + f, file=sys.stderr)

# (driver, test) -> list of measurements
by = {}
for r in rows:
    by.setdefault((r['driver'], r['test']), []).append(r)


def vals(drv, test, key):
    return [r[key] for r in by.get((drv, test), []) if key in r]


def med(drv, test, key):
    v = vals(drv, test, key)
    return statistics.median(v) if v else None


def spread(drv, test, key):
    v = vals(drv, test, key)
    return (min(v), max(v)) if v else None


def gbit(x):
    return None if x is None else x / 1e9


def pps(drv, test):
    """Datagrams per second that arrived."""
    v = [(r['packets'] - r['lost']) / r['secs'] for r in by.get((drv, test), [])
         if 'packets' in r and r.get('secs')]
    return statistics.median(v) if v else None


def cpu_per_gb(drv, test):
    """Busy CPU s per GB moved."""
    c = [r['cpu_s'] / (r['bytes'] / 1e9) for r in by.get((drv, test), [])
         if r.get('bytes')]
    return statistics.median(c) if c else None


def per_gb(drv, test, key):
    """Median of KEY per GB moved (VMBus interrupts, host signals)."""
    v = [r[key] / (r['bytes'] / 1e9) for r in by.get((drv, test), [])
         if r.get('bytes') and key in r]
    return statistics.median(v) if v else None


def per_packet(drv, test, key):
    """Median of KEY per datagram that arrived (CPU s, interrupts, signals)."""
    v = [r[key] / (r['packets'] - r['lost']) for r in by.get((drv, test), [])
         if r.get('packets', 0) > r.get('lost', 0) and key in r]
    return statistics.median(v) if v else None


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


drivers = ['ours', 'intree', 'veth']
secs = next((r.get('secs') for r in rows if r.get('secs')), None)
out = {'machine': machine, 'rounds': max(r['round'] for r in rows),
       'tests': {}}
tests = sorted({t for (_, t) in by})
for t in tests:
    out['tests'][t] = {}
    for d in drivers:
        if (d, t) not in by:
            continue
        e = {}
        for k in ('bps', 'kb', 'ms', 'kernel_ms', 'carrier_changes',
                  'lost', 'max_gap_ms', 'change_gap_ms',
                  'tps', 'tps8', 'p50_us', 'p99_us',
                  'host_drops', 'cpu_s', 'lost_to', 'lost_from',
                  'gap_to_ms', 'gap_from_ms', 'lost_all_to', 'lost_all_from',
                  'host_share', 'driver_share', 'self_share', 'other_share'):
            m = med(d, t, k)
            if m is not None:
                e[k] = m
                e[k + '_spread'] = spread(d, t, k)
        p = pps(d, t)
        if p is not None:
            e['pps'] = p
        x = [r['xdp_frames'] / r['secs'] for r in by.get((d, t), [])
             if 'xdp_frames' in r and r.get('secs')]
        if x:
            e['xdp_pps'] = statistics.median(x)
            e['xdp_pps_spread'] = (min(x), max(x))
        c = per_packet(d, t, 'cpu_s')
        if c is not None:
            e['cpu_s_per_packet'] = c
        c = cpu_per_gb(d, t)
        if c is not None:
            e['cpu_s_per_gb'] = c
        for k in ('irqs', 'signals'):
            g = per_gb(d, t, k)
            if g is not None:
                e[k + '_per_gb'] = g
        top = [r['top'] for r in by.get((d, t), []) if r.get('top')]
        if top:
            e['top'] = top[0]
        out['tests'][t][d] = e
json.dump(out, open(os.path.join(res, 'results.json'), 'w'), indent=1)

T = out['tests']


def get(t, d, k):
    return T.get(t, {}).get(d, {}).get(k)


def fmt(x, f='%.2f'):
    return '-' if x is None else f % x


def sp(t, d, k, scale=1.0):
    s = T.get(t, {}).get(d, {}).get(k + '_spread')
    return '' if not s else ' (%.2f..%.2f)' % (s[0] * scale, s[1] * scale)


md = []
md.append('# Benchmark: ours vs in-tree hv_netvsc vs veth (one boot)\n')
if machine:
    md.append('Machine: %s\n' % machine)
md.append('%d rounds per driver, alternating; medians (min..max).\n' %
          out['rounds'])
md.append('| test | ours | in-tree | veth | ours/in-tree | ours/veth |')
md.append('|---|---|---|---|---|---|')
for t, label in [('tcp_p1', 'TCP -P1 Gbit/s'), ('tcp_p8', 'TCP -P8 Gbit/s'),
                 ('tcp_p64', 'TCP -P64 Gbit/s'),
                 ('udp_1400', 'UDP 1400 B @200M Gbit/s'),
                 ('fwd_tcp_p8', 'forwarded TCP -P8 Gbit/s')]:
    o, i, v = (gbit(get(t, d, 'bps')) for d in drivers)
    md.append('| %s | %s%s | %s%s | %s | %s | %s |' % (
        label, fmt(o), sp(t, 'ours', 'bps', 1e-9), fmt(i),
        sp(t, 'intree', 'bps', 1e-9), fmt(v), fmt(ratio(o, i)),
        fmt(ratio(o, v))))
for t, label in [('udp_64_flood', 'UDP 64 B flood, kpps received'),
                 ('fwd_udp_64', 'forwarded UDP 64 B, kpps received')]:
    o, i, v = (get(t, d, 'pps') for d in drivers)
    k = [None if x is None else x / 1000 for x in (o, i, v)]
    md.append('| %s | %s | %s | %s | %s | %s |' % (
        label, fmt(k[0], '%.1f'), fmt(k[1], '%.1f'), fmt(k[2], '%.1f'),
        fmt(ratio(o, i)), fmt(ratio(o, v))))
# The simulated host's share of the CPU, from the perf profile of the
# extra -P8 run, applied to the CPU cost of the measured runs.
for t, label in [('tcp_p8', 'CPU s per GB, TCP -P8'),
                 ('tcp_p1', 'CPU s per GB, TCP -P1')]:
    o, i, v = (get(t, d, 'cpu_s_per_gb') for d in drivers)
    ho, hi = (get('profile_p8', d, 'host_share') for d in ('ours', 'intree'))
    so = None if o is None or ho is None else o * (1 - ho)
    si = None if i is None or hi is None else i * (1 - hi)
    md.append('| %s (without the host) | %s (%s) | %s (%s) | %s | %s (%s) | %s |' % (
        label, fmt(o), fmt(so), fmt(i), fmt(si), fmt(v), fmt(ratio(o, i)),
        fmt(ratio(so, si)), fmt(ratio(o, v))))
# The driver's own code (hv_netvsc alone, the "self" share of the
# profiled runs) applied to the CPU cost of the measured runs.
rows_own = [('tcp_p8', 'profile_p8', 'cpu_s_per_gb', 1e3,
             'driver-own CPU ms per GB, TCP -P8'),
            ('udp_64_flood', 'profile_udp64', 'cpu_s_per_packet', 1e6,
             'driver-own CPU us per packet, UDP 64 B flood')]
for t, prof, k, scale, label in rows_own:
    own = []
    for d in ('ours', 'intree'):
        c, sh = get(t, d, k), get(prof, d, 'self_share')
        own.append(None if c is None or sh is None else c * sh * scale)
    md.append('| %s | %s | %s | - | %s | - |' % (
        label, fmt(own[0], '%.3f'), fmt(own[1], '%.3f'),
        fmt(ratio(own[0], own[1]))))
for t, label in [('xdp_drop', 'XDP_DROP, UDP 64 B, kpps'),
                 ('xdp_tx', 'XDP_TX, UDP 64 B, kpps')]:
    o, i = (get(t, d, 'xdp_pps') for d in ('ours', 'intree'))
    md.append('| %s | %s%s | %s%s | - | %s | - |' % (
        label, fmt(None if o is None else o / 1000, '%.1f'),
        sp(t, 'ours', 'xdp_pps', 1e-3),
        fmt(None if i is None else i / 1000, '%.1f'),
        sp(t, 'intree', 'xdp_pps', 1e-3), fmt(ratio(o, i))))
for t, proto in [('pp_tcp', 'TCP'), ('pp_udp', 'UDP')]:
    for k, what, f in [('p50_us', 'ping-pong p50 us', '%.1f'),
                       ('p99_us', 'ping-pong p99 us', '%.1f'),
                       ('tps', 'round trips/s, 1 flow', '%.0f'),
                       ('tps8', 'round trips/s, 8 flows', '%.0f')]:
        o, i = get(t, 'ours', k), get(t, 'intree', k)
        md.append('| %s %s | %s%s | %s%s | - | %s | - |' % (
            proto, what, fmt(o, f), sp(t, 'ours', k), fmt(i, f),
            sp(t, 'intree', k), fmt(ratio(o, i))))
# Deterministic costs: what crosses between guest and host per GB moved.
for t, label in [('tcp_p1', 'TCP -P1'), ('tcp_p8', 'TCP -P8')]:
    for k, what in [('irqs', 'VMBus interrupts'), ('signals', 'host signals')]:
        o, i = (get(t, d, k + '_per_gb') for d in ('ours', 'intree'))
        md.append('| %s per MB, %s | %s | %s | - | %s | - |' % (
            what, label, fmt(None if o is None else o / 1000, '%.1f'),
            fmt(None if i is None else i / 1000, '%.1f'), fmt(ratio(o, i))))
# The same traffic with vmbus_sim charging each signal to the host and
# each channel interrupt what they cost on Hyper-V (bench_cost).
cost = next((r['cost_ns'] for r in rows if r.get('cost_ns')), None)
if cost:
    o, i = (gbit(get('cost_tcp_p8', d, 'bps')) for d in ('ours', 'intree'))
    md.append('| TCP -P8 Gbit/s, %d ns per signal and interrupt | %s%s | %s%s | - | %s | - |' % (
        cost, fmt(o), sp('cost_tcp_p8', 'ours', 'bps', 1e-9), fmt(i),
        sp('cost_tcp_p8', 'intree', 'bps', 1e-9), fmt(ratio(o, i))))
    o, i = (get('cost_udp_64_flood', d, 'pps') for d in ('ours', 'intree'))
    md.append('| UDP 64 B flood kpps, %d ns per signal and interrupt | %s | %s | - | %s | - |' % (
        cost, fmt(None if o is None else o / 1000, '%.1f'),
        fmt(None if i is None else i / 1000, '%.1f'), fmt(ratio(o, i))))
    for k, what in [('irqs', 'VMBus interrupts'), ('signals', 'host signals')]:
        o, i = (per_packet(d, 'cost_udp_64_flood', k) for d in ('ours', 'intree'))
        md.append('| %s per packet, UDP 64 B flood with the cost | %s | %s | - | %s | - |' % (
            what, fmt(o), fmt(i), fmt(ratio(o, i))))
    for k, what in [('irqs', 'VMBus interrupts'), ('signals', 'host signals')]:
        o, i = (get('cost_tcp_p8', d, k + '_per_gb') for d in ('ours', 'intree'))
        md.append('| %s per MB, TCP -P8 with the cost | %s | %s | - | %s | - |' % (
            what, fmt(None if o is None else o / 1000, '%.1f'),
            fmt(None if i is None else i / 1000, '%.1f'), fmt(ratio(o, i))))
    # ours with send-completion coalescing (ethtool -C tx-usecs 600
    # tx-frames 32) against the in-tree driver, which has none
    o, i = gbit(get('cost_tcp_p8_txc', 'ours', 'bps')), gbit(get('cost_tcp_p8', 'intree', 'bps'))
    md.append('| TCP -P8 Gbit/s with the cost, ours with -C tx-usecs 600 | %s%s | %s | - | %s | - |' % (
        fmt(o), sp('cost_tcp_p8_txc', 'ours', 'bps', 1e-9), fmt(i), fmt(ratio(o, i))))
    o, i = get('cost_udp_64_flood_txc', 'ours', 'pps'), get('cost_udp_64_flood', 'intree', 'pps')
    md.append('| UDP 64 B flood kpps with the cost, ours with -C tx-usecs 600 | %s%s | %s | - | %s | - |' % (
        fmt(None if o is None else o / 1000, '%.1f'), sp('cost_udp_64_flood_txc', 'ours', 'pps', 1e-3),
        fmt(None if i is None else i / 1000, '%.1f'), fmt(ratio(o, i))))
    for k, what in [('irqs', 'VMBus interrupts'), ('signals', 'host signals')]:
        o, i = per_packet('ours', 'cost_udp_64_flood_txc', k), per_packet('intree', 'cost_udp_64_flood', k)
        md.append('| %s per packet, UDP 64 B flood with the cost, ours with -C | %s | %s | - | %s | - |' % (
            what, fmt(o), fmt(i), fmt(ratio(o, i))))
for t, label in [('reconf_shrink', 'ethtool -L shrink'),
                 ('reconf_grow', 'ethtool -L grow'),
                 ('reconf_grow_attach', 'ethtool -L grow, channels closed'),
                 ('reconf_ring', 'ethtool -G (sections halved)'),
                 ('reconf_hkey', 'ethtool -X hkey (a new RSS key)'),
                 ('reconf_equal', 'ethtool -X equal 1'),
                 ('reconf_lro', 'ethtool -K lro off'),
                 ('reconf_mtu', 'MTU 1500 -> 1400 (ip link)')]:
    row = []
    for k, f in [('ms', '%.0f ms'), ('kernel_ms', 'kernel %.1f ms'),
                 ('change_gap_ms', 'gap %.0f ms'),
                 ('lost', '%.0f lost'), ('host_drops', '%.0f host drops'),
                 ('carrier_changes', '%.0f carrier changes')]:
        o, i = get(t, 'ours', k), get(t, 'intree', k)
        row.append((fmt(o, f), fmt(i, f), fmt(ratio(o, i))))
    md.append('| %s | %s | %s | - | %s | - |' % (
        label, ', '.join(r[0] for r in row), ', '.join(r[1] for r in row),
        ' / '.join(r[2] for r in row)))
# Accelerated networking: nic1 -> nic8, nic8 receiving through its VF (an
# e1000e QEMU emulates outside the guest, so the VF path's device work is
# not in the guest's CPU time, while the simulated host's is in the
# synthetic path's), then with the VF withdrawn.
for t, label in [('vf_tcp_p8', 'TCP -P8 through the VF'),
                 ('vf_syn_tcp_p8', 'TCP -P8, VF withdrawn (synthetic)')]:
    o, i = (gbit(get(t, d, 'bps')) for d in ('ours', 'intree'))
    co, ci = (get(t, d, 'cpu_s_per_gb') for d in ('ours', 'intree'))
    md.append('| %s, Gbit/s; CPU s per GB | %s%s; %s | %s%s; %s | - | %s; %s | - |' % (
        label, fmt(o), sp(t, 'ours', 'bps', 1e-9), fmt(co), fmt(i),
        sp(t, 'intree', 'bps', 1e-9), fmt(ci), fmt(ratio(o, i)),
        fmt(ratio(co, ci))))
for t, label in [('vf_planned', 'VF planned removal (withdrawn, then removed)'),
                 ('vf_surprise', 'VF surprise removal')]:
    cells = []
    for d in ('ours', 'intree'):
        cells.append('%s: to the NIC %s lost (%s in all), gap %s ms; from it %s lost (%s in all), gap %s ms' % (
            fmt(get(t, d, 'ms'), '%.0f ms'),
            fmt(get(t, d, 'lost_to'), '%.0f'), fmt(get(t, d, 'lost_all_to'), '%.0f'),
            fmt(get(t, d, 'gap_to_ms'), '%.0f'),
            fmt(get(t, d, 'lost_from'), '%.0f'), fmt(get(t, d, 'lost_all_from'), '%.0f'),
            fmt(get(t, d, 'gap_from_ms'), '%.0f')))
    md.append('| %s | %s | %s | - | - | - |' % (label, cells[0], cells[1]))
o, i = get('mem_per_nic', 'ours', 'kb'), get('mem_per_nic', 'intree', 'kb')
md.append('| slab+vmalloc per NIC (KiB) | %s | %s | - | %s | - |' % (
    fmt(o, '%.0f'), fmt(i, '%.0f'), fmt(ratio(o, i))))

if 'profile_p8' in T:
    md.append('\nCPU profile of an extra TCP -P8 run (perf record -a -g, busy '
              'samples; "driver" includes the stack it calls, "self" is '
              'hv_netvsc code alone; a sample taken while interrupts were '
              'off lands where they come back on, so handle_softirqs and '
              '_raw_spin_unlock_irqrestore stand for interrupt work):\n')
    md.append('| share | ours | in-tree |')
    md.append('|---|---|---|')
    for k, label in [('host_share', 'simulated host'),
                     ('driver_share', 'driver (incl.)'),
                     ('self_share', 'driver (self)'),
                     ('other_share', 'rest of the guest')]:
        md.append('| %s | %s | %s |' % (
            label, *(fmt(None if get('profile_p8', d, k) is None else
                         100 * get('profile_p8', d, k), '%.1f %%')
                     for d in ('ours', 'intree'))))
    for d in ('ours', 'intree'):
        top = get('profile_p8', d, 'top')
        if top:
            md.append('\nHottest symbols, %s (round 1): %s' % (d, ', '.join(
                '%s %s %.1f %%' % (s_, d_.strip('[]'), 100 * c)
                for s_, d_, c in top[:10])))

md.append('\nChannel sweep, TCP -P8 Gbit/s (the all-channels point is the TCP -P8 run):\n')
md.append('| channels | ours | in-tree | ours/in-tree |')
md.append('|---|---|---|---|')
sweep = sorted({int(t.rsplit('_c', 1)[1]) for t in tests
                if t.startswith('sweep_p8_c')})
with open(os.path.join(res, 'sweep.dat'), 'w') as f:
    f.write('# channels ours intree (Gbit/s)\n')
    for n in sweep:
        t = 'sweep_p8_c%d' % n
        o, i = gbit(get(t, 'ours', 'bps')), gbit(get(t, 'intree', 'bps'))
        md.append('| %d | %s | %s | %s |' % (n, fmt(o), fmt(i),
                                            fmt(ratio(o, i))))
        f.write('%d %s %s\n' % (n, fmt(o, '%.4f'), fmt(i, '%.4f')))
with open(os.path.join(res, 'streams.dat'), 'w') as f:
    f.write('# streams ours intree veth (Gbit/s)\n')
    for p in (1, 8, 64):
        t = 'tcp_p%d' % p
        f.write('%d %s\n' % (p, ' '.join(fmt(gbit(get(t, d, 'bps')), '%.4f')
                                        for d in drivers)))
if failed:
    md.append('\nLeft out (failed runs):\n')
    md.extend('- ' + f for f in failed)
# A row with no number in any cell (its tests did not run: --only) is left
# out.
md = [line for line in md if not line.startswith('| ') or
      line.startswith('| test |') or line.startswith('| channels |') or
      line.startswith('| share |') or
      any(c.isdigit() for c in line.split('|', 2)[2])]
open(os.path.join(res, 'results.md'), 'w').write('\n'.join(md) + '\n')
print('\n'.join(md))
