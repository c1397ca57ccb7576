// SPDX-License-Identifier: GPL-2.0
/*
 * The walker of what a guest sends the simulated host (netvsp_sim): its
 * parsers of guest input (tools/testing/host/netvsp_sim/nvsim_parse.c, built
 * unmodified) called as nvsim_nvsp.c, nvsim_rndis.c and nvsim_tx.c call
 * them, with the promises each makes checked after the call.  As in
 * fuzz_walk.c, every buffer a parser reads is an exact heap copy.
 */
#include "fuzz.h"
#include "../host/netvsp_sim/nvsim_parse.h"

/* NVSIM_MAX_CHANS of netvsp_sim.h: channels an RSS table may name. */
#define FUZZ_NVSIM_CHANS	64
/* NVSIM_TX_SCRATCH_SIZE of netvsp_sim.h: the most the host copies. */
#define FUZZ_NVSIM_ROOM		(6144 + 128 * 1024)

/* A SET the host parses (nvsim_set()); @in is an exact copy. */
static void fuzz_guest_set(u32 oid, const u8 *in, u32 in_len)
{
	static const u32 masks[] = { 0x2f, 0xffffffff, 0 };
	const struct ndis_rss_params *p = (const void *)in;
	u32 st, filter, hash_info, n, i, isz, ioff, koff;
	u16 itab[NDIS_RSS_ITAB_MAX], flags;
	u8 key[NDIS_RSS_KEY_SIZE], mac[ETH_ALEN];
	bool rx, r4, r6;

	switch (oid) {
	case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
		for (i = 0; i < ARRAY_SIZE(masks); i++) {
			filter = 0xdeadbeef;
			st = nvsim_filter_parse(in, in_len, masks[i], &filter);
			if (st == RNDIS_STATUS_SUCCESS)
				FUZZ_ASSERT(in_len >= 4 && !(filter & ~masks[i]) &&
					    filter == get_unaligned_le32(in));
			else
				FUZZ_ASSERT(filter == 0xdeadbeef);
		}
		break;
	case NDIS_OID_TCP_OFFLOAD_PARAMETERS:
		rx = r4 = r6 = true;
		st = nvsim_offload_parse(in, in_len, &rx, &r4, &r6);
		if (st != RNDIS_STATUS_SUCCESS)
			FUZZ_ASSERT(rx && r4 && r6);
		/* RSC settings only from a whole (6.30) object */
		if (in_len < sizeof(struct ndis_offload_cfg))
			FUZZ_ASSERT(r4 && r6);
		break;
	case NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS:
		/* as nvsim_set_rss(): a whole header of the right type */
		if (in_len < sizeof(*p) || p->hdr.type != NDIS_OBJ_TYPE_RSS_PARAMS)
			break;
		flags = le16_to_cpu(p->flags);
		if (flags & NDIS_RSS_PARAM_DISABLE_RSS)
			break;
		/* with no table before, and with one (what UNCHANGED keeps) */
		for (i = 0; i < 2; i++) {
			n = i ? 3 : 0;
			memset(itab, 0, sizeof(itab));
			st = nvsim_rss_parse(in, in_len, i ? flags : 0,
					     FUZZ_NVSIM_CHANS, &hash_info, &n,
					     itab, key);
			if (st != RNDIS_STATUS_SUCCESS) {
				FUZZ_ASSERT(st == RNDIS_STATUS_INVALID_DATA);
				continue;
			}
			FUZZ_ASSERT(n >= 1 && n <= NDIS_RSS_ITAB_MAX);
			for (isz = 0; isz < n; isz++)
				FUZZ_ASSERT(itab[isz] < FUZZ_NVSIM_CHANS);
			if (!i || !(flags & NDIS_RSS_PARAM_ITABLE_UNCHANGED)) {
				isz = le16_to_cpu(p->itab_size);
				ioff = le32_to_cpu(p->itab_offset);
				FUZZ_ASSERT(n * 4 == isz &&
					    (u64)ioff + isz <= in_len);
			}
			if (!i || !(flags & NDIS_RSS_PARAM_HASH_KEY_UNCHANGED)) {
				koff = le32_to_cpu(p->key_offset);
				FUZZ_ASSERT((u64)koff + NDIS_RSS_KEY_SIZE <= in_len &&
					    !memcmp(key, in + koff,
						    NDIS_RSS_KEY_SIZE));
			}
		}
		break;
	case RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER:
		memset(mac, 0, sizeof(mac));
		st = nvsim_mac_param_parse(in, in_len, mac);
		if (st == RNDIS_STATUS_SUCCESS)
			FUZZ_ASSERT(is_valid_ether_addr(mac));
		else
			FUZZ_ASSERT(!memcmp(mac, "\0\0\0\0\0\0", ETH_ALEN));
		break;
	}
}

/* An RNDIS control message (nvsim_rndis_control()); an exact copy. */
static void fuzz_guest_ctrl(const u8 *msg, u32 len)
{
	const struct rndis_oid_req *req;
	u32 type, mlen, body, off, ilen, oid;
	u8 *in;

	if (nvsim_rndis_ctrl_check(msg, len, &type, &mlen))
		return;
	body = nvsim_rndis_min_body(type);
	FUZZ_ASSERT(body != U32_MAX && mlen <= len &&
		    mlen >= RNDIS_HDR_SIZE + body);
	/* every request's handler reads its first word (request id) */
	FUZZ_ASSERT(body >= sizeof(__le32));
	fuzz_touch(msg + RNDIS_HDR_SIZE, body);
	if (type != RNDIS_MSG_QUERY && type != RNDIS_MSG_SET)
		return;
	req = (const void *)(msg + RNDIS_HDR_SIZE);
	oid = le32_to_cpu(req->oid);
	if (nvsim_oid_info(req, mlen - RNDIS_HDR_SIZE, &off, &ilen))
		return;
	if (ilen)
		FUZZ_ASSERT(off >= sizeof(*req) &&
			    (u64)RNDIS_HDR_SIZE + off + ilen <= mlen);
	in = fuzz_dup(msg + RNDIS_HDR_SIZE + (ilen ? off : 0), ilen);
	if (type == RNDIS_MSG_SET)
		fuzz_guest_set(oid, in, ilen);
	else
		fuzz_touch(in, ilen);
	free(in);
}

/* The data messages of one SEND_RNDIS_PKT (nvsim_tx_data()). */
static void fuzz_guest_data(const u8 *src, u32 len)
{
	u32 off = 0, type, mlen, start, i;
	struct nvsim_tx_ppi ppi;
	struct nvsim_tx_loc loc;
	struct rndis_pkt pkt;
	u8 *copy;

	while (len - off >= RNDIS_PKT_MSG_SIZE) {
		type = get_unaligned_le32(src + off);
		mlen = get_unaligned_le32(src + off + 4);
		if (type != RNDIS_MSG_PACKET || mlen < RNDIS_PKT_MSG_SIZE ||
		    mlen > len - off)
			break;
		memcpy(&pkt, src + off + RNDIS_HDR_SIZE, sizeof(pkt));
		if (nvsim_tx_pkt_check(&pkt, mlen, &loc))
			break;
		start = off + RNDIS_HDR_SIZE;
		FUZZ_ASSERT(loc.data_len >= ETH_HLEN &&
			    (u64)loc.data_off + loc.data_len <= mlen - RNDIS_HDR_SIZE);
		FUZZ_ASSERT(loc.ppi_len <= NVSIM_TX_PPI_MAX);
		if (loc.ppi_len)
			FUZZ_ASSERT(loc.ppi_off >= sizeof(pkt) &&
				    (u64)loc.ppi_off + loc.ppi_len <=
				    mlen - RNDIS_HDR_SIZE);
		copy = fuzz_dup(src + start + (loc.ppi_len ? loc.ppi_off : 0),
				loc.ppi_len);
		if (nvsim_tx_parse_ppi(copy, loc.ppi_len, &ppi)) {
			if (!loc.ppi_len)
				FUZZ_ASSERT(!ppi.has_csum && !ppi.has_lso &&
					    !ppi.has_vlan);
		} else {
			FUZZ_ASSERT(loc.ppi_len);
		}
		free(copy);
		fuzz_touch(src + start + loc.data_off, loc.data_len);
		off += mlen;
	}
	/* the same PPIs once more, as an area on their own */
	for (i = 0; i + 4 <= len && i < 64; i += 4) {
		copy = fuzz_dup(src + i, min_t(u32, len - i, NVSIM_TX_PPI_MAX));
		nvsim_tx_parse_ppi(copy, min_t(u32, len - i, NVSIM_TX_PPI_MAX),
				   &ppi);
		free(copy);
	}
}

/**
 * fuzz_guest_msg - one NVSP message from the guest and what it carries
 * @data: a __le16 length, that many bytes of NVSP message (the VMBus
 *	payload), then the RNDIS payload of a SEND_RNDIS_PKT as the host
 *	gathered it from the send section
 * @len: bytes of @data
 *
 * As nvsim_nvsp_rx(): the message is copied into a 40-byte struct and its
 * body checked for the size of its type, which never exceeds that copy; a
 * SEND_RNDIS_PKT names a send section that must exist and hold what the
 * guest said it filled; the payload goes to the RNDIS control path or the
 * data path by channel type.
 */
void fuzz_guest_msg(const u8 *data, u32 len)
{
	static const u32 geom[][2] = {
		{ 16 * 1024 * 1024 / 6144, 6144 }, { 1, 4096 }, { 0, 6144 },
		{ 0xffffffff, 0x10000 },
	};
	struct nvsp_msg msg = {};
	u32 nlen, type, body, idx, used, i;
	u8 *payload;

	if (len < 2)
		return;
	nlen = min_t(u32, get_unaligned_le16(data), len - 2);
	data += 2;
	len -= 2;
	if (nlen < NVSP_MSG_HDR_SIZE)
		return;
	memcpy(&msg, data, min_t(u32, nlen, sizeof(msg)));
	type = le32_to_cpu(msg.type);
	body = nvsim_nvsp_body_min(type);
	FUZZ_ASSERT(body <= NVSP_MSG_BODY_SIZE);
	if (nlen < NVSP_MSG_HDR_SIZE + body || type != NVSP_MSG_SEND_RNDIS_PKT)
		return;

	idx = le32_to_cpu(msg.body.rndis_pkt.section_index);
	used = le32_to_cpu(msg.body.rndis_pkt.section_size);
	for (i = 0; i < ARRAY_SIZE(geom); i++)
		if (nvsim_section_ok(idx, used, geom[i][0], geom[i][1],
				     FUZZ_NVSIM_ROOM))
			FUZZ_ASSERT(idx < geom[i][0] && used <= geom[i][1] &&
				    used <= FUZZ_NVSIM_ROOM &&
				    (u64)idx * geom[i][1] + used <=
				    (u64)geom[i][0] * geom[i][1]);

	payload = fuzz_dup(data + nlen, len - nlen);
	if (le32_to_cpu(msg.body.rndis_pkt.channel_type) ==
	    NVSP_RNDIS_CHANNEL_CONTROL)
		fuzz_guest_ctrl(payload, len - nlen);
	else
		fuzz_guest_data(payload, len - nlen);
	free(payload);
}
