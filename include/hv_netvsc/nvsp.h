/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVSP (Network Virtual Service Provider protocol) wire format.
 *
 * This header owns everything that travels inside a VMBus packet between the
 * netvsc guest driver and the host's netvsp: the NVSP protocol versions, the
 * message type and status numbers, one struct per message body grouped by the
 * protocol version that introduced it, the fixed 40-byte message envelope,
 * and the buffer, section, ring and channel limits both ends must agree on.
 * RNDIS messages carried by NVSP_MSG_SEND_RNDIS_PKT live in rndis_ndis.h;
 * per-packet info lives in ppi.h.
 *
 * Endianness: the wire is little-endian.  Every multi-byte field is declared
 * __le16/__le32/__le64 and code converts with le*_to_cpu()/cpu_to_le*() at
 * the point of use, so sparse (make C=2) flags any missed conversion.  Plain
 * constants and bit masks in this file are CPU-order values: apply them after
 * the conversion, e.g. le64_to_cpu(cfg->caps) & NVSP_NDIS_CAP_SRIOV.
 *
 * Packing: bodies are naturally aligned and are not __packed unless a comment
 * says why.  Every wire struct is followed by a size assert.
 */
#ifndef _HV_NETVSC_NVSP_H
#define _HV_NETVSC_NVSP_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/hyperv.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* Protocol versions, offered highest first with min == max in INIT. */
#define NVSP_PROTO_VERSION_1		0x00000002
#define NVSP_PROTO_VERSION_2		0x00030002
#define NVSP_PROTO_VERSION_4		0x00040000
#define NVSP_PROTO_VERSION_5		0x00050000
#define NVSP_PROTO_VERSION_6		0x00060000
#define NVSP_PROTO_VERSION_61		0x00060001
#define NVSP_PROTO_VERSION_INVALID	0xffffffff

/*
 * Message types.  Values are fixed by the host and must never be renumbered;
 * the comment after each group says from which NVSP version it exists.
 * Types Linux never sends nor handles are listed only so that a trace or a
 * simulated host can name them.
 */
enum nvsp_msg_type {
	NVSP_MSG_NONE				= 0,

	/* Version-independent handshake */
	NVSP_MSG_INIT				= 1,
	NVSP_MSG_INIT_COMP			= 2,

	/* NVSP 1 */
	NVSP_MSG_SEND_NDIS_VER			= 100,
	NVSP_MSG_SEND_RECV_BUF			= 101,
	NVSP_MSG_SEND_RECV_BUF_COMP		= 102,
	NVSP_MSG_REVOKE_RECV_BUF		= 103,
	NVSP_MSG_SEND_SEND_BUF			= 104,
	NVSP_MSG_SEND_SEND_BUF_COMP		= 105,
	NVSP_MSG_REVOKE_SEND_BUF		= 106,
	NVSP_MSG_SEND_RNDIS_PKT			= 107,
	NVSP_MSG_SEND_RNDIS_PKT_COMP		= 108,

	/* NVSP 2: TCP chimney offload, unused by Linux */
	NVSP_MSG_CHIMNEY_DELEGATED_BUF		= 109,
	NVSP_MSG_CHIMNEY_DELEGATED_BUF_COMP	= 110,
	NVSP_MSG_CHIMNEY_REVOKE_DELEGATED_BUF	= 111,
	NVSP_MSG_CHIMNEY_RESUME_RX_IND		= 112,
	NVSP_MSG_CHIMNEY_TERMINATE		= 113,
	NVSP_MSG_CHIMNEY_TERMINATE_COMP		= 114,
	NVSP_MSG_CHIMNEY_INDICATE_EVENT		= 115,
	NVSP_MSG_CHIMNEY_SEND_PKT		= 116,
	NVSP_MSG_CHIMNEY_SEND_PKT_COMP		= 117,
	NVSP_MSG_CHIMNEY_POST_RECV_REQ		= 118,
	NVSP_MSG_CHIMNEY_POST_RECV_REQ_COMP	= 119,

	/* NVSP 2: host-allocated receive buffers and VMQ, unused by Linux */
	NVSP_MSG_ALLOC_RXBUF			= 120,
	NVSP_MSG_ALLOC_RXBUF_COMP		= 121,
	NVSP_MSG_FREE_RXBUF			= 122,
	NVSP_MSG_SEND_VMQ_RNDIS_PKT		= 123,
	NVSP_MSG_SEND_VMQ_RNDIS_PKT_COMP	= 124,

	/* NVSP 2 */
	NVSP_MSG_SEND_NDIS_CONFIG		= 125,
	NVSP_MSG_ALLOC_CHIMNEY_HANDLE		= 126,
	NVSP_MSG_ALLOC_CHIMNEY_HANDLE_COMP	= 127,

	/* NVSP 4 */
	NVSP_MSG_SEND_VF_ASSOCIATION		= 128,
	NVSP_MSG_SWITCH_DATA_PATH		= 129,
	NVSP_MSG_UPLINK_CONNECT_STATE_DEPRECATED = 130,

	/* NVSP 5 */
	NVSP_MSG_OID_QUERY_EX			= 131,
	NVSP_MSG_OID_QUERY_EX_COMP		= 132,
	NVSP_MSG_SUBCHANNEL			= 133, /* request and completion */
	NVSP_MSG_SEND_INDIRECTION_TABLE		= 134,

	/* NVSP 6: PacketDirect, unused by Linux; bodies not defined here */
	NVSP_MSG_PD_API				= 135,
	NVSP_MSG_PD_POST_BATCH			= 136,
};

/* Status codes carried in completion messages. */
enum nvsp_status {
	NVSP_STATUS_NONE			= 0,
	NVSP_STATUS_SUCCESS			= 1,
	NVSP_STATUS_FAIL			= 2,
	NVSP_STATUS_PROTOCOL_TOO_NEW		= 3,
	NVSP_STATUS_PROTOCOL_TOO_OLD		= 4,
	NVSP_STATUS_INVALID_RNDIS_PKT		= 5,
	NVSP_STATUS_BUSY			= 6,
	NVSP_STATUS_PROTOCOL_UNSUPPORTED	= 7,
};

/* ---- Handshake (all versions) ---- */

/* NVSP_MSG_INIT, guest -> host: the version range the guest accepts. */
struct nvsp_msg_init {
	__le32 min_version;
	__le32 max_version;
};

static_assert(sizeof(struct nvsp_msg_init) == 8);

/* NVSP_MSG_INIT_COMP, host -> guest: verdict on the offered version. */
struct nvsp_msg_init_comp {
	__le32 negotiated_version;
	__le32 max_mdl_chain_len;
	__le32 status;			/* enum nvsp_status */
};

static_assert(sizeof(struct nvsp_msg_init_comp) == 12);

/* ---- NVSP 1 ---- */

/*
 * NVSP_MSG_SEND_NDIS_VER, guest -> host, no reply: the NDIS version the
 * guest speaks in RNDIS, split from NDIS_VERSION_* (rndis_ndis.h) as
 * major = ver >> 16, minor = ver & 0xffff.
 */
struct nvsp_msg_ndis_ver {
	__le32 major;
	__le32 minor;
};

static_assert(sizeof(struct nvsp_msg_ndis_ver) == 8);

/*
 * NVSP_MSG_SEND_RECV_BUF / NVSP_MSG_SEND_SEND_BUF, guest -> host: hand over a
 * GPADL-mapped buffer.  @id names the buffer in later revokes and, for the
 * receive buffer, is the xfer_pageset_id of every receive packet.
 */
struct nvsp_msg_buf {
	__le32 gpadl_handle;
	__le16 id;			/* NVSP_RECV_BUF_ID / NVSP_SEND_BUF_ID */
	__le16 reserved;		/* natural padding, sent as zero */
};

static_assert(sizeof(struct nvsp_msg_buf) == 8);

/*
 * One sub-allocation section of the receive buffer: @num_sub_allocs slots of
 * @sub_alloc_size bytes starting at @offset.  The host chooses the split;
 * Linux accepts exactly one section starting at offset 0.
 */
struct nvsp_recv_buf_section {
	__le32 offset;
	__le32 sub_alloc_size;
	__le32 num_sub_allocs;
	__le32 end_offset;
};

static_assert(sizeof(struct nvsp_recv_buf_section) == 16);

/*
 * NVSP_MSG_SEND_RECV_BUF_COMP, host -> guest.  The message length must be
 * checked against struct_size(comp, sections, num_sections) before any
 * section is read.
 */
struct nvsp_msg_recv_buf_comp {
	__le32 status;			/* enum nvsp_status */
	__le32 num_sections;
	struct nvsp_recv_buf_section sections[];
};

static_assert(sizeof(struct nvsp_msg_recv_buf_comp) == 8);

/* NVSP_MSG_SEND_SEND_BUF_COMP, host -> guest: the host picks section size. */
struct nvsp_msg_send_buf_comp {
	__le32 status;			/* enum nvsp_status */
	__le32 section_size;
};

static_assert(sizeof(struct nvsp_msg_send_buf_comp) == 8);

/* NVSP_MSG_REVOKE_RECV_BUF / NVSP_MSG_REVOKE_SEND_BUF, guest -> host. */
struct nvsp_msg_revoke_buf {
	__le16 id;
	__le16 reserved;		/* natural padding, sent as zero */
};

static_assert(sizeof(struct nvsp_msg_revoke_buf) == 4);

/* NVSP_MSG_SEND_RNDIS_PKT channel_type: which RNDIS "channel" is meant. */
#define NVSP_RNDIS_CHANNEL_DATA		0	/* RNDIS_MSG_PACKET */
#define NVSP_RNDIS_CHANNEL_CONTROL	1	/* everything else */

/* send_buf_section_index when the payload is not in the send buffer */
#define NVSP_SEND_SECTION_NONE		0xffffffff

/*
 * NVSP_MSG_SEND_RNDIS_PKT, both directions: one RNDIS message follows, either
 * in send-buffer section @section_index (guest -> host), in page ranges of
 * the VMBus packet, or in transfer pages of the receive buffer (host ->
 * guest).
 */
struct nvsp_msg_rndis_pkt {
	__le32 channel_type;		/* NVSP_RNDIS_CHANNEL_* */
	__le32 section_index;		/* or NVSP_SEND_SECTION_NONE */
	__le32 section_size;		/* bytes used; 0 if index is NONE */
};

static_assert(sizeof(struct nvsp_msg_rndis_pkt) == 12);

/* NVSP_MSG_SEND_RNDIS_PKT_COMP, both directions: frees the sender's buffers. */
struct nvsp_msg_rndis_pkt_comp {
	__le32 status;			/* enum nvsp_status */
};

static_assert(sizeof(struct nvsp_msg_rndis_pkt_comp) == 4);

/* ---- NVSP 2 ---- */

/* NVSP_MSG_SEND_NDIS_CONFIG capability bits (u64, CPU order). */
#define NVSP_NDIS_CAP_VMQ		BIT_ULL(0)
#define NVSP_NDIS_CAP_CHIMNEY		BIT_ULL(1)
#define NVSP_NDIS_CAP_SRIOV		BIT_ULL(2)
#define NVSP_NDIS_CAP_IEEE8021Q		BIT_ULL(3)
#define NVSP_NDIS_CAP_CORRELATION_ID	BIT_ULL(4)
#define NVSP_NDIS_CAP_TEAMING		BIT_ULL(5)	/* needed for link speed */
#define NVSP_NDIS_CAP_VSUBNETID		BIT_ULL(6)
#define NVSP_NDIS_CAP_RSC		BIT_ULL(7)	/* NVSP >= 6.1 */

/*
 * NVSP_MSG_SEND_NDIS_CONFIG, guest -> host, no reply.  __packed because the
 * body starts at message offset 4: with natural 8-byte alignment for @caps
 * the whole body union would move to offset 8.
 */
struct nvsp_msg_ndis_config {
	__le32 mtu;			/* netdev MTU + ETH_HLEN */
	__le32 reserved;
	__le64 caps;			/* NVSP_NDIS_CAP_* */
} __packed;

static_assert(sizeof(struct nvsp_msg_ndis_config) == 16);

/* NVSP_MSG_ALLOC_RXBUF, host -> guest (unused by Linux). */
struct nvsp_msg_alloc_rxbuf {
	__le32 alloc_id;		/* matches request and completion */
	__le32 len;
};

static_assert(sizeof(struct nvsp_msg_alloc_rxbuf) == 8);

/*
 * NVSP_MSG_ALLOC_RXBUF_COMP (unused by Linux).  __packed: the wire puts
 * @recv_buf_id directly after three u32s, at a 4-byte aligned offset.
 */
struct nvsp_msg_alloc_rxbuf_comp {
	__le32 status;			/* NDIS status */
	__le32 alloc_id;
	__le32 gpadl_handle;
	__le64 recv_buf_id;
} __packed;

static_assert(sizeof(struct nvsp_msg_alloc_rxbuf_comp) == 20);
static_assert(offsetof(struct nvsp_msg_alloc_rxbuf_comp, recv_buf_id) == 12);

/* NVSP_MSG_FREE_RXBUF (unused by Linux).  __packed: same reason as config. */
struct nvsp_msg_free_rxbuf {
	__le64 recv_buf_id;
} __packed;

static_assert(sizeof(struct nvsp_msg_free_rxbuf) == 8);

/* ---- NVSP 4 ---- */

/*
 * NVSP_MSG_SEND_VF_ASSOCIATION, host -> guest: an SR-IOV VF whose PCI slot
 * number is @serial belongs to this NIC (or went away, @allocated == 0).
 */
struct nvsp_msg_vf_assoc {
	__le32 allocated;		/* 1: @serial is valid */
	__le32 serial;
};

static_assert(sizeof(struct nvsp_msg_vf_assoc) == 8);

/* NVSP_MSG_SWITCH_DATA_PATH active_datapath values. */
enum nvsp_dp {
	NVSP_DP_SYNTHETIC	= 0,
	NVSP_DP_VF		= 1,
};

/*
 * NVSP_MSG_SWITCH_DATA_PATH, guest -> host.  The host completes it with an
 * empty VM_PKT_COMP payload, not with an NVSP message.
 */
struct nvsp_msg_switch_dp {
	__le32 active_datapath;		/* enum nvsp_dp */
};

static_assert(sizeof(struct nvsp_msg_switch_dp) == 4);

/* ---- NVSP 5 ---- */

/* NVSP_MSG_SUBCHANNEL request operations. */
enum nvsp_subchan_op {
	NVSP_SUBCHAN_NONE		= 0,
	NVSP_SUBCHAN_ALLOCATE		= 1,
};

/* NVSP_MSG_SUBCHANNEL, guest -> host: ask for extra (vRSS) channels. */
struct nvsp_msg_subchan_req {
	__le32 op;			/* enum nvsp_subchan_op */
	__le32 num_subchannels;
};

static_assert(sizeof(struct nvsp_msg_subchan_req) == 8);

/* NVSP_MSG_SUBCHANNEL completion: how many subchannels will be offered. */
struct nvsp_msg_subchan_comp {
	__le32 status;			/* enum nvsp_status */
	__le32 num_subchannels;
};

static_assert(sizeof(struct nvsp_msg_subchan_comp) == 8);

/*
 * NVSP_MSG_SEND_INDIRECTION_TABLE, host -> guest: @count __le32 channel
 * numbers at byte @offset from the start of the NVSP message (struct
 * nvsp_msg, not this body), used to pick the TX channel.  Hosts that
 * negotiated NVSP <= 6.0 send a wrong @offset; the table then sits at
 * NVSP_SEND_TABLE_OFFSET_LEGACY.  Both must be bounds-checked.
 */
struct nvsp_msg_send_table {
	__le32 count;			/* NVSP_SEND_TABLE_SIZE */
	__le32 offset;
};

static_assert(sizeof(struct nvsp_msg_send_table) == 8);

/* ---- NVSP 6: PacketDirect (NVSP_MSG_PD_API) operations, unused ---- */

enum nvsp_pd_api_op {
	NVSP_PD_OP_CONFIG		= 1,
	NVSP_PD_OP_SW_DATAPATH		= 2,
	NVSP_PD_OP_OPEN_PROVIDER	= 3,
	NVSP_PD_OP_CLOSE_PROVIDER	= 4,
	NVSP_PD_OP_CREATE_QUEUE		= 5,
	NVSP_PD_OP_FLUSH_QUEUE		= 6,
	NVSP_PD_OP_FREE_QUEUE		= 7,
	NVSP_PD_OP_ALLOC_COM_BUF	= 8,
	NVSP_PD_OP_FREE_COM_BUF		= 9,
};

/* ---- Message envelope ---- */

/*
 * Every NVSP message is a __le32 type followed by a body.  The body area is
 * 36 bytes because that is the largest body in the protocol (the PacketDirect
 * completion); the guest always sends the full 40 bytes, unused bytes zero.
 * Inbound messages may be shorter: check the VMBus payload length against
 * NVSP_MSG_HDR_SIZE + sizeof(body) before reading a body.
 */
#define NVSP_MSG_HDR_SIZE		4
#define NVSP_MSG_BODY_SIZE		36

union nvsp_msg_body {
	struct nvsp_msg_init init;
	struct nvsp_msg_init_comp init_comp;
	struct nvsp_msg_ndis_ver ndis_ver;
	struct nvsp_msg_buf recv_buf;
	struct nvsp_msg_recv_buf_comp recv_buf_comp;
	struct nvsp_msg_revoke_buf revoke_recv_buf;
	struct nvsp_msg_buf send_buf;
	struct nvsp_msg_send_buf_comp send_buf_comp;
	struct nvsp_msg_revoke_buf revoke_send_buf;
	struct nvsp_msg_rndis_pkt rndis_pkt;
	struct nvsp_msg_rndis_pkt_comp rndis_pkt_comp;
	struct nvsp_msg_ndis_config ndis_config;
	struct nvsp_msg_alloc_rxbuf alloc_rxbuf;
	struct nvsp_msg_alloc_rxbuf_comp alloc_rxbuf_comp;
	struct nvsp_msg_free_rxbuf free_rxbuf;
	struct nvsp_msg_vf_assoc vf_assoc;
	struct nvsp_msg_switch_dp switch_dp;
	struct nvsp_msg_subchan_req subchan_req;
	struct nvsp_msg_subchan_comp subchan_comp;
	struct nvsp_msg_send_table send_table;
	u8 raw[NVSP_MSG_BODY_SIZE];
};

static_assert(sizeof(union nvsp_msg_body) == NVSP_MSG_BODY_SIZE);

/**
 * struct nvsp_msg - one NVSP message as carried in a VMBus packet
 * @type: enum nvsp_msg_type
 * @body: type-specific body
 */
struct nvsp_msg {
	__le32 type;
	union nvsp_msg_body body;
};

static_assert(sizeof(struct nvsp_msg) == 40);
static_assert(offsetof(struct nvsp_msg, body) == NVSP_MSG_HDR_SIZE);

/*
 * Where the send indirection table really is when a host that negotiated
 * NVSP <= 6.0 sends NVSP_MSG_SEND_INDIRECTION_TABLE: right after a full
 * 40-byte message.
 */
#define NVSP_SEND_TABLE_OFFSET_LEGACY	sizeof(struct nvsp_msg)

/* ---- Buffers and sections ---- */

/* Buffer ids sent in NVSP_MSG_SEND_*_BUF and NVSP_MSG_REVOKE_*_BUF. */
#define NVSP_RECV_BUF_ID		0xcafe
#define NVSP_SEND_BUF_ID		0

/* Receive buffer: the largest size a host accepts, and our default. */
#define NVSP_RECV_BUF_SIZE_MAX		(31 * SZ_1M)
#define NVSP_RECV_BUF_SIZE_MAX_LEGACY	(15 * SZ_1M)	/* NVSP <= 2 */
#define NVSP_RECV_BUF_SIZE_DEFAULT	(16 * SZ_1M)

/* Send buffer: the largest size a host accepts, and our default. */
#define NVSP_SEND_BUF_SIZE_MAX		(15 * SZ_1M)
#define NVSP_SEND_BUF_SIZE_DEFAULT	SZ_1M

/*
 * Section sizes the guest assumes when sizing buffers; the host reports the
 * real ones (sub_alloc_size, section_size) and those win.
 */
#define NVSP_RECV_SECTION_SIZE		1728
#define NVSP_SEND_SECTION_SIZE		6144

/* A host-reported section must hold at least a minimum-MTU frame. */
#define NVSP_SECTION_SIZE_MIN		68	/* ETH_MIN_MTU */

/* Section counts: lower bound for ethtool -G, and the defaults. */
#define NVSP_RECV_SECTIONS_MIN		10
#define NVSP_SEND_SECTIONS_MIN		10
#define NVSP_RECV_SECTIONS_DEFAULT	\
	(NVSP_RECV_BUF_SIZE_DEFAULT / NVSP_RECV_SECTION_SIZE)	/* 9709 */
#define NVSP_SEND_SECTIONS_DEFAULT	\
	(NVSP_SEND_BUF_SIZE_DEFAULT / NVSP_SEND_SECTION_SIZE)	/* 170 */

/* ---- MTU ---- */

#define NVSP_MTU_MAX_V1			1500		/* NVSP 1 */
#define NVSP_MTU_MAX			(65535 - 14)	/* NVSP >= 2, minus ETH_HLEN */

/* ---- Channels ---- */

#define NVSP_VRSS_CHANNEL_MAX		64	/* primary + subchannels */
#define NVSP_SEND_TABLE_SIZE		16	/* entries; a power of 2 */

/* Per-direction VMBus ring size per channel, in 4 KiB pages. */
#define NVSP_RING_PAGES_MIN		64
#define NVSP_RING_PAGES_DEFAULT		128

/* ---- VMBus packet limits ---- */

/*
 * Page ranges in one guest -> host GPA-direct packet: MAX_PAGE_BUFFER_COUNT
 * (32) from <linux/hyperv.h>.
 *
 * Transfer-page ranges in one host -> guest receive packet: up to 562 with
 * RSC, 375 for NDIS >= 6.0 without RSC, 64 before NDIS 6.0.
 */
#define NVSP_XFER_RANGES_MAX		562
#define NVSP_XFER_RANGES_MAX_NO_RSC	375
#define NVSP_XFER_RANGES_MAX_NDIS5	64

/*
 * Size of struct vmtransfer_page_packet_header without its ranges.  Use this
 * (or offsetof) and never sizeof(): the struct ends in ranges[1] in 6.1 and
 * in a flexible array in 6.12, so sizeof() differs between the two.
 */
#define NVSP_XFER_HDR_SIZE		24
#define NVSP_XFER_PKT_SIZE(nranges)	\
	(NVSP_XFER_HDR_SIZE + (nranges) * sizeof(struct vmtransfer_page_range))

static_assert(sizeof(struct vmpacket_descriptor) == 16);
static_assert(sizeof(struct vmtransfer_page_range) == 8);
static_assert(offsetof(struct vmtransfer_page_packet_header, ranges) ==
	      NVSP_XFER_HDR_SIZE);

/*
 * Largest inbound VMBus packet: a receive packet with the most ranges, or an
 * NVSP message followed by a send indirection table.
 */
#define NVSP_MAX_PKT_SIZE						\
	(NVSP_XFER_PKT_SIZE(NVSP_XFER_RANGES_MAX) + sizeof(struct nvsp_msg) + \
	 NVSP_SEND_TABLE_SIZE * sizeof(__le32))

static_assert(NVSP_MAX_PKT_SIZE == 4624);

#endif /* _HV_NETVSC_NVSP_H */
