#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A steady, numbered UDP stream, to see what a reconfiguration costs.

    udpstream.py send DST PORT PPS SECONDS
    udpstream.py recv BIND PORT SECONDS   -> one JSON line on stdout

The receiver reports datagrams received, the highest sequence number seen
(so lost = highest + 1 - received, counting only datagrams that were due),
and the longest time without a datagram (ms) with when it began (seconds
since the first datagram).
"""
import json
import socket
import struct
import sys
import time


def send(dst, port, pps, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gap = 1.0 / pps
    start = time.monotonic()
    seq = 0
    pad = b'x' * 56
    while True:
        due = start + seq * gap
        now = time.monotonic()
        if now - start >= secs:
            break
        if due > now:
            time.sleep(due - now)
        s.sendto(struct.pack('!I', seq) + pad, (dst, port))
        seq += 1
    print(json.dumps({'sent': seq}))


def recv(bind, port, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((bind, port))
    s.settimeout(0.2)
    end = time.monotonic() + secs
    got, top, first, last, gap, gap_at = 0, -1, None, None, 0.0, 0.0
    while time.monotonic() < end:
        try:
            data = s.recv(2048)
        except socket.timeout:
            continue
        now = time.monotonic()
        seq = struct.unpack('!I', data[:4])[0]
        got += 1
        top = max(top, seq)
        if first is None:
            first = now
        elif now - last > gap:
            gap, gap_at = now - last, last - first
        last = now
    print(json.dumps({'received': got, 'lost': max(0, top + 1 - got),
                      'max_gap_ms': round(gap * 1000, 2),
                      'gap_at_s': round(gap_at, 3)}))


if __name__ == '__main__':
    if sys.argv[1] == 'send':
        send(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
             float(sys.argv[5]))
    else:
        recv(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
