// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol logic with no device behind it: checks of every structure the
 * host sends (buffer completions, transfer-page packets, RNDIS messages,
 * per-packet info, indications, offload capabilities), builders for PPIs
 * and the NetworkAddress parameter, the send-section allocator, RSC
 * reassembly and the matching of control answers to waiting requests.  Every
 * host-supplied offset and length goes through netvsc_range_ok() or
 * netvsc_subrange_ok(); callers pass private copies, never shared memory.
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
 * netvsc_ppi_put - append one 32-bit PPI record
 * @buf: PPI area
 * @used: bytes already used in it
 * @type: enum ndis_ppi_type
 * @value: the value, CPU order
 *
 * The caller sizes @buf for RNDIS_TX_PPI_MAX records.
 *
 * Return: bytes used after the new record.
 */
u32 netvsc_ppi_put(u8 *buf, u32 used, u32 type, u32 value)
{
	struct rndis_ppi *rec = (void *)(buf + used);

	put_unaligned_le32(RNDIS_PPI_U32_SIZE, &rec->size);
	put_unaligned_le32(FIELD_PREP(RNDIS_PPI_TYPE, type), &rec->type);
	put_unaligned_le32(RNDIS_PPI_HDR_SIZE, &rec->ppi_offset);
	put_unaligned_le32(value, buf + used + RNDIS_PPI_HDR_SIZE);
	return used + RNDIS_PPI_U32_SIZE;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ppi_put);

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
 * netvsc_keepalive_note - remember the latest host keepalive to answer
 * @pending: 0, or %NETVSC_KA_PENDING | the id of the one not answered yet
 * @req_id: id of the keepalive that just arrived
 *
 * Only the latest keepalive is answered: a host that sends them faster
 * than we answer gets one answer per run of the answering work.
 *
 * Return: true when an older keepalive was still unanswered (it never
 * will be).
 */
bool netvsc_keepalive_note(atomic64_t *pending, u32 req_id)
{
	return atomic64_xchg(pending, NETVSC_KA_PENDING | req_id) != 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_keepalive_note);

/**
 * netvsc_keepalive_take - the keepalive to answer now, if any
 * @pending: see netvsc_keepalive_note(); cleared
 * @req_id: out: its request id
 *
 * Return: true when there is one to answer.
 */
bool netvsc_keepalive_take(atomic64_t *pending, u32 *req_id)
{
	s64 v = atomic64_xchg(pending, 0);

	if (!v)
		return false;
	*req_id = lower_32_bits(v);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_keepalive_take);

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

static u32 netvsc_put_utf16(u8 *buf, const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		put_unaligned_le16(s[i], buf + 2 * i);
	return 2 * n;
}

/**
 * netvsc_mac_param_build - info buffer that sets the MAC address
 * @buf: room for at least 72 bytes
 * @mac: the new address
 *
 * Builds a string config parameter "NetworkAddress" whose value is the
 * address as 12 hex digits, both in UTF-16LE.
 *
 * Return: bytes written.
 */
u32 netvsc_mac_param_build(u8 *buf, const u8 *mac)
{
	const u32 name_n = sizeof(RNDIS_CFG_NETWORK_ADDRESS) - 1;
	struct rndis_cfg_param *p = (void *)buf;
	char hex[ETH_ALEN * 2];
	u32 pos = sizeof(*p);
	int i;

	for (i = 0; i < ETH_ALEN; i++) {
		hex[2 * i] = hex_asc_hi(mac[i]);
		hex[2 * i + 1] = hex_asc_lo(mac[i]);
	}

	put_unaligned_le32(pos, &p->name_offset);
	put_unaligned_le32(2 * name_n, &p->name_len);
	put_unaligned_le32(RNDIS_CFG_PARAM_TYPE_STRING, &p->type);
	pos += netvsc_put_utf16(buf + pos, RNDIS_CFG_NETWORK_ADDRESS, name_n);
	put_unaligned_le32(pos, &p->value_offset);
	put_unaligned_le32(sizeof(hex) * 2, &p->value_len);
	pos += netvsc_put_utf16(buf + pos, hex, sizeof(hex));
	return pos;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_mac_param_build);

/**
 * netvsc_section_get - take a free send-buffer section
 * @map: section bitmap, bit set = in use
 * @n: number of sections
 * @hint: where to start looking; updated to just after the section taken
 *
 * Lock-free: several queues may call this at once.
 *
 * Return: the section index, or -ENOSPC when all are in use.
 */
int netvsc_section_get(unsigned long *map, u32 n, u32 *hint)
{
	u32 start = *hint < n ? *hint : 0;
	u32 pass, idx;

	for (pass = 0; pass < 2; pass++) {
		idx = start;
		while ((idx = find_next_zero_bit(map, n, idx)) < n) {
			if (!test_and_set_bit(idx, map)) {
				*hint = idx + 1;
				return idx;
			}
			idx++;
		}
		if (!start)
			break;
		start = 0;
	}
	return -ENOSPC;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_section_get);

/**
 * netvsc_section_put - give a send-buffer section back
 * @map: section bitmap
 * @n: number of sections
 * @idx: section to free
 */
void netvsc_section_put(unsigned long *map, u32 n, u32 idx)
{
	if (WARN_ON_ONCE(idx >= n))
		return;
	WARN_ON_ONCE(!test_and_clear_bit(idx, map));
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_section_put);

/**
 * netvsc_chan_max - channels a device can use
 * @host_queues: receive queues the host offers (RSS capabilities)
 * @cpus: online CPUs of the guest
 *
 * Return: min(@host_queues, @cpus, NVSP_VRSS_CHANNEL_MAX), at least 1.
 */
u32 netvsc_chan_max(u32 host_queues, u32 cpus)
{
	u32 n = min3(host_queues, cpus, (u32)NVSP_VRSS_CHANNEL_MAX);

	return max_t(u32, n, 1);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_chan_max);

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
 * netvsc_rss_params_build - RSS parameters for OID_GEN_RECEIVE_SCALE_PARAMETERS
 * @buf: out, at least NETVSC_RSS_PARAMS_MAX bytes
 * @flags: NDIS_RSS_PARAM_* (NDIS_RSS_PARAM_DISABLE_RSS to turn RSS off)
 * @hash_info: NDIS_RSS_HASH_* function and types
 * @key: Toeplitz key, NDIS_RSS_KEY_SIZE bytes
 * @table: indirection table, queue numbers
 * @entries: entries in @table, 1..NDIS_RSS_ITAB_MAX
 *
 * Return: bytes of information built, or 0 when @entries is out of range.
 */
u32 netvsc_rss_params_build(void *buf, u16 flags, u32 hash_info,
			    const u8 *key, const u16 *table, u32 entries)
{
	struct ndis_rss_params *p = buf;
	u32 itab_bytes = entries * sizeof(__le32);
	__le32 *itab = buf + sizeof(*p);
	u32 i;

	if (!entries || entries > NDIS_RSS_ITAB_MAX)
		return 0;
	memset(p, 0, sizeof(*p));
	p->hdr.type = NDIS_OBJ_TYPE_RSS_PARAMS;
	p->hdr.rev = NDIS_RSS_PARAMS_REV_2;
	p->hdr.size = cpu_to_le16(sizeof(*p));
	p->flags = cpu_to_le16(flags);
	p->hash_info = cpu_to_le32(hash_info);
	p->itab_size = cpu_to_le16(itab_bytes);
	p->itab_offset = cpu_to_le32(sizeof(*p));
	p->key_size = cpu_to_le16(NDIS_RSS_KEY_SIZE);
	p->key_offset = cpu_to_le32(sizeof(*p) + itab_bytes);
	for (i = 0; i < entries; i++)
		itab[i] = cpu_to_le32(table[i]);
	memcpy(buf + sizeof(*p) + itab_bytes, key, NDIS_RSS_KEY_SIZE);
	return sizeof(*p) + itab_bytes + NDIS_RSS_KEY_SIZE;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rss_params_build);

/**
 * netvsc_indir_fits - does every table entry name one of @n queues?
 * @table: indirection table
 * @entries: its entries
 * @n: queues in use
 *
 * Return: true when no entry is @n or above.
 */
bool netvsc_indir_fits(const u16 *table, u32 entries, u32 n)
{
	u32 i;

	for (i = 0; i < entries; i++)
		if (table[i] >= n)
			return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_indir_fits);

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

/**
 * netvsc_rsc_reset - forget the fragments of an unfinished RSC packet
 * @rsc: the reassembly state
 *
 * Return: true when there were any (a packet is lost).
 */
bool netvsc_rsc_reset(struct netvsc_rsc *rsc)
{
	bool lost = rsc->cnt;

	rsc->cnt = 0;
	return lost;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rsc_reset);

/**
 * netvsc_rsc_add - take one fragment of a coalesced receive packet
 * @rsc: the reassembly state
 * @off: where the fragment's bytes are in the receive buffer
 * @len: how many
 * @info: its offload info; @info->pkt_id_flags has RNDIS_PPI_PKT_ID_*
 * @dropped: out: an unfinished packet was dropped by this call
 *
 * A first fragment starts a packet, dropping one left unfinished; a later
 * one is added to it, and a last one completes it.  A packet of more than
 * NVSP_XFER_RANGES_MAX fragments or NETVSC_RSC_MAX_BYTES is dropped.  The
 * fragments of a completed packet are @rsc->off[] and @rsc->len[], their
 * @rsc->total bytes and @rsc->info stay valid until the next call; @rsc is
 * then empty again.
 *
 * Return: 0 when more fragments are expected, the number of fragments of
 * the packet completed, -EPROTO for a fragment with no first one (ignored),
 * -EMSGSIZE for a packet too large (dropped).
 */
int netvsc_rsc_add(struct netvsc_rsc *rsc, u32 off, u32 len,
		   const struct netvsc_rx_info *info, bool *dropped)
{
	u8 flags = info->pkt_id_flags;
	u32 cnt;

	*dropped = false;
	if (flags & RNDIS_PPI_PKT_ID_FIRST_FRAG) {
		*dropped = netvsc_rsc_reset(rsc);
		rsc->info = *info;
		rsc->total = 0;
	} else if (!rsc->cnt) {
		return -EPROTO;
	}
	if (rsc->cnt >= NVSP_XFER_RANGES_MAX ||
	    len > NETVSC_RSC_MAX_BYTES - rsc->total) {
		*dropped |= netvsc_rsc_reset(rsc);
		return -EMSGSIZE;
	}
	rsc->off[rsc->cnt] = off;
	rsc->len[rsc->cnt] = len;
	rsc->cnt++;
	rsc->total += len;
	if (!(flags & RNDIS_PPI_PKT_ID_LAST_FRAG))
		return 0;
	cnt = rsc->cnt;
	rsc->cnt = 0;
	return cnt;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rsc_add);

/**
 * netvsc_ctrl_arm - give a control slot a fresh request id
 * @want: the slot's state
 * @gen: the table's generation count, advanced here (never 0)
 * @slot: the slot's number, below NETVSC_CTRL_SLOTS
 * @kind: NETVSC_COOKIE_KIND_NVSP or NETVSC_COOKIE_KIND_RNDIS
 * @expect: message type of the answer
 */
void netvsc_ctrl_arm(struct netvsc_ctrl_want *want, u32 *gen, u32 slot,
		     u8 kind, u32 expect)
{
	*gen = (*gen + 1) & FIELD_MAX(NETVSC_CTRL_ID_GEN);
	if (!*gen)
		*gen = 1;
	want->id = FIELD_PREP(NETVSC_CTRL_ID_GEN, *gen) |
		   FIELD_PREP(NETVSC_CTRL_ID_SLOT, slot);
	want->kind = kind;
	want->expect = expect;
	want->answered = false;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_arm);

/**
 * netvsc_ctrl_fits - is an answer's length right for its type?
 * @kind: NETVSC_COOKIE_KIND_NVSP (an NVSP completion, type word included)
 *	or NETVSC_COOKIE_KIND_RNDIS (a whole RNDIS message)
 * @type: its message type
 * @len: its length
 *
 * Return: true when the answer holds at least the body of @type and, for
 * RNDIS, no more than NETVSC_CTRL_RESP_MAX bytes.
 */
bool netvsc_ctrl_fits(u32 kind, u32 type, u32 len)
{
	if (kind == NETVSC_COOKIE_KIND_NVSP)
		return len >= NVSP_MSG_HDR_SIZE + netvsc_nvsp_body_min(type);
	return len >= netvsc_rndis_comp_min(type) &&
	       len <= NETVSC_CTRL_RESP_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_fits);

/**
 * netvsc_ctrl_claim - take an answer for the request waiting in a slot
 * @want: the state of the slot netvsc_ctrl_slot_of(@id) names
 * @kind: NETVSC_COOKIE_KIND_* the answer came as
 * @id: request id the answer carries
 * @type: its message type
 * @len: its length
 *
 * The answer is taken when the slot waits for @id (so a late answer to a
 * request given up, or one of an older generation, is not), of @kind and
 * @type, has not been answered yet, and @len fits @type.
 *
 * Return: true when taken (@want->answered is set); false: no request
 * waits for this answer.
 */
bool netvsc_ctrl_claim(struct netvsc_ctrl_want *want, u32 kind, u32 id,
		       u32 type, u32 len)
{
	if (!id || want->id != id || want->kind != kind || want->answered ||
	    want->expect != type || !netvsc_ctrl_fits(kind, type, len))
		return false;
	want->answered = true;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_claim);
