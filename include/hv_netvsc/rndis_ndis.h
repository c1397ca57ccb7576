/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RNDIS message bodies and NDIS objects used over NVSP.
 *
 * This header owns the parts of RNDIS and NDIS that netvsc needs and that
 * <linux/rndis.h> does not define: the RNDIS message header and the body of
 * each message, the NDIS versions sent in NVSP_MSG_SEND_NDIS_VER, the OIDs
 * added by NDIS 6 (RSS, task offload), the NDIS object header, the receive
 * side scaling capabilities/parameters objects, the task-offload
 * capabilities/parameters objects, and the config-parameter record used to
 * set the MAC address.  RNDIS message type numbers (RNDIS_MSG_*), statuses
 * (RNDIS_STATUS_*), the older OIDs (RNDIS_OID_*), packet filter bits
 * (RNDIS_PACKET_TYPE_*) and RNDIS_MAJOR/MINOR_VERSION come from
 * <linux/rndis.h> and are not repeated here.  Per-packet info is in ppi.h.
 *
 * Endianness: the wire is little-endian.  Multi-byte fields are
 * __le16/__le32 and are converted with le*_to_cpu()/cpu_to_le*() at the point
 * of use; constants and masks are CPU-order values.
 *
 * Offsets: the offset fields of a message body (data, PPI, info and status
 * buffers) count from the start of that body, i.e. from the byte after
 * struct rndis_hdr, not from the start of the message; offsets inside a
 * record (config parameter, PPI, NDIS object) count from the start of that
 * record.  Hosts are untrusted: every offset/length pair must be checked
 * against the received length.
 */
#ifndef _HV_NETVSC_RNDIS_NDIS_H
#define _HV_NETVSC_RNDIS_NDIS_H

#include <linux/build_bug.h>
#include <linux/rndis.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* ---- Versions and defaults ---- */

/* NDIS versions the guest announces: 6.1 up to NVSP 4, 6.30 from NVSP 5. */
#define NDIS_VERSION_6_1		0x00060001
#define NDIS_VERSION_6_30		0x0006001e

/* max_xfer_size the guest offers in RNDIS_MSG_INIT */
#define RNDIS_INIT_MAX_XFER_SIZE	0x4000

/* Packet batching limits assumed until RNDIS_MSG_INIT_C reports them. */
#define RNDIS_INIT_MAX_PKTS_DEFAULT	8
#define RNDIS_INIT_PKT_ALIGN_DEFAULT	8	/* bytes */

/*
 * NDIS 6 status indications (RNDIS_MSG_INDICATE) missing from
 * <linux/rndis.h>.  Hosts may send them; Linux ignores them.
 */
#define NDIS_STATUS_LINK_STATE			0x40010017
#define NDIS_STATUS_PACKET_FILTER		0x40010024
#define NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG	0x40020006

/* ---- RNDIS messages ---- */

/**
 * struct rndis_hdr - header of every RNDIS message
 * @msg_type: RNDIS_MSG_* from <linux/rndis.h>
 * @msg_len: length of the whole message including this header, in bytes
 */
struct rndis_hdr {
	__le32 msg_type;
	__le32 msg_len;
};

static_assert(sizeof(struct rndis_hdr) == 8);

#define RNDIS_HDR_SIZE			sizeof(struct rndis_hdr)

/*
 * RNDIS_MSG_PACKET: one data frame.  All offsets are from the start of this
 * body.  The guest puts per-packet info right after the body
 * (@ppi_offset == sizeof(struct rndis_pkt)) and the frame after the PPIs.
 */
struct rndis_pkt {
	__le32 data_offset;
	__le32 data_len;
	__le32 oob_data_offset;
	__le32 oob_data_len;
	__le32 num_oob_data_elements;
	__le32 ppi_offset;
	__le32 ppi_len;
	__le32 vc_handle;		/* 0: connectionless */
	__le32 reserved;
};

static_assert(sizeof(struct rndis_pkt) == 36);

/* A data message with no PPIs: header + body. */
#define RNDIS_PKT_MSG_SIZE		(RNDIS_HDR_SIZE + sizeof(struct rndis_pkt))

/* RNDIS_MSG_INIT, guest -> host. */
struct rndis_init_req {
	__le32 req_id;
	__le32 major_ver;		/* RNDIS_MAJOR_VERSION */
	__le32 minor_ver;		/* RNDIS_MINOR_VERSION */
	__le32 max_xfer_size;		/* RNDIS_INIT_MAX_XFER_SIZE */
};

static_assert(sizeof(struct rndis_init_req) == 16);

/*
 * RNDIS_MSG_INIT_C, host -> guest.  @max_pkt_per_msg and
 * @pkt_alignment_factor (alignment = 1 << factor) bound TX batching in one
 * send-buffer section.
 */
struct rndis_init_comp {
	__le32 req_id;
	__le32 status;			/* RNDIS_STATUS_* */
	__le32 major_ver;
	__le32 minor_ver;
	__le32 dev_flags;		/* RNDIS_DF_* */
	__le32 medium;			/* RNDIS_MEDIUM_* */
	__le32 max_pkt_per_msg;
	__le32 max_xfer_size;
	__le32 pkt_alignment_factor;
	__le32 af_list_offset;		/* call managers only */
	__le32 af_list_size;
};

static_assert(sizeof(struct rndis_init_comp) == 44);

/* RNDIS_MSG_HALT, guest -> host, no reply. */
struct rndis_halt_req {
	__le32 req_id;
};

static_assert(sizeof(struct rndis_halt_req) == 4);

/*
 * RNDIS_MSG_QUERY and RNDIS_MSG_SET, guest -> host.  The information buffer
 * (@info_buflen bytes) follows at @info_buf_offset, normally
 * sizeof(struct rndis_oid_req); for a query it carries the input object
 * (e.g. an NDIS object header saying which revision is wanted), if any.
 */
struct rndis_oid_req {
	__le32 req_id;
	__le32 oid;			/* RNDIS_OID_* or NDIS_OID_* */
	__le32 info_buflen;
	__le32 info_buf_offset;
	__le32 dev_vc_handle;
	u8 info_buf[];
};

static_assert(sizeof(struct rndis_oid_req) == 20);

/* RNDIS_MSG_QUERY_C, host -> guest: result in the info buffer. */
struct rndis_query_comp {
	__le32 req_id;
	__le32 status;			/* RNDIS_STATUS_* */
	__le32 info_buflen;
	__le32 info_buf_offset;
};

static_assert(sizeof(struct rndis_query_comp) == 16);

/* RNDIS_MSG_SET_C and RNDIS_MSG_KEEPALIVE_C: request id and verdict. */
struct rndis_status_comp {
	__le32 req_id;
	__le32 status;			/* RNDIS_STATUS_* */
};

static_assert(sizeof(struct rndis_status_comp) == 8);

/* RNDIS_MSG_RESET, guest -> host (unused by Linux). */
struct rndis_reset_req {
	__le32 reserved;
};

static_assert(sizeof(struct rndis_reset_req) == 4);

/* RNDIS_MSG_RESET_C, host -> guest (unused by Linux). */
struct rndis_reset_comp {
	__le32 status;
	__le32 addressing_reset;
};

static_assert(sizeof(struct rndis_reset_comp) == 8);

/*
 * RNDIS_MSG_INDICATE, host -> guest: an unsolicited status such as
 * RNDIS_STATUS_MEDIA_CONNECT, with optional data at @status_buf_offset
 * (a __le32 in 100 bps units for RNDIS_STATUS_LINK_SPEED_CHANGE).
 */
struct rndis_status_ind {
	__le32 status;			/* RNDIS_STATUS_* */
	__le32 status_buflen;
	__le32 status_buf_offset;
};

static_assert(sizeof(struct rndis_status_ind) == 12);

/* Status buffer of an error indication: what failed and where. */
struct rndis_diag_info {
	__le32 diag_status;
	__le32 error_offset;
};

static_assert(sizeof(struct rndis_diag_info) == 8);

/* RNDIS_MSG_KEEPALIVE, host -> guest; answered with RNDIS_MSG_KEEPALIVE_C. */
struct rndis_keepalive_req {
	__le32 req_id;
};

static_assert(sizeof(struct rndis_keepalive_req) == 4);

/* Bodies of the RNDIS messages netvsc sends or receives. */
union rndis_msg_body {
	struct rndis_pkt pkt;
	struct rndis_init_req init_req;
	struct rndis_init_comp init_comp;
	struct rndis_halt_req halt_req;
	struct rndis_oid_req query_req;
	struct rndis_query_comp query_comp;
	struct rndis_oid_req set_req;
	struct rndis_status_comp set_comp;
	struct rndis_reset_req reset_req;
	struct rndis_reset_comp reset_comp;
	struct rndis_status_ind indicate;
	struct rndis_keepalive_req keepalive_req;
	struct rndis_status_comp keepalive_comp;
};

static_assert(sizeof(union rndis_msg_body) == 44);

/**
 * struct rndis_msg - fixed part of any RNDIS message
 * @hdr: type and total length
 * @body: type-specific body; variable data follows at the body's offsets
 *
 * sizeof(struct rndis_msg) is the largest fixed part (RNDIS_MSG_INIT_C), so a
 * buffer of this size holds any control message header or a data message
 * header; it is not the size of any particular message on the wire.
 */
struct rndis_msg {
	struct rndis_hdr hdr;
	union rndis_msg_body body;
};

static_assert(sizeof(struct rndis_msg) == 52);
static_assert(offsetof(struct rndis_msg, body) == RNDIS_HDR_SIZE);

/* ---- RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER ---- */

#define RNDIS_CFG_PARAM_TYPE_INTEGER	0
#define RNDIS_CFG_PARAM_TYPE_STRING	2

/* Parameter that sets the MAC address: 12 hex digits, both in UTF-16LE. */
#define RNDIS_CFG_NETWORK_ADDRESS	"NetworkAddress"

/*
 * Info buffer of a config-parameter SET: this record, then the UTF-16LE name
 * and value at the given offsets (from the start of this record).
 */
struct rndis_cfg_param {
	__le32 name_offset;
	__le32 name_len;		/* bytes */
	__le32 type;			/* RNDIS_CFG_PARAM_TYPE_* */
	__le32 value_offset;
	__le32 value_len;		/* bytes */
};

static_assert(sizeof(struct rndis_cfg_param) == 20);

/* ---- NDIS 6 OIDs missing from <linux/rndis.h> ---- */

#define NDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES		0x00010203 /* query */
#define NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS		0x00010204 /* set */
#define NDIS_OID_OFFLOAD_ENCAPSULATION			0x0101010a
#define NDIS_OID_TCP_OFFLOAD_CURRENT_CONFIG		0xfc01020b /* query */
#define NDIS_OID_TCP_OFFLOAD_PARAMETERS			0xfc01020c /* set */
#define NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES	0xfc01020d /* query */
#define NDIS_OID_TCP_CONNECTION_OFFLOAD_CURRENT_CONFIG	0xfc01020e /* query */
#define NDIS_OID_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES 0xfc01020f

/* ---- NDIS object header ---- */

/* Object types */
#define NDIS_OBJ_TYPE_DEFAULT		0x80	/* offload parameters */
#define NDIS_OBJ_TYPE_RSS_CAPS		0x88
#define NDIS_OBJ_TYPE_RSS_PARAMS	0x89
#define NDIS_OBJ_TYPE_OFFLOAD		0xa7	/* offload capabilities */

/**
 * struct ndis_obj_hdr - header that opens every NDIS 6 object
 * @type: NDIS_OBJ_TYPE_*
 * @rev: revision of the object layout
 * @size: size of the object in bytes, this header included
 */
struct ndis_obj_hdr {
	u8 type;
	u8 rev;
	__le16 size;
};

static_assert(sizeof(struct ndis_obj_hdr) == 4);

/* ---- Receive side scaling ---- */

#define NDIS_RSS_CAPS_REV_2		2
#define NDIS_RSS_PARAMS_REV_2		2

/* ndis_rss_caps.cap_flags (Linux ignores them) */
#define NDIS_RSS_CAP_HASH_TYPE_TCP_IPV4		0x00000100
#define NDIS_RSS_CAP_HASH_TYPE_TCP_IPV6		0x00000200
#define NDIS_RSS_CAP_HASH_TYPE_TCP_IPV6_EX	0x00000400
#define NDIS_RSS_CAP_MSI			0x01000000
#define NDIS_RSS_CAP_CLASSIFICATION_AT_ISR	0x02000000
#define NDIS_RSS_CAP_CLASSIFICATION_AT_DPC	0x04000000
#define NDIS_RSS_CAP_USING_MSI_X		0x08000000
#define NDIS_RSS_CAP_RSS_AVAILABLE_ON_PORTS	0x10000000
#define NDIS_RSS_CAP_SUPPORTS_MSI_X		0x20000000

/*
 * NDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES, revision 2.  __packed: NDIS
 * declares this object as 18 bytes (hdr.size == 18), so there must be no
 * tail padding after @num_indirect_tabent.
 */
struct ndis_rss_caps {
	struct ndis_obj_hdr hdr;	/* RSS_CAPS, rev 2, size 18 */
	__le32 cap_flags;		/* NDIS_RSS_CAP_* */
	__le32 num_int_msg;
	__le32 num_recv_queues;
	__le16 num_indirect_tabent;	/* 0 or > NDIS_RSS_ITAB_MAX: use 128 */
} __packed;

static_assert(sizeof(struct ndis_rss_caps) == 18);
static_assert(offsetof(struct ndis_rss_caps, num_recv_queues) == 12);
static_assert(offsetof(struct ndis_rss_caps, num_indirect_tabent) == 16);

/* ndis_rss_params.flags */
#define NDIS_RSS_PARAM_BASE_CPU_UNCHANGED	0x0001
#define NDIS_RSS_PARAM_HASH_INFO_UNCHANGED	0x0002
#define NDIS_RSS_PARAM_ITABLE_UNCHANGED		0x0004
#define NDIS_RSS_PARAM_HASH_KEY_UNCHANGED	0x0008
#define NDIS_RSS_PARAM_DISABLE_RSS		0x0010

/*
 * Hash information: ndis_rss_params.hash_info and the NDIS_PPI_HASH_INFO
 * per-packet info.  Low byte: hash function; next two bytes: hash types.
 */
#define NDIS_RSS_HASH_FUNC_MASK		0x000000ff
#define NDIS_RSS_HASH_FUNC_TOEPLITZ	0x00000001
#define NDIS_RSS_HASH_TYPE_MASK		0x00ffff00
#define NDIS_RSS_HASH_IPV4		0x00000100
#define NDIS_RSS_HASH_TCP_IPV4		0x00000200
#define NDIS_RSS_HASH_IPV6		0x00000400
#define NDIS_RSS_HASH_IPV6_EX		0x00000800
#define NDIS_RSS_HASH_TCP_IPV6		0x00001000
#define NDIS_RSS_HASH_TCP_IPV6_EX	0x00002000
#define NDIS_RSS_HASH_UDP_IPV4		0x00004000	/* Hyper-V extension */

/* Indirection table entries and Toeplitz key size. */
#define NDIS_RSS_ITAB_DEFAULT		128	/* when the host gives none */
#define NDIS_RSS_ITAB_MAX		256
#define NDIS_RSS_KEY_SIZE		40
#define NDIS_RSS_ITAB_MAX_BYTES_REV_2	(128 * sizeof(__le32))

/*
 * NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS, revision 2, natural alignment.  The
 * info buffer is this object, then @itab_size bytes of __le32 channel indexes
 * at @itab_offset, then the Toeplitz key at @key_offset; both offsets count
 * from the start of this object.  hdr.size is sizeof(struct ndis_rss_params),
 * not the total.  The reserved fields are the natural padding, spelled out.
 */
struct ndis_rss_params {
	struct ndis_obj_hdr hdr;	/* RSS_PARAMS, rev 2, size 40 */
	__le16 flags;			/* NDIS_RSS_PARAM_* */
	__le16 base_cpu;		/* 0 */
	__le32 hash_info;		/* NDIS_RSS_HASH_* */
	__le16 itab_size;		/* bytes: 4 * entries */
	__le16 reserved1;
	__le32 itab_offset;
	__le16 key_size;		/* NDIS_RSS_KEY_SIZE */
	__le16 reserved2;
	__le32 key_offset;
	__le32 proc_masks_offset;	/* 0 */
	__le32 num_proc_masks;		/* 0 */
	__le32 proc_masks_entry_size;	/* 0 */
};

static_assert(sizeof(struct ndis_rss_params) == 40);
static_assert(offsetof(struct ndis_rss_params, flags) == 4);
static_assert(offsetof(struct ndis_rss_params, hash_info) == 8);
static_assert(offsetof(struct ndis_rss_params, itab_size) == 12);
static_assert(offsetof(struct ndis_rss_params, itab_offset) == 16);
static_assert(offsetof(struct ndis_rss_params, key_size) == 20);
static_assert(offsetof(struct ndis_rss_params, key_offset) == 24);
static_assert(offsetof(struct ndis_rss_params, proc_masks_offset) == 28);
static_assert(offsetof(struct ndis_rss_params, proc_masks_entry_size) == 36);

/* ---- Task offload: capabilities (NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPS) ---- */

#define NDIS_OFFLOAD_REV_1		1	/* NDIS 6.0, 112 bytes */
#define NDIS_OFFLOAD_REV_2		2	/* NDIS 6.1, 144 bytes */
#define NDIS_OFFLOAD_REV_3		3	/* NDIS 6.30, 156 bytes */

/* Encapsulation bits (*_encap fields) */
#define NDIS_ENCAP_NONE			0x0000
#define NDIS_ENCAP_NULL			0x0001
#define NDIS_ENCAP_8023			0x0002
#define NDIS_ENCAP_8023PQ		0x0004
#define NDIS_ENCAP_8023PQ_OOB		0x0008
#define NDIS_ENCAP_RFC1483		0x0010

/* IPv4 checksum capability bits (ip4_txcsum, ip4_rxcsum) */
#define NDIS_CSUM_CAP_IP4OPT		0x0001
#define NDIS_CSUM_CAP_TCP4OPT		0x0004
#define NDIS_CSUM_CAP_TCP4		0x0010
#define NDIS_CSUM_CAP_UDP4		0x0040
#define NDIS_CSUM_CAP_IP4		0x0100

/* IPv6 checksum capability bits (ip6_txcsum, ip6_rxcsum) */
#define NDIS_CSUM_CAP_IP6EXT		0x0001
#define NDIS_CSUM_CAP_TCP6OPT		0x0004
#define NDIS_CSUM_CAP_TCP6		0x0010
#define NDIS_CSUM_CAP_UDP6		0x0040

/* LSOv2 IPv6 option bits (ndis_lsov2_caps.ip6_opts) */
#define NDIS_LSOV2_CAP_IP6_EXT		0x0001
#define NDIS_LSOV2_CAP_IP6_TCPOPT	0x0004

/* Checksum offload, per IP version and direction. */
struct ndis_csum_caps {
	__le32 ip4_txenc;		/* NDIS_ENCAP_* */
	__le32 ip4_txcsum;		/* NDIS_CSUM_CAP_*4* */
	__le32 ip4_rxenc;
	__le32 ip4_rxcsum;
	__le32 ip6_txenc;
	__le32 ip6_txcsum;		/* NDIS_CSUM_CAP_*6* */
	__le32 ip6_rxenc;
	__le32 ip6_rxcsum;
};

static_assert(sizeof(struct ndis_csum_caps) == 32);

/* Large send offload version 1 (IPv4 only). */
struct ndis_lsov1_caps {
	__le32 encap;
	__le32 max_size;
	__le32 min_segs;
	__le32 opts;
};

static_assert(sizeof(struct ndis_lsov1_caps) == 16);

/* IPsec offload version 1 (unused by Linux). */
struct ndis_ipsecv1_caps {
	__le32 encap;
	__le32 ah_esp;
	__le32 xport_tun;
	__le32 ip4_opts;
	__le32 flags;
	__le32 ip4_ah;
	__le32 ip4_esp;
};

static_assert(sizeof(struct ndis_ipsecv1_caps) == 28);

/* Large send offload version 2: what TSO/TSO6 are built on. */
struct ndis_lsov2_caps {
	__le32 ip4_encap;		/* needs NDIS_ENCAP_8023 */
	__le32 ip4_max_size;
	__le32 ip4_min_segs;
	__le32 ip6_encap;
	__le32 ip6_max_size;
	__le32 ip6_min_segs;
	__le32 ip6_opts;		/* NDIS_LSOV2_CAP_* */
};

static_assert(sizeof(struct ndis_lsov2_caps) == 28);

/* IPsec offload version 2, NDIS >= 6.1 (unused by Linux). */
struct ndis_ipsecv2_caps {
	__le32 encap;
	u8 ip6;
	u8 ip4_opts;
	u8 ip6_ext;
	u8 ah;
	u8 esp;
	u8 ah_esp;
	u8 xport;
	u8 tun;
	u8 xport_tun;
	u8 lso;
	u8 ext_seq;
	u8 reserved;			/* natural padding */
	__le32 udp_esp;
	__le32 auth;
	__le32 crypto;
	__le32 sa_caps;
};

static_assert(sizeof(struct ndis_ipsecv2_caps) == 32);
static_assert(offsetof(struct ndis_ipsecv2_caps, udp_esp) == 16);

/* Receive segment coalescing, NDIS >= 6.30: host-side LRO. */
struct ndis_rsc_caps {
	u8 ip4;
	u8 ip6;
	u8 reserved[2];			/* natural padding */
};

static_assert(sizeof(struct ndis_rsc_caps) == 4);

/* Encapsulated-packet (GRE) offload, NDIS >= 6.30 (unused by Linux). */
struct ndis_encap_caps {
	__le32 flags;
	__le32 max_hdr_size;
};

static_assert(sizeof(struct ndis_encap_caps) == 8);

/*
 * Reply to NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES.  Older revisions are a
 * prefix of this layout; hdr.size says how much the host filled in and must
 * be at least NDIS_OFFLOAD_CAPS_SIZE_6_0.
 */
struct ndis_offload_caps {
	struct ndis_obj_hdr hdr;	/* OFFLOAD, NDIS_OFFLOAD_REV_* */
	struct ndis_csum_caps csum;
	struct ndis_lsov1_caps lsov1;
	struct ndis_ipsecv1_caps ipsecv1;
	struct ndis_lsov2_caps lsov2;
	__le32 flags;
	/* NDIS >= 6.1 */
	struct ndis_ipsecv2_caps ipsecv2;
	/* NDIS >= 6.30 */
	struct ndis_rsc_caps rsc;
	struct ndis_encap_caps encap_gre;
};

static_assert(offsetof(struct ndis_offload_caps, csum) == 4);
static_assert(offsetof(struct ndis_offload_caps, lsov1) == 36);
static_assert(offsetof(struct ndis_offload_caps, ipsecv1) == 52);
static_assert(offsetof(struct ndis_offload_caps, lsov2) == 80);
static_assert(offsetof(struct ndis_offload_caps, flags) == 108);
static_assert(offsetof(struct ndis_offload_caps, ipsecv2) == 112);
static_assert(offsetof(struct ndis_offload_caps, rsc) == 144);
static_assert(offsetof(struct ndis_offload_caps, encap_gre) == 148);
static_assert(sizeof(struct ndis_offload_caps) == 156);

/* hdr.size per revision */
#define NDIS_OFFLOAD_CAPS_SIZE_6_0	\
	offsetof(struct ndis_offload_caps, ipsecv2)	/* 112 */
#define NDIS_OFFLOAD_CAPS_SIZE_6_1	\
	offsetof(struct ndis_offload_caps, rsc)		/* 144 */
#define NDIS_OFFLOAD_CAPS_SIZE_6_30	\
	sizeof(struct ndis_offload_caps)		/* 156 */

/* ---- Task offload: parameters (NDIS_OID_TCP_OFFLOAD_PARAMETERS) ---- */

#define NDIS_OFFLOAD_CFG_REV_1		1
#define NDIS_OFFLOAD_CFG_REV_2		2
#define NDIS_OFFLOAD_CFG_REV_3		3	/* what Linux sends */

/* Every field: 0 leaves the current setting alone. */
#define NDIS_OFFLOAD_CFG_NO_CHANGE	0

/* Checksum fields */
#define NDIS_OFFLOAD_CFG_TX_RX_DISABLED	1
#define NDIS_OFFLOAD_CFG_TX_ENABLED_RX_DISABLED	2
#define NDIS_OFFLOAD_CFG_RX_ENABLED_TX_DISABLED	3
#define NDIS_OFFLOAD_CFG_TX_RX_ENABLED	4

/* LSOv1, LSOv2 and RSC fields */
#define NDIS_OFFLOAD_CFG_DISABLED	1
#define NDIS_OFFLOAD_CFG_ENABLED	2

/*
 * Info buffer of NDIS_OID_TCP_OFFLOAD_PARAMETERS.  Hosts that negotiated
 * NVSP <= 4 take only the first NDIS_OFFLOAD_CFG_SIZE_NVSP4 bytes (and no
 * UDP checksum settings).  The reserved fields are the natural padding.
 */
struct ndis_offload_cfg {
	struct ndis_obj_hdr hdr;	/* DEFAULT, rev 3, size */
	u8 ip4_csum;			/* Linux: TX_RX_DISABLED */
	u8 tcp4_csum;
	u8 udp4_csum;
	u8 tcp6_csum;
	u8 udp6_csum;
	u8 lsov1;
	u8 ipsecv1;
	u8 lsov2_ip4;
	u8 lsov2_ip6;
	u8 tcp_conn_ip4;
	u8 tcp_conn_ip6;
	u8 reserved1;
	__le32 flags;
	u8 ipsecv2;
	u8 ipsecv2_ip4;
	u8 rsc_ip4;
	u8 rsc_ip6;
	u8 encap_task_offload;
	u8 encap_types;
	u8 reserved2[2];
};

static_assert(offsetof(struct ndis_offload_cfg, ip4_csum) == 4);
static_assert(offsetof(struct ndis_offload_cfg, tcp_conn_ip6) == 14);
static_assert(offsetof(struct ndis_offload_cfg, flags) == 16);
static_assert(offsetof(struct ndis_offload_cfg, rsc_ip4) == 22);
static_assert(offsetof(struct ndis_offload_cfg, encap_types) == 25);
static_assert(sizeof(struct ndis_offload_cfg) == 28);

#define NDIS_OFFLOAD_CFG_SIZE		sizeof(struct ndis_offload_cfg)
#define NDIS_OFFLOAD_CFG_SIZE_NVSP4	\
	offsetof(struct ndis_offload_cfg, rsc_ip4)	/* 22 */

#endif /* _HV_NETVSC_RNDIS_NDIS_H */
