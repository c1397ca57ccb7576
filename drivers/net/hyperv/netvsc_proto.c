// SPDX-License-Identifier: GPL-2.0
/*
 * What the host sends, checked with no device behind it: buffer
 * completions, transfer-page packets, RNDIS messages, per-packet info,
 * indications, offload and RSS capabilities, the send table.  This is the
 * trust boundary: every host-supplied offset and length goes through
 * netvsc_range_ok() or netvsc_subrange_ok(), and callers pass private
 * copies, never shared memory.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/netdevice.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "netvsc_compat.h"
#include "netvsc_proto.h"
#include "netvsc_validate.h"

/**
 * netvsc_ndis_version - NDIS version to announce for an NVSP version
 * @nvsp_ver: negotiated NVSP version
 *
 * Return: NDIS_VERSION_6_30 from NVSP 5 on, NDIS_VERSION_6_1 before.
 */
u32 netvsc_ndis_version(u32 nvsp_ver)
{
	return nvsp_ver >= NVSP_PROTO_VERSION_5 ? NDIS_VERSION_6_30 :
						  NDIS_VERSION_6_1;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ndis_version);

/**
 * netvsc_nvsp_body_min - smallest valid body of an inbound NVSP message
 * @type: enum nvsp_msg_type
 *
 * Return: bytes of body a message of @type must carry after its type word;
 * 0 for types whose body we never read.
 */
u32 netvsc_nvsp_body_min(u32 type)
{
	switch (type) {
	case NVSP_MSG_INIT_COMP:
		return sizeof(struct nvsp_msg_init_comp);
	case NVSP_MSG_SEND_RECV_BUF_COMP:
		return sizeof(struct nvsp_msg_recv_buf_comp);
	case NVSP_MSG_SEND_SEND_BUF_COMP:
		return sizeof(struct nvsp_msg_send_buf_comp);
	case NVSP_MSG_SEND_RNDIS_PKT:
		return sizeof(struct nvsp_msg_rndis_pkt);
	case NVSP_MSG_SEND_RNDIS_PKT_COMP:
		return sizeof(struct nvsp_msg_rndis_pkt_comp);
	case NVSP_MSG_SUBCHANNEL:
		return sizeof(struct nvsp_msg_subchan_comp);
	case NVSP_MSG_SEND_INDIRECTION_TABLE:
		return sizeof(struct nvsp_msg_send_table);
	case NVSP_MSG_SEND_VF_ASSOCIATION:
		return sizeof(struct nvsp_msg_vf_assoc);
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_nvsp_body_min);

/**
 * netvsc_recv_buf_comp_check - validate the host's receive-buffer answer
 * @comp: private copy of the completion body
 * @len: bytes of body received
 * @buf_size: size of the receive buffer we offered
 * @section_size: out: bytes per receive section
 * @sections: out: number of receive sections
 *
 * Return: 0, -EIO if the host refused, -EPROTO if the answer is malformed.
 */
int netvsc_recv_buf_comp_check(const struct nvsp_msg_recv_buf_comp *comp,
			       u32 len, u32 buf_size, u32 *section_size,
			       u32 *sections)
{
	const struct nvsp_recv_buf_section *sec;
	u64 total;
	u32 size;
	u32 cnt;

	if (len < sizeof(*comp))
		return -EPROTO;
	if (le32_to_cpu(comp->status) != NVSP_STATUS_SUCCESS)
		return -EIO;
	if (le32_to_cpu(comp->num_sections) != 1 ||
	    len < struct_size(comp, sections, 1))
		return -EPROTO;

	sec = &comp->sections[0];
	size = le32_to_cpu(sec->sub_alloc_size);
	cnt = le32_to_cpu(sec->num_sub_allocs);
	total = (u64)size * cnt;
	if (le32_to_cpu(sec->offset) != 0 || size < NVSP_SECTION_SIZE_MIN ||
	    !cnt || total > buf_size)
		return -EPROTO;

	*section_size = size;
	*sections = cnt;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_recv_buf_comp_check);

/**
 * netvsc_send_buf_comp_check - validate the host's send-buffer answer
 * @comp: private copy of the completion body
 * @buf_size: size of the send buffer we offered
 * @section_size: out: bytes per send section
 * @sections: out: number of whole sections in the buffer
 *
 * Return: 0, -EIO if the host refused, -EPROTO if the answer is malformed.
 */
int netvsc_send_buf_comp_check(const struct nvsp_msg_send_buf_comp *comp,
			       u32 buf_size, u32 *section_size,
			       u32 *sections)
{
	u32 size = le32_to_cpu(comp->section_size);

	if (le32_to_cpu(comp->status) != NVSP_STATUS_SUCCESS)
		return -EIO;
	if (size < NVSP_SECTION_SIZE_MIN || size > buf_size)
		return -EPROTO;

	*section_size = size;
	*sections = buf_size / size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_send_buf_comp_check);

/**
 * netvsc_send_table_parse - read a SEND_INDIRECTION_TABLE message
 * @msg: private copy of the whole NVSP message (type word included)
 * @len: its length
 * @nvsp_ver: negotiated NVSP version (hosts up to 6.0 send a wrong offset)
 * @table: out: NVSP_SEND_TABLE_SIZE channel numbers
 *
 * Return: 0 or -EPROTO; @table is untouched on error.
 */
int netvsc_send_table_parse(const void *msg, u32 len, u32 nvsp_ver,
			    u32 *table)
{
	const struct nvsp_msg_send_table *st = msg + NVSP_MSG_HDR_SIZE;
	u32 bytes = NVSP_SEND_TABLE_SIZE * sizeof(__le32);
	u32 off;
	int i;

	if (len < NVSP_MSG_HDR_SIZE + sizeof(*st))
		return -EPROTO;
	if (le32_to_cpu(st->count) != NVSP_SEND_TABLE_SIZE)
		return -EPROTO;

	if (nvsp_ver <= NVSP_PROTO_VERSION_6)
		off = NVSP_SEND_TABLE_OFFSET_LEGACY;
	else
		off = le32_to_cpu(st->offset);
	if (!netvsc_range_ok(len, off, bytes))
		return -EPROTO;

	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		table[i] = get_unaligned_le32(msg + off + i * sizeof(__le32));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_send_table_parse);

/**
 * netvsc_xfer_check - validate a transfer-page packet and all its ranges
 * @xfer: private copy of the packet (VMBus descriptor first)
 * @pkt_len: bytes of the packet
 * @buf_size: size of the receive buffer the ranges point into
 * @max_ranges: most ranges we accept
 *
 * Checks the page-set id, the range count, that the ranges and the NVSP
 * message fit in the packet, that the message is SEND_RNDIS_PKT and that
 * every range lies inside the receive buffer.
 *
 * Return: 0 or -EPROTO.
 */
int netvsc_xfer_check(const struct vmtransfer_page_packet_header *xfer,
		      u32 pkt_len, u32 buf_size, u32 max_ranges)
{
	const struct nvsp_msg *nv;
	u32 cnt, data_off, i;

	if (pkt_len < NVSP_XFER_HDR_SIZE)
		return -EPROTO;
	if (xfer->xfer_pageset_id != NVSP_RECV_BUF_ID)
		return -EPROTO;
	cnt = xfer->range_cnt;
	if (!cnt || cnt > max_ranges)
		return -EPROTO;

	data_off = (u32)xfer->d.offset8 << 3;
	if (data_off < NVSP_XFER_PKT_SIZE(cnt) ||
	    !netvsc_range_ok(pkt_len, data_off,
			     NVSP_MSG_HDR_SIZE + sizeof(nv->body.rndis_pkt)))
		return -EPROTO;
	nv = (const void *)xfer + data_off;
	if (le32_to_cpu(nv->type) != NVSP_MSG_SEND_RNDIS_PKT)
		return -EPROTO;

	for (i = 0; i < cnt; i++) {
		u32 off = xfer->ranges[i].byte_offset;
		u32 blen = xfer->ranges[i].byte_count;

		if (blen < RNDIS_HDR_SIZE ||
		    !netvsc_range_ok(buf_size, off, blen))
			return -EPROTO;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_xfer_check);

/**
 * netvsc_rndis_msg_check - validate the header of an RNDIS message
 * @msg: private copy of at least the header
 * @avail: bytes the host gave us for the message (the range length)
 *
 * Return: 0 if the message length is sane and fits in @avail, else -EPROTO.
 */
int netvsc_rndis_msg_check(const struct rndis_msg *msg, u32 avail)
{
	u32 len;

	if (avail < RNDIS_HDR_SIZE)
		return -EPROTO;
	len = le32_to_cpu(msg->hdr.msg_len);
	if (len < RNDIS_HDR_SIZE || len > avail)
		return -EPROTO;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rndis_msg_check);

/**
 * netvsc_rndis_pkt_check - locate frame and PPIs of an RNDIS data message
 * @msg: private copy of the message header and packet body; msg_len is
 *	assumed checked by netvsc_rndis_msg_check()
 * @pkt: out: offsets from the start of the message and lengths
 *
 * Return: 0, or -EPROTO when a part lies outside the message, the PPIs
 * overlap the packet header or are larger than we copy.
 */
int netvsc_rndis_pkt_check(const struct rndis_msg *msg,
			   struct netvsc_rx_pkt *pkt)
{
	const struct rndis_pkt *rp = &msg->body.pkt;
	u32 len = le32_to_cpu(msg->hdr.msg_len);
	u32 doff = le32_to_cpu(rp->data_offset);
	u32 dlen = le32_to_cpu(rp->data_len);
	u32 poff = le32_to_cpu(rp->ppi_offset);
	u32 plen = le32_to_cpu(rp->ppi_len);

	if (len < RNDIS_PKT_MSG_SIZE)
		return -EPROTO;
	if (!dlen || !netvsc_subrange_ok(len, RNDIS_HDR_SIZE, doff, dlen))
		return -EPROTO;
	if (plen && (plen > NETVSC_RX_PPI_MAX || poff < sizeof(*rp) ||
		     !netvsc_subrange_ok(len, RNDIS_HDR_SIZE, poff, plen)))
		return -EPROTO;

	pkt->data_off = RNDIS_HDR_SIZE + doff;
	pkt->data_len = dlen;
	pkt->ppi_off = plen ? RNDIS_HDR_SIZE + poff : 0;
	pkt->ppi_len = plen;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rndis_pkt_check);

static void netvsc_ppi_one(u32 type, const u8 *val, struct netvsc_rx_info *info)
{
	u32 v = get_unaligned_le32(val);

	switch (type) {
	case NDIS_PPI_CSUM:
		info->csum = v;
		info->has_csum = true;
		break;
	case NDIS_PPI_VLAN:
		info->vlan_tci = FIELD_GET(NDIS_VLAN_ID, v) |
				 FIELD_GET(NDIS_VLAN_PRI, v) << 13 |
				 FIELD_GET(NDIS_VLAN_CFI, v) << 12;
		info->has_vlan = true;
		break;
	case NDIS_PPI_HASH_VALUE:
		info->hash = v;
		info->has_hash = true;
		break;
	case NDIS_PPI_HASH_INFO:
		info->hash_info = v;
		info->has_hash_info = true;
		break;
	}
}

/**
 * netvsc_ppi_parse - walk received per-packet info
 * @ppi: private copy of the PPI area
 * @len: its length
 * @info: out: what the records say (zeroed first)
 *
 * Unknown record types are skipped.  A record that is shorter than its
 * header, runs past the area or puts its value outside itself makes the
 * whole area invalid.
 *
 * Return: 0 or -EPROTO.
 */
int netvsc_ppi_parse(const u8 *ppi, u32 len, struct netvsc_rx_info *info)
{
	u32 pos = 0;

	memset(info, 0, sizeof(*info));
	while (pos < len) {
		const struct rndis_ppi *rec = (const void *)(ppi + pos);
		u32 size, off, type;

		if (len - pos < RNDIS_PPI_HDR_SIZE)
			return -EPROTO;
		size = get_unaligned_le32(&rec->size);
		off = get_unaligned_le32(&rec->ppi_offset);
		type = get_unaligned_le32(&rec->type);
		if (size < RNDIS_PPI_HDR_SIZE || size > len - pos ||
		    off < RNDIS_PPI_HDR_SIZE ||
		    !netvsc_range_ok(size, off, sizeof(__le32)))
			return -EPROTO;

		if (type & RNDIS_PPI_INTERNAL) {
			const struct rndis_ppi_pkt_id *id = (const void *)
				(ppi + pos + off);

			if (FIELD_GET(RNDIS_PPI_TYPE, type) == RNDIS_PPI_PKT_ID) {
				info->pkt_id_flags = id->flags;
				info->has_pkt_id = true;
			}
		} else {
			netvsc_ppi_one(FIELD_GET(RNDIS_PPI_TYPE, type),
				       ppi + pos + off, info);
		}
		pos += size;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ppi_parse);

/**
 * netvsc_rndis_comp_min - smallest valid length of an RNDIS completion
 * @type: RNDIS_MSG_*_C
 *
 * Return: bytes including the RNDIS header; 0 for types we do not await.
 */
u32 netvsc_rndis_comp_min(u32 type)
{
	switch (type) {
	case RNDIS_MSG_INIT_C:
		return RNDIS_HDR_SIZE + sizeof(struct rndis_init_comp);
	case RNDIS_MSG_QUERY_C:
		return RNDIS_HDR_SIZE + sizeof(struct rndis_query_comp);
	case RNDIS_MSG_SET_C:
	case RNDIS_MSG_KEEPALIVE_C:
		return RNDIS_HDR_SIZE + sizeof(struct rndis_status_comp);
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rndis_comp_min);

/**
 * netvsc_query_info - locate the information buffer of a QUERY_C
 * @msg: private copy of the whole message
 * @len: its length (msg_len, already checked)
 * @off: out: offset of the information from the start of the message
 * @info_len: out: its length
 *
 * Return: 0, -EIO if the host reported failure, -EPROTO if malformed.
 */
int netvsc_query_info(const struct rndis_msg *msg, u32 len, u32 *off,
		      u32 *info_len)
{
	const struct rndis_query_comp *qc = &msg->body.query_comp;
	u32 boff, blen;

	if (len < netvsc_rndis_comp_min(RNDIS_MSG_QUERY_C))
		return -EPROTO;
	if (le32_to_cpu(qc->status) != RNDIS_STATUS_SUCCESS)
		return -EIO;
	boff = le32_to_cpu(qc->info_buf_offset);
	blen = le32_to_cpu(qc->info_buflen);
	/* the information follows the fixed fields, never overlaps them */
	if (blen && boff < sizeof(*qc))
		return -EPROTO;
	if (!netvsc_subrange_ok(len, RNDIS_HDR_SIZE, boff, blen))
		return -EPROTO;

	*off = RNDIS_HDR_SIZE + boff;
	*info_len = blen;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_query_info);

/**
 * netvsc_keepalive_parse - read the request id of a host RNDIS_MSG_KEEPALIVE
 * @msg: private copy of the message; msg_len checked by
 *	netvsc_rndis_msg_check()
 * @req_id: out: the id to answer with
 *
 * Return: 0, or -EPROTO when the message is too short to carry an id.
 */
int netvsc_keepalive_parse(const struct rndis_msg *msg, u32 *req_id)
{
	if (le32_to_cpu(msg->hdr.msg_len) <
	    RNDIS_HDR_SIZE + sizeof(msg->body.keepalive_req))
		return -EPROTO;
	*req_id = le32_to_cpu(msg->body.keepalive_req.req_id);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_keepalive_parse);

/**
 * netvsc_indicate_parse - read an RNDIS_MSG_INDICATE
 * @msg: private copy of the message
 * @len: bytes of it we have (the range length: some hosts set a wrong
 *	msg_len on link-speed indications)
 * @status: out: RNDIS_STATUS_*
 * @speed_mbps: out: new speed for RNDIS_STATUS_LINK_SPEED_CHANGE
 *
 * Return: 0 or -EPROTO.
 */
int netvsc_indicate_parse(const struct rndis_msg *msg, u32 len, u32 *status,
			  u32 *speed_mbps)
{
	const struct rndis_status_ind *ind = &msg->body.indicate;
	u32 boff, blen;

	if (len < RNDIS_HDR_SIZE + sizeof(*ind))
		return -EPROTO;
	*status = le32_to_cpu(ind->status);
	/* whatever the status, its buffer lies wholly in the message */
	boff = le32_to_cpu(ind->status_buf_offset);
	blen = le32_to_cpu(ind->status_buflen);
	if (blen && !netvsc_subrange_ok(len, RNDIS_HDR_SIZE, boff, blen))
		return -EPROTO;
	if (*status != RNDIS_STATUS_LINK_SPEED_CHANGE)
		return 0;
	if (blen < sizeof(__le32))
		return -EPROTO;
	/* the host counts in units of 100 bps */
	*speed_mbps = get_unaligned_le32((const u8 *)msg + RNDIS_HDR_SIZE +
					 boff) / 10000;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_indicate_parse);

/**
 * netvsc_caps_parse - reduce the host's offload capabilities
 * @hw: private copy of the NDIS_OFFLOAD object
 * @len: bytes of it that are valid (hdr.size, checked >= 6.0 size)
 * @caps: out
 */
void netvsc_caps_parse(const struct ndis_offload_caps *hw, u32 len,
		       struct netvsc_hw_caps *caps)
{
	const u32 tcp4 = NDIS_CSUM_CAP_TCP4 | NDIS_CSUM_CAP_TCP4OPT;
	const u32 tcp6 = NDIS_CSUM_CAP_TCP6 | NDIS_CSUM_CAP_TCP6OPT |
			 NDIS_CSUM_CAP_IP6EXT;
	const u32 lso6 = NDIS_LSOV2_CAP_IP6_EXT | NDIS_LSOV2_CAP_IP6_TCPOPT;
	u32 tx4 = le32_to_cpu(hw->csum.ip4_txcsum);
	u32 tx6 = le32_to_cpu(hw->csum.ip6_txcsum);
	u32 tso_max = GSO_LEGACY_MAX_SIZE;

	memset(caps, 0, sizeof(*caps));
	if ((tx4 & tcp4) == tcp4) {
		caps->csum_tx |= NETIF_F_IP_CSUM;
		caps->udp4_csum = tx4 & NDIS_CSUM_CAP_UDP4;
		if (le32_to_cpu(hw->lsov2.ip4_encap) & NDIS_ENCAP_8023) {
			caps->tso |= NETIF_F_TSO;
			tso_max = min(tso_max, le32_to_cpu(hw->lsov2.ip4_max_size));
		}
	}
	if ((tx6 & tcp6) == tcp6) {
		caps->csum_tx |= NETIF_F_IPV6_CSUM;
		caps->udp6_csum = tx6 & NDIS_CSUM_CAP_UDP6;
		if ((le32_to_cpu(hw->lsov2.ip6_encap) & NDIS_ENCAP_8023) &&
		    (le32_to_cpu(hw->lsov2.ip6_opts) & lso6) == lso6) {
			caps->tso |= NETIF_F_TSO6;
			tso_max = min(tso_max, le32_to_cpu(hw->lsov2.ip6_max_size));
		}
	}
	if (caps->tso)
		caps->tso_max = tso_max;
	if (len >= NDIS_OFFLOAD_CAPS_SIZE_6_30)
		caps->rsc = hw->rsc.ip4 && hw->rsc.ip6;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_caps_parse);

/**
 * netvsc_chans_limit - channels a device can use
 * @host_queues: receive queues the host offers (RSS capabilities)
 * @cpus: online CPUs of the guest
 *
 * Return: min(@host_queues, @cpus, NVSP_VRSS_CHANNEL_MAX), at least 1.
 */
u32 netvsc_chans_limit(u32 host_queues, u32 cpus)
{
	u32 n = min3(host_queues, cpus, (u32)NVSP_VRSS_CHANNEL_MAX);

	return max_t(u32, n, 1);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_chans_limit);

/**
 * netvsc_rss_caps_parse - read the host's receive-scale capabilities
 * @caps: private copy of the answer
 * @len: bytes of it
 * @queues: out: receive queues the host offers
 * @itab: out: indirection table entries to use
 *
 * A table size of 0 or above NDIS_RSS_ITAB_MAX means the host leaves it to
 * us: NDIS_RSS_ITAB_DEFAULT.
 *
 * Return: 0, or -EPROTO when the answer is short or not RSS capabilities.
 */
int netvsc_rss_caps_parse(const struct ndis_rss_caps *caps, u32 len,
			  u32 *queues, u32 *itab)
{
	u32 n;

	if (len < sizeof(*caps) || caps->hdr.type != NDIS_OBJ_TYPE_RSS_CAPS ||
	    le16_to_cpu(caps->hdr.size) > len)
		return -EPROTO;
	*queues = le32_to_cpu(caps->num_recv_queues);
	n = le16_to_cpu(caps->num_indirect_tabent);
	*itab = n && n <= NDIS_RSS_ITAB_MAX ? n : NDIS_RSS_ITAB_DEFAULT;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rss_caps_parse);

/**
 * netvsc_subchan_comp_check - validate the answer to a subchannel request
 * @comp: private copy of the completion body
 * @asked: subchannels asked for
 * @granted: out: subchannels the host will offer, at most @asked
 *
 * Return: 0, -EIO when the host refused, -EPROTO when it granted more
 * than asked (then @granted is @asked: the extra offers are ignored).
 */
int netvsc_subchan_comp_check(const struct nvsp_msg_subchan_comp *comp,
			      u32 asked, u32 *granted)
{
	u32 n = le32_to_cpu(comp->num_subchannels);

	*granted = 0;
	if (le32_to_cpu(comp->status) != NVSP_STATUS_SUCCESS)
		return -EIO;
	*granted = min(n, asked);
	return n > asked ? -EPROTO : 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_subchan_comp_check);

/**
 * netvsc_send_table_pick - TX queue for a flow hash
 * @table: the host's send indirection table (NVSP_SEND_TABLE_SIZE entries)
 * @hash: flow hash
 * @n: TX queues in use, > 0
 *
 * The host's entry for the hash, unless it names a queue not in use (the
 * host's table predates a channel change, or the host is wrong): then the
 * hash spread evenly over the @n queues.
 *
 * Return: a queue below @n.
 */
u32 netvsc_send_table_pick(const u32 *table, u32 hash, u32 n)
{
	u32 q = READ_ONCE(table[hash & (NVSP_SEND_TABLE_SIZE - 1)]);

	return q < n ? q : reciprocal_scale(hash, n);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_send_table_pick);
