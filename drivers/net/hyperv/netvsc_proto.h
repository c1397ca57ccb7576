/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure protocol logic of hv_netvsc: the types and constants it shares
 * (request cookies, control ids, RSC and control-answer records, what the
 * host's messages say) and the checks of what the host sends
 * (netvsc_proto.c).  The builders of what we send are netvsc_build.h's,
 * the sequence machines netvsc_seq.h's.  Nothing here touches a device,
 * so all of it is exercised by KUnit over mock buffers.
 */
#ifndef _NETVSC_PROTO_H
#define _NETVSC_PROTO_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/netdev_features.h>
#include <linux/types.h>

#include <hv_netvsc/nvsp.h>
#include <hv_netvsc/ppi.h>
#include <hv_netvsc/rndis_ndis.h>

/*
 * Request cookies: the 64-bit value VMBus hands back with a completion.
 * An skb pointer for GPA-direct data packets (always >= BIT(31)), or a kind
 * and a 28-bit value below BIT(31).
 */
#define NETVSC_COOKIE_KIND		GENMASK_ULL(30, 28)
#define NETVSC_COOKIE_VAL		GENMASK_ULL(27, 0)
#define NETVSC_COOKIE_PTR_MIN		BIT_ULL(31)
#define NETVSC_COOKIE_KIND_NVSP		1	/* val: control id */
#define NETVSC_COOKIE_KIND_RNDIS	2	/* val: control id */
#define NETVSC_COOKIE_KIND_SECTION	3	/* val: send section */

static inline u64 netvsc_cookie(u32 kind, u32 val)
{
	return FIELD_PREP(NETVSC_COOKIE_KIND, kind) |
	       FIELD_PREP(NETVSC_COOKIE_VAL, val);
}

/* True when a completion's cookie is an skb rather than a kind cookie */
static inline bool netvsc_cookie_is_skb(u64 cookie)
{
	return cookie >= NETVSC_COOKIE_PTR_MIN;
}

/* A host keepalive waiting for our answer: this bit | its request id. */
#define NETVSC_KA_PENDING		BIT_ULL(32)

/* Bytes of received per-packet info we accept (and copy out). */
#define NETVSC_RX_PPI_MAX		256

/* Control ids: a slot number and a generation count, never 0. */
#define NETVSC_CTRL_ID_SLOT		GENMASK(3, 0)
#define NETVSC_CTRL_ID_GEN		GENMASK(27, 4)
/* Control requests in flight at most, and the most of an answer kept. */
#define NETVSC_CTRL_SLOTS		8
#define NETVSC_CTRL_RESP_MAX		(sizeof(struct rndis_msg) + 4096)

/**
 * struct netvsc_ctrl_want - the answer a control slot waits for
 * @id: request id (0: none); its slot number and a generation count
 * @expect: NVSP message type or RNDIS completion type of the answer
 * @kind: NETVSC_COOKIE_KIND_NVSP or NETVSC_COOKIE_KIND_RNDIS
 * @answered: an answer was taken for @id
 */
struct netvsc_ctrl_want {
	u32 id;
	u32 expect;
	u8 kind;
	bool answered;
};

/* The slot a control id names (one that names no slot gets a wrong one). */
static inline u32 netvsc_ctrl_slot_of(u32 id)
{
	return FIELD_GET(NETVSC_CTRL_ID_SLOT, id) % NETVSC_CTRL_SLOTS;
}

/**
 * struct netvsc_rx_info - offload info of one received frame
 * @csum: NDIS_CSUM_RX_* bits
 * @vlan_tci: 802.1Q TCI built from the VLAN PPI
 * @hash: RSS hash value
 * @hash_info: NDIS_RSS_HASH_* bits of the hash
 * @pkt_id_flags: RNDIS_PPI_PKT_ID_* of an RSC fragment
 * @has_csum: @csum is valid
 * @has_vlan: @vlan_tci is valid
 * @has_hash: @hash is valid
 * @has_hash_info: @hash_info is valid
 * @has_pkt_id: @pkt_id_flags is valid
 */
struct netvsc_rx_info {
	u32 csum;
	u32 hash;
	u32 hash_info;
	u16 vlan_tci;
	u8 pkt_id_flags;
	bool has_csum;
	bool has_vlan;
	bool has_hash;
	bool has_hash_info;
	bool has_pkt_id;
};

/**
 * struct netvsc_rx_pkt - where the parts of a received data message are
 * @data_off: frame offset from the start of the RNDIS message
 * @data_len: frame length
 * @ppi_off: PPI offset from the start of the RNDIS message
 * @ppi_len: PPI length (0: none)
 */
struct netvsc_rx_pkt {
	u32 data_off;
	u32 data_len;
	u32 ppi_off;
	u32 ppi_len;
};

/* Largest frame we build out of RSC fragments. */
#define NETVSC_RSC_MAX_BYTES	(256 * 1024)

/**
 * struct netvsc_rsc - fragments of one coalesced receive packet
 * @cnt: fragments collected
 * @total: their summed length, at most NETVSC_RSC_MAX_BYTES
 * @off: offset of each fragment in the receive buffer
 * @len: length of each fragment
 * @info: offload info of the first fragment
 */
struct netvsc_rsc {
	u32 cnt;
	u32 total;
	u32 off[NVSP_XFER_RANGES_MAX];
	u32 len[NVSP_XFER_RANGES_MAX];
	struct netvsc_rx_info info;
};

/**
 * struct netvsc_hw_caps - offload capabilities reduced to what we use
 * @csum_tx: NETIF_F_IP_CSUM / NETIF_F_IPV6_CSUM offered
 * @tso: NETIF_F_TSO / NETIF_F_TSO6 offered
 * @udp4_csum: UDP over IPv4 checksum offered
 * @udp6_csum: UDP over IPv6 checksum offered
 * @rsc: receive segment coalescing offered
 * @tso_max: largest LSO packet, 0 without TSO
 */
struct netvsc_hw_caps {
	netdev_features_t csum_tx;
	netdev_features_t tso;
	bool udp4_csum;
	bool udp6_csum;
	bool rsc;
	u32 tso_max;
};

u32 netvsc_ndis_version(u32 nvsp_ver);
u32 netvsc_nvsp_body_min(u32 type);
int netvsc_recv_buf_comp_check(const struct nvsp_msg_recv_buf_comp *comp,
			       u32 len, u32 buf_size, u32 *section_size,
			       u32 *sections);
int netvsc_send_buf_comp_check(const struct nvsp_msg_send_buf_comp *comp,
			       u32 buf_size, u32 *section_size,
			       u32 *sections);
int netvsc_send_table_parse(const void *msg, u32 len, u32 nvsp_ver,
			    u32 *table);
int netvsc_xfer_check(const struct vmtransfer_page_packet_header *xfer,
		      u32 pkt_len, u32 buf_size, u32 max_ranges);
int netvsc_rndis_msg_check(const struct rndis_msg *msg, u32 avail);
int netvsc_rndis_pkt_check(const struct rndis_msg *msg,
			   struct netvsc_rx_pkt *pkt);
int netvsc_ppi_parse(const u8 *ppi, u32 len, struct netvsc_rx_info *info);
u32 netvsc_rndis_comp_min(u32 type);
int netvsc_query_info(const struct rndis_msg *msg, u32 len, u32 *off,
		      u32 *info_len);
int netvsc_keepalive_parse(const struct rndis_msg *msg, u32 *req_id);
int netvsc_indicate_parse(const struct rndis_msg *msg, u32 len, u32 *status,
			  u32 *speed_mbps);
void netvsc_caps_parse(const struct ndis_offload_caps *hw, u32 len,
		       struct netvsc_hw_caps *caps);
u32 netvsc_chans_limit(u32 host_queues, u32 cpus);
int netvsc_rss_caps_parse(const struct ndis_rss_caps *caps, u32 len,
			  u32 *queues, u32 *itab);
int netvsc_subchan_comp_check(const struct nvsp_msg_subchan_comp *comp,
			      u32 asked, u32 *granted);
u32 netvsc_send_table_pick(const u32 *table, u32 hash, u32 n);

#endif /* _NETVSC_PROTO_H */
