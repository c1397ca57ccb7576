#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A steady, numbered UDP stream, to see what a reconfiguration costs.

    udpstream.py send DST PORT PPS SECONDS [READY-FILE]
    udpstream.py recv BIND PORT SECONDS [READY-FILE]  -> one JSON line
    udpstream.py change T0_NS T1_NS [FIELD ...] < recv's JSON
        -> the same, plus the gap of the change; with FIELDs, only their
           values on one line

With UDPSTREAM_STOP=FILE in the environment both stop early once FILE
exists (the receiver a second later, for what is still on its way).
The receiver creates READY-FILE once its socket is bound (a datagram sent
before that would count as lost), the sender once its first datagram is
out.  The receiver reports datagrams received, the highest sequence
number seen (so lost = highest + 1 - received, counting only datagrams
that were due), the longest time without a datagram (ms) with when it
began (seconds since the first datagram), when the last one came
(last_at, CLOCK_REALTIME seconds), and every gap over 5 ms as
[start, ms] with start in CLOCK_REALTIME seconds.  "change" takes the
window of a reconfiguration (CLOCK_REALTIME ns, as date +%s%N prints) and
adds change_gap_ms: the longest of those gaps that overlaps the window, 0
if none did, after: 1 if a datagram came after the window, and
change_lost: the datagrams still missing from the holes
in the sequence whose pause overlaps the window (a hole is the run of
numbers skipped when a datagram arrives; one that arrives late fills its
hole again); so that the stream's own jitter and losses before or after
the change are not charged to it.
"""
import json
import os
import socket
import struct
import sys
import time


def stopped():
    """The caller asked to stop early (UDPSTREAM_STOP names a file)."""
    f = os.environ.get('UDPSTREAM_STOP')
    return bool(f) and os.path.exists(f)


def send(dst, port, pps, secs, ready=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gap = 1.0 / pps
    start = time.monotonic()
    seq = 0
    pad = b'x' * 56
    while True:
        due = start + seq * gap
        now = time.monotonic()
        if now - start >= secs or (seq % 100 == 99 and stopped()):
            break
        if due > now:
            time.sleep(due - now)
        s.sendto(struct.pack('!I', seq) + pad, (dst, port))
        if ready and not seq:
            open(ready, 'w').close()
        seq += 1
    print(json.dumps({'sent': seq}))


def recv(bind, port, secs, ready=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((bind, port))
    if ready:
        open(ready, 'w').close()
    s.settimeout(0.2)
    end = time.monotonic() + secs
    n = 0
    got, top, first, last, gap, gap_at = 0, -1, None, None, 0.0, 0.0
    gaps = []
    # holes in the sequence: [start, ms, missing seqs] as for gaps, the
    # seqs still missing (a late datagram fills its hole)
    holes, hole_of = [], {}
    last_wall = 0.0
    while time.monotonic() < end:
        try:
            data = s.recv(2048)
        except socket.timeout:
            data = None
        n += 1
        # asked to stop: what is on its way still counts, for a second
        if ((data is None or n % 100 == 0) and end - time.monotonic() > 1
                and stopped()):
            end = time.monotonic() + 1
        if data is None:
            continue
        now = time.monotonic()
        wall = time.time()
        seq = struct.unpack('!I', data[:4])[0]
        got += 1
        if seq > top + 1 and last is not None and len(holes) < 1000:
            h = [round(wall - (now - last), 4), round((now - last) * 1000, 2),
                 set(range(top + 1, seq))]
            holes.append(h)
            for m in h[2]:
                hole_of[m] = h
        elif seq < top and seq in hole_of:
            hole_of.pop(seq)[2].discard(seq)
        top = max(top, seq)
        last_wall = wall
        if first is None:
            first = now
        else:
            if now - last > gap:
                gap, gap_at = now - last, last - first
            if now - last > 0.005 and len(gaps) < 1000:
                gaps.append([round(wall - (now - last), 4),
                             round((now - last) * 1000, 2)])
        last = now
    print(json.dumps({'received': got, 'lost': max(0, top + 1 - got),
                      'max_gap_ms': round(gap * 1000, 2),
                      'gap_at_s': round(gap_at, 3), 'last_at': round(last_wall, 4),
                      'gaps': gaps,
                      'holes': [[at, ms, len(m)] for at, ms, m in holes
                                if m]}))


def change(t0_ns, t1_ns, fields):
    r = json.load(sys.stdin)
    t0, t1 = t0_ns / 1e9, t1_ns / 1e9
    r['change_gap_ms'] = max([ms for at, ms in r.pop('gaps', [])
                              if at <= t1 and at + ms / 1000 >= t0] or [0])
    r['change_lost'] = sum(n for at, ms, n in r.pop('holes', [])
                           if at <= t1 and at + ms / 1000 >= t0)
    r['after'] = int(r['last_at'] > t1)
    print(' '.join(str(r[f]) for f in fields) if fields else json.dumps(r))


if __name__ == '__main__':
    if sys.argv[1] == 'send':
        send(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
             float(sys.argv[5]), sys.argv[6] if len(sys.argv) > 6 else None)
    elif sys.argv[1] == 'change':
        change(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
    else:
        recv(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
             sys.argv[5] if len(sys.argv) > 5 else None)
