#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Attach a small XDP program to a net device in native (driver) mode.

    xdp_prog.py DEV drop|pass|aborted|invalid|tx|redirect|udp-drop|udp-tx
    xdp_prog.py DEV off
    xdp_prog.py DEV ACTION CYCLES SECONDS

The third form loads the program once, prints "ready", waits for a line
on standard input, then attaches and detaches the program up to CYCLES
times, starting no new cycle once SECONDS have passed, and prints the
number of cycles done (attach/detach under load without a process start
per cycle, which on a debug kernel under TCG costs seconds).

No compiler and no libbpf: the programs are a few eBPF instructions,
loaded with bpf(BPF_PROG_LOAD) and attached with an RTM_SETLINK netlink
request (IFLA_XDP, XDP_FLAGS_DRV_MODE), so a driver without ndo_bpf fails
instead of falling back to generic XDP.  "tx" swaps the Ethernet addresses
and returns XDP_TX; "redirect" swaps them and redirects the frame to DEV
itself (bpf_redirect), which goes out through the driver's ndo_xdp_xmit.
"invalid" returns an action that does not exist.  "udp-drop" and "udp-tx"
act as "drop" and "tx" on IPv4 UDP frames of 100 bytes or more only and
pass every other frame (so that a benchmark's TCP control connection and
iperf3's 4-byte UDP handshake get through).  The kernel's error
message (netlink extended ack) is printed when the attach is refused.
Exit status 0 on success, 1 on a refused attach, 2 on a usage error.
"""
import ctypes
import os
import socket
import struct
import sys
import time

SYS_BPF = 321  # x86-64
BPF_PROG_LOAD = 5
BPF_PROG_TYPE_XDP = 6
XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX = 0, 1, 2, 3
BPF_FUNC_REDIRECT = 23

RTM_SETLINK = 19
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
SOL_NETLINK = 270
NETLINK_CAP_ACK, NETLINK_EXT_ACK = 10, 11
IFLA_XDP = 43
NLA_F_NESTED = 0x8000
IFLA_XDP_FD, IFLA_XDP_FLAGS = 1, 3
XDP_FLAGS_DRV_MODE = 4


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, dst | (src << 4), off, imm)


def mov_imm(dst, imm):
    return insn(0xb7, dst, imm=imm)


EXIT = insn(0x95)


def ret(action):
    return [mov_imm(0, action), EXIT]


def mac_swap(then):
    """Swap destination and source MAC, then the instructions @then;
    frames shorter than an Ethernet header are dropped."""
    body = [
        insn(0x61, 2, 1, 0),     # r2 = ctx->data
        insn(0x61, 3, 1, 4),     # r3 = ctx->data_end
        insn(0xbf, 4, 2),        # r4 = r2
        insn(0x07, 4, imm=14),   # r4 += 14
        None,                    # if r4 > r3 goto drop
    ] + SWAP_MACS + then
    body[4] = insn(0x2d, 4, 3, off=len(body) - 5)
    return body + ret(XDP_DROP)


UDP_MIN = 100
SWAP_MACS = [
    insn(0x61, 5, 2, 0),     # r5 = dst[0..3]
    insn(0x69, 6, 2, 4),     # r6 = dst[4..5]
    insn(0x61, 7, 2, 6),     # r7 = src[0..3]
    insn(0x69, 8, 2, 10),    # r8 = src[4..5]
    insn(0x63, 2, 7, 0),
    insn(0x6b, 2, 8, 4),
    insn(0x63, 2, 5, 6),
    insn(0x6b, 2, 6, 10),
]


def udp_only(then):
    """IPv4 UDP frames of UDP_MIN bytes or more: the instructions @then
    (r2 = data, the Ethernet and IPv4 headers in bounds); every other
    frame passes."""
    body = [
        insn(0x61, 2, 1, 0),     # r2 = ctx->data
        insn(0x61, 3, 1, 4),     # r3 = ctx->data_end
        insn(0xbf, 4, 2),        # r4 = r2
        insn(0x07, 4, imm=UDP_MIN),  # r4 += UDP_MIN (> 14 + 20)
        None,                    # if r4 > r3 goto pass
        insn(0x69, 5, 2, 12),    # r5 = ethertype (big endian in memory)
        None,                    # if r5 != htons(ETH_P_IP) goto pass
        insn(0x71, 5, 2, 23),    # r5 = IPv4 protocol
        None,                    # if r5 != IPPROTO_UDP goto pass
    ] + then
    n = len(body)
    body[4] = insn(0x2d, 4, 3, off=n - 5)
    body[6] = insn(0x55, 5, off=n - 7, imm=0x0008)
    body[8] = insn(0x55, 5, off=n - 9, imm=17)
    return body + ret(XDP_PASS)


def program(kind, ifindex):
    simple = {"drop": XDP_DROP, "pass": XDP_PASS, "aborted": XDP_ABORTED,
              "invalid": 7}
    if kind in simple:
        return ret(simple[kind])
    if kind == "tx":
        return mac_swap(ret(XDP_TX))
    if kind == "udp-drop":
        return udp_only(ret(XDP_DROP))
    if kind == "udp-tx":
        return udp_only(SWAP_MACS + ret(XDP_TX))
    if kind == "redirect":
        return mac_swap([mov_imm(1, ifindex), mov_imm(2, 0),
                         insn(0x85, imm=BPF_FUNC_REDIRECT), EXIT])
    return None


def prog_load(insns):
    libc = ctypes.CDLL(None, use_errno=True)
    code = ctypes.create_string_buffer(b"".join(insns))
    lic = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(65536)
    attr = ctypes.create_string_buffer(struct.pack(
        "<IIQQIIQII16s", BPF_PROG_TYPE_XDP, len(insns),
        ctypes.addressof(code), ctypes.addressof(lic), 1, len(log),
        ctypes.addressof(log), 0, 0, b"hvnv_test"), 128)
    fd = libc.syscall(SYS_BPF, BPF_PROG_LOAD, attr, 128)
    if fd < 0:
        err = ctypes.get_errno()
        sys.exit("BPF_PROG_LOAD: %s\n%s" % (os.strerror(err),
                                             log.value.decode(errors="replace")))
    return fd


def nla(kind, payload):
    n = 4 + len(payload)
    return struct.pack("<HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def setlink_xdp(ifindex, fd):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    xdp = nla(IFLA_XDP_FD, struct.pack("<i", fd))
    if fd >= 0:
        xdp += nla(IFLA_XDP_FLAGS, struct.pack("<I", XDP_FLAGS_DRV_MODE))
    body = struct.pack("<BxHiII", socket.AF_UNSPEC, 0, ifindex, 0, 0)
    body += nla(IFLA_XDP | NLA_F_NESTED, xdp)
    s.send(struct.pack("<IHHII", 16 + len(body), RTM_SETLINK,
                       NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body)
    while True:
        data = s.recv(65536)
        _, typ, flags, _, _ = struct.unpack_from("<IHHII", data)
        if typ != NLMSG_ERROR:
            continue
        (err,) = struct.unpack_from("<i", data, 16)
        if err == 0:
            return None
        msg = os.strerror(-err)
        pos = 16 + 4 + 16
        while flags & NLM_F_ACK_TLVS and pos + 4 <= len(data):
            n, kind = struct.unpack_from("<HH", data, pos)
            if n < 4:
                break
            if kind == NLMSGERR_ATTR_MSG:
                msg += ": " + data[pos + 4:pos + n].split(b"\0")[0].decode()
            pos += (n + 3) & ~3
        return msg


def main():
    if len(sys.argv) not in (3, 5):
        print(__doc__, file=sys.stderr)
        return 2
    dev, kind = sys.argv[1:3]
    cycles = None
    if len(sys.argv) == 5:
        if not all(a.isdigit() for a in sys.argv[3:]) or kind == "off":
            print(__doc__, file=sys.stderr)
            return 2
        cycles, secs = int(sys.argv[3]), int(sys.argv[4])
    try:
        ifindex = socket.if_nametoindex(dev)
    except OSError:
        print("no device %s" % dev, file=sys.stderr)
        return 2
    if kind == "off":
        fd = -1
    else:
        insns = program(kind, ifindex)
        if insns is None:
            print(__doc__, file=sys.stderr)
            return 2
        fd = prog_load(insns)
    if cycles is None:
        return attach(dev, ifindex, kind, fd)
    print("ready", flush=True)
    if not sys.stdin.readline():
        return 1
    until = time.monotonic() + secs
    done = 0
    while done < cycles and time.monotonic() < until:
        if attach(dev, ifindex, kind, fd) or attach(dev, ifindex, "off", -1):
            print("cycle %d of %d failed" % (done + 1, cycles),
                  file=sys.stderr)
            return 1
        done += 1
    print(done)
    return 0


def attach(dev, ifindex, kind, fd):
    err = setlink_xdp(ifindex, fd)
    if err:
        print("attaching XDP (%s) to %s refused: %s" % (kind, dev, err),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
