// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim: what the simulated host reads from a guest, checked and
 * parsed with no NIC behind it.  A hostile guest must not make the host
 * read outside what it sent: every offset and length from the guest is
 * checked against the bytes it came in before anything is read there.
 * Callers pass host copies (or, for data, bounds they read through).
 */
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/hex.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "nvsim_parse.h"

/**
 * nvsim_nvsp_body_min() - body bytes the host reads of a guest NVSP message
 * @type: enum nvsp_msg_type
 *
 * Return: the size of the body of @type; 0 for types the host does not take.
 */
u32 nvsim_nvsp_body_min(u32 type)
{
	switch (type) {
	case NVSP_MSG_INIT:
		return sizeof(struct nvsp_msg_init);
	case NVSP_MSG_SEND_NDIS_VER:
		return sizeof(struct nvsp_msg_ndis_ver);
	case NVSP_MSG_SEND_NDIS_CONFIG:
		return sizeof(struct nvsp_msg_ndis_config);
	case NVSP_MSG_SEND_RECV_BUF:
	case NVSP_MSG_SEND_SEND_BUF:
		return sizeof(struct nvsp_msg_buf);
	case NVSP_MSG_REVOKE_RECV_BUF:
	case NVSP_MSG_REVOKE_SEND_BUF:
		return sizeof(struct nvsp_msg_revoke_buf);
	case NVSP_MSG_SEND_RNDIS_PKT:
		return sizeof(struct nvsp_msg_rndis_pkt);
	case NVSP_MSG_SUBCHANNEL:
		return sizeof(struct nvsp_msg_subchan_req);
	case NVSP_MSG_SWITCH_DATA_PATH:
		return sizeof(struct nvsp_msg_switch_dp);
	default:
		return 0;
	}
}

/**
 * nvsim_section_ok() - does a SEND_RNDIS_PKT's send section fit?
 * @idx: section index the guest named
 * @used: bytes of it the guest said it filled
 * @sections: sections of the send buffer
 * @section_size: their size
 * @room: bytes the host copies at most
 *
 * Return: true when section @idx exists and @used fits in it and in @room.
 */
bool nvsim_section_ok(u32 idx, u32 used, u32 sections, u32 section_size,
		      u32 room)
{
	return idx < sections && used <= section_size && used <= room;
}

/**
 * nvsim_rndis_min_body() - smallest body of an RNDIS control message
 * @type: RNDIS_MSG_* the guest sent
 *
 * Return: bytes after the RNDIS header; U32_MAX for a type the guest may
 * not send on the control channel.
 */
u32 nvsim_rndis_min_body(u32 type)
{
	switch (type) {
	case RNDIS_MSG_INIT: return sizeof(struct rndis_init_req);
	case RNDIS_MSG_HALT: return sizeof(struct rndis_halt_req);
	case RNDIS_MSG_QUERY:
	case RNDIS_MSG_SET: return sizeof(struct rndis_oid_req);
	case RNDIS_MSG_RESET: return sizeof(struct rndis_reset_req);
	case RNDIS_MSG_KEEPALIVE: return sizeof(struct rndis_keepalive_req);
	case RNDIS_MSG_KEEPALIVE_C: return sizeof(struct rndis_status_comp);
	default: return U32_MAX;
	}
}

/**
 * nvsim_rndis_ctrl_check() - check the header of an RNDIS control message
 * @msg: host copy of the message
 * @len: bytes at @msg
 * @type: out: its RNDIS_MSG_*
 * @mlen: out: its length, at most @len, at least header and body of @type
 *
 * Return: 0 or -EINVAL.
 */
int nvsim_rndis_ctrl_check(const u8 *msg, u32 len, u32 *type, u32 *mlen)
{
	struct rndis_hdr hdr;
	u32 body;

	if (len < RNDIS_HDR_SIZE)
		return -EINVAL;
	memcpy(&hdr, msg, sizeof(hdr));
	*type = le32_to_cpu(hdr.msg_type);
	*mlen = le32_to_cpu(hdr.msg_len);
	body = nvsim_rndis_min_body(*type);
	if (*mlen > len || *mlen < RNDIS_HDR_SIZE + body || body == U32_MAX)
		return -EINVAL;
	return 0;
}

/**
 * nvsim_oid_info() - locate the information buffer of a QUERY or SET
 * @req: the request body
 * @body: bytes of body (message length less the RNDIS header)
 * @off: out: offset of the information from the start of @req
 * @len: out: its length, 0 for none
 *
 * Return: 0, or -EINVAL for information outside the body.
 */
int nvsim_oid_info(const struct rndis_oid_req *req, u32 body, u32 *off,
		   u32 *len)
{
	*len = le32_to_cpu(req->info_buflen);
	*off = le32_to_cpu(req->info_buf_offset);
	if (*len && (*off < sizeof(*req) || *off > body || *len > body - *off))
		return -EINVAL;
	return 0;
}

/**
 * nvsim_filter_parse() - OID_GEN_CURRENT_PACKET_FILTER set by the guest
 * @in: the information
 * @in_len: its length
 * @mask: the filter bits the device implements
 * @filter: out: the new filter
 *
 * Return: RNDIS_STATUS_SUCCESS or why not.
 */
u32 nvsim_filter_parse(const u8 *in, u32 in_len, u32 mask, u32 *filter)
{
	__le32 v;

	if (in_len < sizeof(v))
		return RNDIS_STATUS_INVALID_LENGTH;
	memcpy(&v, in, sizeof(v));
	if (le32_to_cpu(v) & ~mask)
		return RNDIS_STATUS_NOT_SUPPORTED;
	*filter = le32_to_cpu(v);
	return RNDIS_STATUS_SUCCESS;
}

/* A checksum setting: receive on, off, or no change. */
static void nvsim_csum_rx(u8 v, bool *rx)
{
	if (v == NDIS_OFFLOAD_CFG_RX_ENABLED_TX_DISABLED ||
	    v == NDIS_OFFLOAD_CFG_TX_RX_ENABLED)
		*rx = true;
	else if (v != NDIS_OFFLOAD_CFG_NO_CHANGE)
		*rx = false;
}

static void nvsim_rsc_param(u8 v, bool *on)
{
	if (v == NDIS_OFFLOAD_CFG_ENABLED)
		*on = true;
	else if (v == NDIS_OFFLOAD_CFG_DISABLED)
		*on = false;
}

/**
 * nvsim_offload_parse() - OID_TCP_OFFLOAD_PARAMETERS set by the guest
 * @in: the information (struct ndis_offload_cfg, maybe the NVSP 4 size)
 * @in_len: its length
 * @rx: in: receive checksum offload now; out: after the request
 * @rsc4: in/out: RSC over IPv4 likewise
 * @rsc6: in/out: RSC over IPv6 likewise
 *
 * Return: RNDIS_STATUS_SUCCESS (the outputs updated) or why not.
 */
u32 nvsim_offload_parse(const u8 *in, u32 in_len, bool *rx, bool *rsc4,
			bool *rsc6)
{
	struct ndis_offload_cfg cfg = {};

	if (in_len < NDIS_OFFLOAD_CFG_SIZE_NVSP4)
		return RNDIS_STATUS_INVALID_LENGTH;
	memcpy(&cfg, in, min_t(u32, in_len, sizeof(cfg)));
	if (cfg.hdr.type != NDIS_OBJ_TYPE_DEFAULT)
		return RNDIS_STATUS_INVALID_DATA;
	nvsim_csum_rx(cfg.tcp4_csum, rx);
	nvsim_csum_rx(cfg.tcp6_csum, rx);
	if (in_len >= sizeof(cfg)) {
		nvsim_rsc_param(cfg.rsc_ip4, rsc4);
		nvsim_rsc_param(cfg.rsc_ip6, rsc6);
	}
	return RNDIS_STATUS_SUCCESS;
}

/**
 * nvsim_rss_parse() - OID_GEN_RECEIVE_SCALE_PARAMETERS set by the guest
 * @in: the information, at least a struct ndis_rss_params
 * @in_len: its length
 * @flags: its NDIS_RSS_PARAM_*_UNCHANGED flags that apply (the caller
 *	filled the outputs they leave as they are)
 * @max_chans: channels an indirection table entry may name
 * @hash_info: out: NDIS_RSS_HASH_* enabled
 * @n: out: entries of @itab, at most NDIS_RSS_ITAB_MAX
 * @itab: out: the indirection table
 * @key: out: the NDIS_RSS_KEY_SIZE-byte key
 *
 * Return: RNDIS_STATUS_SUCCESS, or RNDIS_STATUS_INVALID_DATA for a table
 * or key outside @in, of a bad size, an entry not below @max_chans, or no
 * table at all.
 */
u32 nvsim_rss_parse(const u8 *in, u32 in_len, u16 flags, u32 max_chans,
		    u32 *hash_info, u32 *n, u16 *itab, u8 *key)
{
	const struct ndis_rss_params *p = (const void *)in;
	u32 isz = le16_to_cpu(p->itab_size), ioff = le32_to_cpu(p->itab_offset);
	u32 ksz = le16_to_cpu(p->key_size), koff = le32_to_cpu(p->key_offset);
	__le32 e;
	u32 i;

	if (!(flags & NDIS_RSS_PARAM_HASH_INFO_UNCHANGED))
		*hash_info = le32_to_cpu(p->hash_info);
	if (!(flags & NDIS_RSS_PARAM_ITABLE_UNCHANGED)) {
		if (!isz || isz % sizeof(e) || isz / sizeof(e) > NDIS_RSS_ITAB_MAX ||
		    ioff > in_len || isz > in_len - ioff)
			return RNDIS_STATUS_INVALID_DATA;
		*n = isz / sizeof(e);
		for (i = 0; i < *n; i++) {
			memcpy(&e, in + ioff + i * sizeof(e), sizeof(e));
			if (le32_to_cpu(e) >= max_chans)
				return RNDIS_STATUS_INVALID_DATA;
			itab[i] = le32_to_cpu(e);
		}
	}
	if (!(flags & NDIS_RSS_PARAM_HASH_KEY_UNCHANGED)) {
		if (ksz != NDIS_RSS_KEY_SIZE || koff > in_len ||
		    ksz > in_len - koff)
			return RNDIS_STATUS_INVALID_DATA;
		memcpy(key, in + koff, ksz);
	}
	if (!*n)
		return RNDIS_STATUS_INVALID_DATA;
	return RNDIS_STATUS_SUCCESS;
}

/* Compare a UTF-16LE string in the guest's buffer with an ASCII one */
static bool nvsim_utf16_eq(const u8 *w, u32 wlen, const char *s)
{
	u32 i, n = strlen(s);

	if (wlen != 2 * n)
		return false;
	for (i = 0; i < n; i++)
		if (w[2 * i] != s[i] || w[2 * i + 1])
			return false;
	return true;
}

/**
 * nvsim_mac_param_parse() - the NetworkAddress config parameter
 * @in: the information of OID_GEN_RNDIS_CONFIG_PARAMETER
 * @in_len: its length
 * @mac: out: the unicast address it sets
 *
 * Return: RNDIS_STATUS_SUCCESS, RNDIS_STATUS_NOT_SUPPORTED for another
 * parameter, or why the request is wrong.
 */
u32 nvsim_mac_param_parse(const u8 *in, u32 in_len, u8 *mac)
{
	const struct rndis_cfg_param *p = (const void *)in;
	u32 noff, nlen, voff, vlen, i;
	u8 addr[ETH_ALEN];
	char hex[12];

	if (in_len < sizeof(*p))
		return RNDIS_STATUS_INVALID_LENGTH;
	noff = le32_to_cpu(p->name_offset);
	nlen = le32_to_cpu(p->name_len);
	voff = le32_to_cpu(p->value_offset);
	vlen = le32_to_cpu(p->value_len);
	if (noff > in_len || nlen > in_len - noff ||
	    voff > in_len || vlen > in_len - voff)
		return RNDIS_STATUS_INVALID_DATA;
	if (!nvsim_utf16_eq(in + noff, nlen, RNDIS_CFG_NETWORK_ADDRESS))
		return RNDIS_STATUS_NOT_SUPPORTED;
	if (le32_to_cpu(p->type) != RNDIS_CFG_PARAM_TYPE_STRING ||
	    vlen != 2 * sizeof(hex))
		return RNDIS_STATUS_INVALID_DATA;
	for (i = 0; i < sizeof(hex); i++) {
		if (in[voff + 2 * i + 1])
			return RNDIS_STATUS_INVALID_DATA;
		hex[i] = in[voff + 2 * i];
	}
	if (hex2bin(addr, hex, ETH_ALEN) || !is_valid_ether_addr(addr))
		return RNDIS_STATUS_INVALID_DATA;
	memcpy(mac, addr, ETH_ALEN);
	return RNDIS_STATUS_SUCCESS;
}

/**
 * nvsim_tx_pkt_check() - check where a guest data message's parts are
 * @pkt: host copy of its struct rndis_pkt
 * @mlen: message length, header included, at least RNDIS_PKT_MSG_SIZE
 * @loc: out: frame and PPIs, inside the message body
 *
 * Return: 0, or -EINVAL for parts outside the message, a frame shorter
 * than an Ethernet header or PPIs above NVSIM_TX_PPI_MAX.
 */
int nvsim_tx_pkt_check(const struct rndis_pkt *pkt, u32 mlen,
		       struct nvsim_tx_loc *loc)
{
	u32 body = mlen - RNDIS_HDR_SIZE;

	loc->data_off = le32_to_cpu(pkt->data_offset);
	loc->data_len = le32_to_cpu(pkt->data_len);
	loc->ppi_off = le32_to_cpu(pkt->ppi_offset);
	loc->ppi_len = le32_to_cpu(pkt->ppi_len);
	if (loc->data_off > body || loc->data_len > body - loc->data_off ||
	    loc->data_len < ETH_HLEN || loc->ppi_len > NVSIM_TX_PPI_MAX ||
	    (loc->ppi_len && (loc->ppi_off < sizeof(*pkt) ||
			      loc->ppi_off > body ||
			      loc->ppi_len > body - loc->ppi_off)))
		return -EINVAL;
	return 0;
}

/**
 * nvsim_tx_parse_ppi() - walk the per-packet info of a data message
 * @p: host copy of the PPIs
 * @len: their length
 * @out: the checksum, LSO and VLAN requests found
 *
 * Return: false if any PPI is malformed.
 */
bool nvsim_tx_parse_ppi(const u8 *p, u32 len, struct nvsim_tx_ppi *out)
{
	struct rndis_ppi ppi;
	u32 size, off, type;
	__le32 v;

	memset(out, 0, sizeof(*out));
	while (len) {
		if (len < sizeof(ppi))
			return false;
		memcpy(&ppi, p, sizeof(ppi));
		size = le32_to_cpu(ppi.size);
		off = le32_to_cpu(ppi.ppi_offset);
		type = le32_to_cpu(ppi.type);
		if (size < sizeof(ppi) || size > len || off < sizeof(ppi) ||
		    off > size)
			return false;
		if (size - off >= sizeof(v) && !(type & RNDIS_PPI_INTERNAL)) {
			memcpy(&v, p + off, sizeof(v));
			switch (type) {
			case NDIS_PPI_CSUM:
				out->csum = le32_to_cpu(v);
				out->has_csum = true;
				break;
			case NDIS_PPI_LSO:
				out->lso = le32_to_cpu(v);
				out->has_lso = true;
				break;
			case NDIS_PPI_VLAN:
				out->vlan = le32_to_cpu(v);
				out->has_vlan = true;
				break;
			default:
				/* hash value and others: nothing to do */
				break;
			}
		}
		p += size;
		len -= size;
	}
	return true;
}
