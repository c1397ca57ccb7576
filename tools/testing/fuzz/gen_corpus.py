#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpora under corpus/TARGET/, one file per message.

The messages have the layouts the simulated host (tools/testing/host/netvsp_sim)
sends: full 40-byte NVSP completions, transfer-page packets built as
vmbus_sim_send_xfer() builds them, RNDIS data messages with PPIs in the
order nvsim_rx_write_msg() writes them, control completions and
indications as nvsim_rndis.c answers; for guest_msg, what hv_netvsc sends
the host; for rsc_seq and ctrl_seq, the sequences their checks are about.
Field offsets follow the structs of
include/hv_netvsc/ (each asserted there).  The files are checked in; rerun
this after a wire-format change and commit the result:
    tools/testing/fuzz/gen_corpus.py
Crash inputs added by hand (see Documentation/testing/fuzz.rst) live next
to the seeds and are not touched.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# include/hv_netvsc/nvsp.h
NVSP_MSG_INIT_COMP = 2
NVSP_MSG_SEND_RECV_BUF_COMP = 102
NVSP_MSG_SEND_SEND_BUF_COMP = 105
NVSP_MSG_SEND_RNDIS_PKT = 107
NVSP_MSG_SEND_RNDIS_PKT_COMP = 108
NVSP_MSG_SEND_VF_ASSOCIATION = 128
NVSP_MSG_SUBCHANNEL = 133
NVSP_MSG_SEND_INDIRECTION_TABLE = 134
NVSP_STATUS_SUCCESS = 1
NVSP_STATUS_FAIL = 2
NVSP_PROTO_VERSION_61 = 0x00060001
NVSP_RECV_BUF_ID = 0xcafe
NVSP_RNDIS_CHANNEL_DATA = 0
NVSP_RNDIS_CHANNEL_CONTROL = 1
NVSP_SEND_SECTION_NONE = 0xffffffff
NVSP_SEND_TABLE_SIZE = 16
NVSP_MSG_SIZE = 40
VM_PKT_DATA_USING_XFER_PAGES = 7
VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED = 1

# <linux/rndis.h>, include/hv_netvsc/rndis_ndis.h, ppi.h
RNDIS_MSG_PACKET = 0x1
RNDIS_MSG_INIT_C = 0x80000002
RNDIS_MSG_QUERY_C = 0x80000004
RNDIS_MSG_SET_C = 0x80000005
RNDIS_MSG_INDICATE = 0x7
RNDIS_MSG_KEEPALIVE = 0x8
RNDIS_MSG_KEEPALIVE_C = 0x80000008
RNDIS_STATUS_SUCCESS = 0
RNDIS_STATUS_FAILURE = 0xc0000001
RNDIS_STATUS_MEDIA_CONNECT = 0x4001000b
RNDIS_STATUS_MEDIA_DISCONNECT = 0x4001000c
RNDIS_STATUS_LINK_SPEED_CHANGE = 0x40010013
RNDIS_STATUS_NETWORK_CHANGE = 0x40010018
NDIS_PPI_CSUM = 0
NDIS_PPI_VLAN = 6
NDIS_PPI_HASH_VALUE = 8
NDIS_PPI_HASH_INFO = 9
RNDIS_PPI_INTERNAL = 1 << 31
RNDIS_PPI_PKT_ID = 1
RNDIS_PPI_PKT_ID_V1 = 1
PKT_ID_SUBALLOC, PKT_ID_FIRST, PKT_ID_LAST = 1, 2, 4
NDIS_CSUM_RX_TCP_OK = 1 << 3
NDIS_CSUM_RX_IP_OK = 1 << 5
NDIS_OBJ_TYPE_RSS_CAPS = 0x88
NDIS_OBJ_TYPE_OFFLOAD = 0xa7
NDIS_RSS_CAPS_REV_2 = 2
NDIS_ENCAP_8023 = 0x2
CSUM4 = 0x0001 | 0x0004 | 0x0010 | 0x0040 | 0x0100   # IP4OPT TCP4OPT TCP4 UDP4 IP4
CSUM6 = 0x0001 | 0x0004 | 0x0010 | 0x0040            # IP6EXT TCP6OPT TCP6 UDP6
LSO6_OPTS = 0x0001 | 0x0004
RNDIS_PKT_SIZE = 36
RNDIS_PKT_MSG_SIZE = 8 + RNDIS_PKT_SIZE


def le32(*v):
    return struct.pack('<%dI' % len(v), *v)


def nvsp(msg_type, body=b''):
    """A full 40-byte NVSP message, as the simulated host completes."""
    return (le32(msg_type) + body).ljust(NVSP_MSG_SIZE, b'\0')


def send_table(offset, entries):
    table = le32(*entries)
    msg = nvsp(NVSP_MSG_SEND_INDIRECTION_TABLE,
               le32(NVSP_SEND_TABLE_SIZE, offset))
    return msg + table


def ppi(ppi_type, value):
    return le32(16, ppi_type, 12, value)


def pkt_id(flags, ident):
    return struct.unpack('<I', struct.pack('<BBH', RNDIS_PPI_PKT_ID_V1,
                                           flags, ident))[0]


def rndis_data(frame, ppis=b''):
    """An RNDIS data message as nvsim_rx_write_msg() writes it."""
    hdr = le32(RNDIS_MSG_PACKET, RNDIS_PKT_MSG_SIZE + len(ppis) + len(frame))
    body = le32(RNDIS_PKT_SIZE + len(ppis), len(frame), 0, 0, 0,
                RNDIS_PKT_SIZE if ppis else 0, len(ppis), 0, 0)
    return hdr + body + ppis + frame


def rndis(msg_type, body):
    return le32(msg_type, 8 + len(body)) + body


def query_c(req_id, info, status=RNDIS_STATUS_SUCCESS):
    return rndis(RNDIS_MSG_QUERY_C, le32(req_id, status, len(info), 16) + info)


def indicate(status, buf=b''):
    return rndis(RNDIS_MSG_INDICATE,
                 le32(status, len(buf), 12 if buf else 0) + buf)


def init_c(req_id):
    # status, major, minor, dev_flags, medium, max_pkts 8, max_xfer,
    # alignment factor 3 (8 bytes), af list offset/size
    return rndis(RNDIS_MSG_INIT_C, le32(req_id, 0, 1, 0, 1, 0, 8, 0x4000,
                                        3, 0, 0))


def offload_caps(rev, size):
    """NDIS_OFFLOAD as nvsim_rndis.c fills it, cut to @size bytes."""
    caps = bytearray(156)
    struct.pack_into('<BBH', caps, 0, NDIS_OBJ_TYPE_OFFLOAD, rev, size)
    struct.pack_into('<8I', caps, 4, NDIS_ENCAP_8023, CSUM4, NDIS_ENCAP_8023,
                     CSUM4, NDIS_ENCAP_8023, CSUM6, NDIS_ENCAP_8023, CSUM6)
    struct.pack_into('<7I', caps, 80, NDIS_ENCAP_8023, 62780, 2,
                     NDIS_ENCAP_8023, 62780, 2, LSO6_OPTS)
    caps[144] = caps[145] = 1
    return bytes(caps[:size])


def rss_caps(queues, itab=128):
    return struct.pack('<BBHIIIH', NDIS_OBJ_TYPE_RSS_CAPS, NDIS_RSS_CAPS_REV_2,
                       18, 0, 0, queues, itab)


def frame(n, seed=0):
    eth = bytes.fromhex('00155d000102' '00155d000201' '0800')
    return (eth + bytes((seed + i) & 0xff for i in range(n)))[:max(n, 14)]


def xfer(msgs, gap=8):
    """A transfer-page packet and a receive buffer holding @msgs.

    As vmbus_sim_send_xfer(): descriptor, pageset id, range count, the
    ranges, then the NVSP SEND_RNDIS_PKT message; offset8 and len8 in
    8-byte units.  Each message starts 8-byte aligned in the buffer.
    """
    rbuf = b''
    ranges = b''
    for m in msgs:
        rbuf = rbuf.ljust((len(rbuf) + gap - 1) // gap * gap, b'\0')
        ranges += le32(len(m), len(rbuf))
        rbuf += m
    hdr_len = 24 + len(ranges)
    nv = nvsp(NVSP_MSG_SEND_RNDIS_PKT,
              le32(NVSP_RNDIS_CHANNEL_DATA, NVSP_SEND_SECTION_NONE, 0))
    total = (hdr_len + len(nv) + 7) // 8 * 8
    desc = struct.pack('<HHHHQ', VM_PKT_DATA_USING_XFER_PAGES, hdr_len // 8,
                       total // 8, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
                       0x1234)
    pkt = desc + struct.pack('<HBBI', NVSP_RECV_BUF_ID, 0, 0, len(msgs))
    pkt = (pkt + ranges + nv).ljust(total, b'\0')
    return pkt + rbuf


def rsc_rec(msg, more=0, end=False):
    """A record of the rsc_seq input: @more further ranges name @msg."""
    return struct.pack('<HH', more | (0x8000 if end else 0), len(msg)) + msg


# ctrl_seq: the kinds (NETVSC_COOKIE_KIND_*) in bits 6-7 of c, and the
# index of each expected type in fuzz_ctrl_types[] of fuzz_seq.c
CTRL_NVSP, CTRL_RNDIS = 1 << 6, 2 << 6
T_NVSP_INIT, T_SUBCHAN, T_QUERY_C, T_SET_C = 1, 4, 7, 8
SAME_TYPE = 0x80


def ctrl_get(rndis, type_idx):
    return struct.pack('<BBBBII', 0, 1 if rndis else 0, type_idx, 0, 0, 0)


def ctrl_put(slot):
    return struct.pack('<BBBBII', 1, 0, slot, 0, 0, 0)


def ctrl_answer(how, slot, kind, length, bit=0, raw=0):
    """how: 0 slot's id, 1 an earlier id, 2 slot's id with @bit flipped,
    3 @raw; the type the slot expects."""
    return struct.pack('<BBBBII', 2, how | SAME_TYPE, slot, kind | bit, raw,
                       length)


# guest -> host (netvsp_sim): include/hv_netvsc/nvsp.h, rndis_ndis.h, ppi.h
NVSP_MSG_INIT = 1
NVSP_MSG_SEND_NDIS_VER = 100
NVSP_MSG_SEND_RECV_BUF = 101
NVSP_MSG_SEND_NDIS_CONFIG = 125
NVSP_MSG_SUBCHANNEL_ALLOCATE = 1
NVSP_PROTO_VERSION_2 = 0x00030002
NVSP_RECV_BUF_ID_GUEST = 0xcafe
RNDIS_MSG_INIT = 0x2
RNDIS_MSG_HALT = 0x3
RNDIS_MSG_QUERY = 0x4
RNDIS_MSG_SET = 0x5
RNDIS_OID_GEN_CURRENT_PACKET_FILTER = 0x0001010e
RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER = 0x0001021b
NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS = 0x00010204
NDIS_OID_TCP_OFFLOAD_PARAMETERS = 0xfc01020c
NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES = 0xfc01020d
NDIS_OBJ_TYPE_DEFAULT = 0x80
NDIS_OBJ_TYPE_RSS_PARAMS = 0x89
NDIS_PPI_LSO = 2
RNDIS_CFG_PARAM_TYPE_STRING = 2
RNDIS_OID_REQ_SIZE = 20


def guest(nvsp_msg, payload=b''):
    """A guest_msg input: the NVSP message's length, it, the payload."""
    return struct.pack('<H', len(nvsp_msg)) + nvsp_msg + payload


def rndis_pkt_msg(control, size):
    """NVSP SEND_RNDIS_PKT as hv_netvsc sends it from a send section."""
    return nvsp(NVSP_MSG_SEND_RNDIS_PKT,
                le32(NVSP_RNDIS_CHANNEL_CONTROL if control else
                     NVSP_RNDIS_CHANNEL_DATA, 3, size))


def oid_req(msg_type, req_id, oid, info=b''):
    """QUERY or SET: the information right after the request."""
    return rndis(msg_type, le32(req_id, oid, len(info),
                                RNDIS_OID_REQ_SIZE if info else 0, 0) + info)


def utf16(text):
    return text.encode('utf-16-le')


def cfg_param(name, value):
    n, v = utf16(name), utf16(value)
    return le32(20, len(n), RNDIS_CFG_PARAM_TYPE_STRING, 20 + len(n),
                len(v)) + n + v


def rss_params(entries, key_len=40):
    itab = le32(*[i % 4 for i in range(entries)])
    hdr = struct.pack('<BBHHHIHHIHHIIII', NDIS_OBJ_TYPE_RSS_PARAMS, 2, 40,
                      0, 0, 0x301, len(itab), 0, 40, key_len, 0,
                      40 + len(itab), 0, 0, 0)
    return hdr + itab + bytes(range(key_len))


def tx_data(frame_bytes, ppis=b''):
    """An RNDIS data message as hv_netvsc writes it: PPIs, then the frame."""
    return rndis_data(frame_bytes, ppis)


def seeds():
    csum = ppi(NDIS_PPI_CSUM, NDIS_CSUM_RX_TCP_OK | NDIS_CSUM_RX_IP_OK)
    hashv = ppi(NDIS_PPI_HASH_VALUE, 0x5a5a1234)
    vlan = ppi(NDIS_PPI_VLAN, (10 << 4) | 3)
    hinfo = ppi(NDIS_PPI_HASH_INFO, 0x201)
    frag = [ppi(RNDIS_PPI_INTERNAL | RNDIS_PPI_PKT_ID,
                pkt_id(PKT_ID_SUBALLOC | f, 7))
            for f in (PKT_ID_FIRST, 0, PKT_ID_LAST)]
    speed = le32(100000 * 10000 // 100)    # 10 Gb/s in 100 bps units
    offload = offload_caps(3, 156)

    yield 'nvsp_msg', 'init_comp', nvsp(NVSP_MSG_INIT_COMP,
                                        le32(NVSP_PROTO_VERSION_61, 0,
                                             NVSP_STATUS_SUCCESS))
    yield 'nvsp_msg', 'recv_buf_comp', nvsp(NVSP_MSG_SEND_RECV_BUF_COMP,
                                            le32(NVSP_STATUS_SUCCESS, 1,
                                                 0, 1728, 9709, 1728 * 9709))
    yield 'nvsp_msg', 'recv_buf_comp_short', le32(NVSP_MSG_SEND_RECV_BUF_COMP,
                                                  NVSP_STATUS_SUCCESS, 1)
    yield 'nvsp_msg', 'send_buf_comp', nvsp(NVSP_MSG_SEND_SEND_BUF_COMP,
                                            le32(NVSP_STATUS_SUCCESS, 6144))
    yield 'nvsp_msg', 'send_buf_comp_fail', nvsp(NVSP_MSG_SEND_SEND_BUF_COMP,
                                                 le32(NVSP_STATUS_FAIL, 0))
    yield 'nvsp_msg', 'subchan_comp', nvsp(NVSP_MSG_SUBCHANNEL,
                                           le32(NVSP_STATUS_SUCCESS, 7))
    yield 'nvsp_msg', 'rndis_pkt_comp', nvsp(NVSP_MSG_SEND_RNDIS_PKT_COMP,
                                             le32(NVSP_STATUS_SUCCESS))
    yield 'nvsp_msg', 'vf_assoc', nvsp(NVSP_MSG_SEND_VF_ASSOCIATION,
                                       le32(0, 0))
    yield 'nvsp_msg', 'send_table', send_table(40, [i % 4 for i in range(16)])

    yield 'send_table', 'v61', send_table(40, [i % 4 for i in range(16)])
    yield 'send_table', 'v61_one_queue', send_table(40, [0] * 16)
    yield 'send_table', 'bad_offset', send_table(0xfff0, list(range(16)))
    yield 'send_table', 'beyond_queues', send_table(40, [63] * 16)

    yield 'xfer_pkt', 'data_ppis', xfer([rndis_data(frame(60),
                                                    csum + hashv + vlan)])
    yield 'xfer_pkt', 'data_plain', xfer([rndis_data(frame(1514))])
    yield 'xfer_pkt', 'data_two', xfer([rndis_data(frame(60), csum + hinfo),
                                        rndis_data(frame(90, 1), hashv)])
    yield 'xfer_pkt', 'rsc_three', xfer([
        rndis_data(frame(64, i), (csum + hashv if i == 0 else b'') + f)
        for i, f in enumerate(frag)])
    yield 'xfer_pkt', 'control', xfer([
        init_c(0x11), query_c(0x21, offload),
        rndis(RNDIS_MSG_SET_C, le32(0x31, RNDIS_STATUS_SUCCESS)),
        rndis(RNDIS_MSG_KEEPALIVE_C, le32(0x41, RNDIS_STATUS_SUCCESS)),
        rndis(RNDIS_MSG_KEEPALIVE, le32(0x51)),
        indicate(RNDIS_STATUS_LINK_SPEED_CHANGE, speed),
        indicate(RNDIS_STATUS_MEDIA_CONNECT)])

    yield 'rndis_ctrl', 'init_c', init_c(0x11)
    yield 'rndis_ctrl', 'query_c_mac', query_c(0x21, bytes.fromhex('00155d000102'))
    yield 'rndis_ctrl', 'query_c_offload', query_c(0x21, offload)
    yield 'rndis_ctrl', 'query_c_fail', query_c(0x21, b'', RNDIS_STATUS_FAILURE)
    yield 'rndis_ctrl', 'set_c', rndis(RNDIS_MSG_SET_C,
                                       le32(0x31, RNDIS_STATUS_SUCCESS))
    yield 'rndis_ctrl', 'keepalive_c', rndis(RNDIS_MSG_KEEPALIVE_C,
                                             le32(0x41, RNDIS_STATUS_SUCCESS))
    yield 'rndis_ctrl', 'keepalive', rndis(RNDIS_MSG_KEEPALIVE, le32(0x51))

    yield 'indicate', 'connect', indicate(RNDIS_STATUS_MEDIA_CONNECT)
    yield 'indicate', 'disconnect', indicate(RNDIS_STATUS_MEDIA_DISCONNECT)
    yield 'indicate', 'network_change', indicate(RNDIS_STATUS_NETWORK_CHANGE)
    yield 'indicate', 'link_speed', indicate(RNDIS_STATUS_LINK_SPEED_CHANGE,
                                             speed)

    yield 'oid_answer', 'offload_6_30', query_c(0x21, offload)
    yield 'oid_answer', 'offload_6_1', query_c(0x21, offload_caps(2, 144))
    yield 'oid_answer', 'offload_6_0', query_c(0x21, offload_caps(1, 112))
    yield 'oid_answer', 'rss_caps', query_c(0x22, rss_caps(8))
    yield 'oid_answer', 'rss_caps_no_table', query_c(0x22, rss_caps(64, 0))

    # RSC fragments (64 bytes each unless said), one record per range
    first, mid, last = (rndis_data(frame(64, i), (csum if i == 0 else b'') + f)
                        for i, f in enumerate(frag))
    big = rndis_data(frame(4000, 1), frag[1])
    plain = rndis_data(frame(60))
    yield 'rsc_seq', 'three', rsc_rec(first) + rsc_rec(mid) + rsc_rec(last)
    yield 'rsc_seq', 'orphan', rsc_rec(mid) + rsc_rec(last, end=True)
    yield 'rsc_seq', 'no_last', rsc_rec(first) + rsc_rec(mid) + rsc_rec(plain)
    yield 'rsc_seq', 'first_twice', (rsc_rec(first) + rsc_rec(first) +
                                     rsc_rec(last))
    yield 'rsc_seq', 'across_packets', (rsc_rec(first, end=True) +
                                        rsc_rec(last, end=True))
    yield 'rsc_seq', 'too_large', (rsc_rec(first) + rsc_rec(big, 127) +
                                   rsc_rec(last))
    yield 'rsc_seq', 'just_fits', (rsc_rec(first) + rsc_rec(big, 60) +
                                   rsc_rec(last))
    yield 'rsc_seq', 'too_many', (rsc_rec(first) + rsc_rec(mid, 600) +
                                  rsc_rec(last))
    yield 'rsc_seq', 'most_ranges', (rsc_rec(first) + rsc_rec(mid, 559) +
                                     rsc_rec(last))
    yield 'rsc_seq', 'two_then_plain', (rsc_rec(first) + rsc_rec(last) +
                                        rsc_rec(first) + rsc_rec(last) +
                                        rsc_rec(plain, end=True))

    # control requests and answers; slots are taken from 0 up
    nvsp40 = 40
    yield 'ctrl_seq', 'nvsp_answered', (le32(1) + ctrl_get(0, T_NVSP_INIT) +
                                        ctrl_answer(0, 0, CTRL_NVSP, nvsp40) +
                                        ctrl_put(0))
    yield 'ctrl_seq', 'rndis_answered', (le32(1) + ctrl_get(1, T_QUERY_C) +
                                         ctrl_answer(0, 0, CTRL_RNDIS, 600) +
                                         ctrl_put(0))
    yield 'ctrl_seq', 'replay', (le32(1) + ctrl_get(1, T_SET_C) +
                                 ctrl_answer(0, 0, CTRL_RNDIS, 16) +
                                 ctrl_answer(0, 0, CTRL_RNDIS, 16) +
                                 ctrl_put(0) +
                                 ctrl_answer(1, 0, CTRL_RNDIS, 16))
    yield 'ctrl_seq', 'late', (le32(1) + ctrl_get(0, T_SUBCHAN) + ctrl_put(0) +
                               ctrl_get(0, T_SUBCHAN) +
                               ctrl_answer(1, 0, CTRL_NVSP, nvsp40) +
                               ctrl_answer(0, 0, CTRL_NVSP, nvsp40))
    yield 'ctrl_seq', 'wrong_gen_kind_len', (
        le32(1) + ctrl_get(1, T_SET_C) + ctrl_get(0, T_NVSP_INIT) +
        ctrl_answer(2, 0, CTRL_RNDIS, 16, bit=4) +
        ctrl_answer(0, 0, CTRL_NVSP, 16) +
        ctrl_answer(0, 1, CTRL_NVSP, 15) +
        ctrl_answer(0, 0, CTRL_RNDIS, 5000) +
        ctrl_answer(2, 1, CTRL_NVSP, nvsp40, bit=3))
    yield 'ctrl_seq', 'slot_out_of_range', (
        le32(1) + ctrl_get(0, T_NVSP_INIT) +
        ctrl_answer(3, 0, CTRL_NVSP, nvsp40, raw=(2 << 4) | 8) +
        ctrl_answer(3, 0, CTRL_NVSP, nvsp40, raw=(2 << 4) | 15))
    yield 'ctrl_seq', 'all_slots_gen_wrap', (
        le32(0xfffffe) + b''.join(ctrl_get(i & 1, T_NVSP_INIT + 7 * (i & 1))
                                  for i in range(9)) +
        b''.join(ctrl_answer(0, i, CTRL_RNDIS if i & 1 else CTRL_NVSP,
                             16 if i & 1 else nvsp40) for i in range(8)))

    # what a guest sends the simulated host
    yield 'guest_msg', 'nvsp_init', guest(nvsp(NVSP_MSG_INIT,
                                               le32(NVSP_PROTO_VERSION_2,
                                                    NVSP_PROTO_VERSION_61)))
    yield 'guest_msg', 'nvsp_init_short', guest(le32(NVSP_MSG_INIT, 2))
    yield 'guest_msg', 'nvsp_ndis_config', guest(
        nvsp(NVSP_MSG_SEND_NDIS_CONFIG, le32(1514, 0, 0x30, 0)))
    yield 'guest_msg', 'nvsp_recv_buf', guest(
        nvsp(NVSP_MSG_SEND_RECV_BUF, le32(0x1000) +
             struct.pack('<HH', NVSP_RECV_BUF_ID_GUEST, 0)))
    yield 'guest_msg', 'nvsp_subchannel', guest(
        nvsp(NVSP_MSG_SUBCHANNEL, le32(NVSP_MSG_SUBCHANNEL_ALLOCATE, 7)))
    ctrl = [
        ('rndis_init', rndis(RNDIS_MSG_INIT, le32(1, 1, 0, 0x4000))),
        ('rndis_halt', rndis(RNDIS_MSG_HALT, le32(2))),
        ('rndis_keepalive', rndis(RNDIS_MSG_KEEPALIVE, le32(3))),
        ('rndis_keepalive_c', rndis(RNDIS_MSG_KEEPALIVE_C,
                                    le32(4, RNDIS_STATUS_SUCCESS))),
        ('query_offload', oid_req(RNDIS_MSG_QUERY, 5,
                                  NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES,
                                  struct.pack('<BBH', NDIS_OBJ_TYPE_OFFLOAD,
                                              3, 156))),
        ('set_filter', oid_req(RNDIS_MSG_SET, 6,
                               RNDIS_OID_GEN_CURRENT_PACKET_FILTER,
                               le32(0x0b))),
        ('set_offload', oid_req(RNDIS_MSG_SET, 7,
                                NDIS_OID_TCP_OFFLOAD_PARAMETERS,
                                struct.pack('<BBH', NDIS_OBJ_TYPE_DEFAULT, 3,
                                            28) +
                                bytes([1, 4, 4, 4, 4, 0, 0, 1, 1, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0]))),
        ('set_offload_nvsp4', oid_req(RNDIS_MSG_SET, 8,
                                      NDIS_OID_TCP_OFFLOAD_PARAMETERS,
                                      struct.pack('<BBH',
                                                  NDIS_OBJ_TYPE_DEFAULT, 2,
                                                  22) +
                                      bytes([1, 4, 4, 4, 4, 0, 0, 1, 1, 0,
                                             0, 0, 0, 0, 0, 0, 0, 0]))),
        ('set_rss', oid_req(RNDIS_MSG_SET, 9,
                            NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS,
                            rss_params(128))),
        ('set_rss_bad_key', oid_req(RNDIS_MSG_SET, 10,
                                    NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS,
                                    rss_params(16, 20))),
        ('set_mac', oid_req(RNDIS_MSG_SET, 11,
                            RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER,
                            cfg_param('NetworkAddress', '00155d00aa01'))),
        ('set_mac_multicast', oid_req(RNDIS_MSG_SET, 12,
                                      RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER,
                                      cfg_param('NetworkAddress',
                                                '01155d00aa01'))),
    ]
    for name, m in ctrl:
        yield 'guest_msg', name, guest(rndis_pkt_msg(True, len(m)), m)
    lso = ppi(NDIS_PPI_LSO, (1 << 30) | (34 << 20) | 1448)
    tx_csum = ppi(NDIS_PPI_CSUM, (1 << 0) | (1 << 2) | (34 << 16))
    one = tx_data(frame(60), tx_csum + vlan)
    yield 'guest_msg', 'tx_csum_vlan', guest(rndis_pkt_msg(False, len(one)),
                                             one)
    two = tx_data(frame(1514), lso) + tx_data(frame(60, 1))
    yield 'guest_msg', 'tx_lso_batch', guest(rndis_pkt_msg(False, len(two)),
                                             two)

    yield 'ppi', 'csum_hash_vlan', csum + hashv + vlan
    yield 'ppi', 'hash_info', hashv + hinfo
    yield 'ppi', 'rsc_first', csum + frag[0]
    yield 'ppi', 'rsc_last', frag[2]


def main():
    for target, name, data in seeds():
        d = os.path.join(HERE, 'corpus', target)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
