// SPDX-License-Identifier: GPL-2.0
/*
 * The walkers of fuzz.h: host input handed to the driver's parsers the way
 * the driver hands it, one walker per kind of input, with the parsers'
 * promises checked after each call.  Every buffer a parser reads is a heap
 * copy of exactly the bytes the driver would have (never a larger stack
 * array), so AddressSanitizer reports a read past what the host sent even
 * where the driver's own copy would hide it in zero padding.
 */
#include "fuzz.h"

/* shim: <linux/hex.h> */
const char hex_asc[] = "0123456789abcdef";

/**
 * fuzz_dup - exact-size heap copy
 * @data: bytes to copy
 * @len: how many (0 gives a valid 1-byte allocation)
 *
 * Return: the copy; free() it.
 */
void *fuzz_dup(const void *data, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p)
		abort();
	memcpy(p, data, len);
	return p;
}

/* where fuzz_touch() leaves its sum, so that the reads stay */
volatile u8 fuzz_sink;

/**
 * fuzz_touch - read every byte of a range the driver would read
 * @data: start
 * @len: bytes
 */
void fuzz_touch(const void *data, size_t len)
{
	const u8 *p = data;
	u8 sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += p[i];
	fuzz_sink = sum;
}

/**
 * fuzz_nvsp_comp - an NVSP completion to a control request
 * @data: the completion payload (NVSP type word first)
 * @len: its length
 *
 * As netvsc_ctrl_nvsp_done(): a completion shorter than the body of its
 * type is dropped; the waiter then reads its 40-byte zero-padded copy.
 */
void fuzz_nvsp_comp(const u8 *data, u32 len)
{
	static const u32 recv_sizes[] = {
		NVSP_RECV_BUF_SIZE_DEFAULT, NVSP_RECV_BUF_SIZE_MAX,
		NVSP_RECV_BUF_SIZE_MAX_LEGACY, SZ_64K,
	};
	static const u32 send_sizes[] = {
		NVSP_SEND_BUF_SIZE_DEFAULT, NVSP_SEND_BUF_SIZE_MAX, SZ_4K,
	};
	static const u32 asked[] = { 0, 1, 7, NVSP_VRSS_CHANNEL_MAX - 1 };
	struct nvsp_msg resp = {};
	u32 type, body, size, cnt, i;
	void *copy;
	int ret;

	if (len < NVSP_MSG_HDR_SIZE)
		return;
	type = get_unaligned_le32(data);
	body = netvsc_nvsp_body_min(type);
	/* what the waiter may read lies in its copy */
	FUZZ_ASSERT(body <= NVSP_MSG_BODY_SIZE);
	if (len < NVSP_MSG_HDR_SIZE + body)
		return;
	memcpy(&resp, data, min_t(u32, len, sizeof(resp)));

	switch (type) {
	case NVSP_MSG_SEND_RECV_BUF_COMP:
		/* the body as sent, so that a read past it is caught */
		copy = fuzz_dup(data + NVSP_MSG_HDR_SIZE,
				len - NVSP_MSG_HDR_SIZE);
		for (i = 0; i < ARRAY_SIZE(recv_sizes); i++) {
			ret = netvsc_recv_buf_comp_check(&resp.body.recv_buf_comp,
							 sizeof(resp.body),
							 recv_sizes[i], &size,
							 &cnt);
			FUZZ_ASSERT(!ret || ret == -EIO || ret == -EPROTO);
			if (!ret)
				FUZZ_ASSERT(size >= NVSP_SECTION_SIZE_MIN &&
					    cnt && (u64)size * cnt <= recv_sizes[i]);
			ret = netvsc_recv_buf_comp_check(copy,
							 len - NVSP_MSG_HDR_SIZE,
							 recv_sizes[i], &size,
							 &cnt);
			if (!ret)
				FUZZ_ASSERT(len - NVSP_MSG_HDR_SIZE >=
					    struct_size(&resp.body.recv_buf_comp,
							sections, 1));
		}
		free(copy);
		break;
	case NVSP_MSG_SEND_SEND_BUF_COMP:
		for (i = 0; i < ARRAY_SIZE(send_sizes); i++) {
			ret = netvsc_send_buf_comp_check(&resp.body.send_buf_comp,
							 send_sizes[i], &size,
							 &cnt);
			FUZZ_ASSERT(!ret || ret == -EIO || ret == -EPROTO);
			if (!ret)
				FUZZ_ASSERT(size >= NVSP_SECTION_SIZE_MIN &&
					    size <= send_sizes[i] && cnt &&
					    (u64)size * cnt <= send_sizes[i]);
		}
		break;
	case NVSP_MSG_SUBCHANNEL:
		for (i = 0; i < ARRAY_SIZE(asked); i++) {
			ret = netvsc_subchan_comp_check(&resp.body.subchan_comp,
							asked[i], &cnt);
			FUZZ_ASSERT(cnt <= asked[i]);
			FUZZ_ASSERT(ret != -EIO || !cnt);
			FUZZ_ASSERT(!ret || ret == -EIO || ret == -EPROTO);
		}
		break;
	}
}

/**
 * fuzz_send_table - a SEND_INDIRECTION_TABLE message
 * @msg: the NVSP message, type word included
 * @len: its length
 * @nvsp_ver: negotiated NVSP version
 *
 * A table is taken whole or not at all, comes from inside the message, and
 * whatever it says, the queue picked for any hash is one in use.
 */
void fuzz_send_table(const u8 *msg, u32 len, u32 nvsp_ver)
{
	const u32 bytes = NVSP_SEND_TABLE_SIZE * sizeof(__le32);
	u32 table[NVSP_SEND_TABLE_SIZE];
	u32 off, n, i, hash;
	int ret;

	memset(table, 0xa5, sizeof(table));
	ret = netvsc_send_table_parse(msg, len, nvsp_ver, table);
	if (ret) {
		FUZZ_ASSERT(ret == -EPROTO);
		for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
			FUZZ_ASSERT(table[i] == 0xa5a5a5a5);
		return;
	}
	FUZZ_ASSERT(len >= NVSP_MSG_HDR_SIZE + sizeof(struct nvsp_msg_send_table));
	FUZZ_ASSERT(get_unaligned_le32(msg + NVSP_MSG_HDR_SIZE) ==
		    NVSP_SEND_TABLE_SIZE);
	if (nvsp_ver <= NVSP_PROTO_VERSION_6)
		off = NVSP_SEND_TABLE_OFFSET_LEGACY;
	else
		off = get_unaligned_le32(msg + NVSP_MSG_HDR_SIZE +
				offsetof(struct nvsp_msg_send_table, offset));
	FUZZ_ASSERT((u64)off + bytes <= len);
	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		FUZZ_ASSERT(table[i] == get_unaligned_le32(msg + off + 4 * i));

	for (n = 1; n <= NVSP_VRSS_CHANNEL_MAX; n++) {
		for (i = 0; i < 2 * NVSP_SEND_TABLE_SIZE; i++) {
			hash = i + table[i % NVSP_SEND_TABLE_SIZE] * 0x9e3779b9u;
			FUZZ_ASSERT(netvsc_send_table_pick(table, hash, n) < n);
		}
	}
}

/**
 * fuzz_nvsp_inband - an inband NVSP message from the host
 * @data: the VMBus payload
 * @len: its length
 *
 * As netvsc_inband(): at most an NVSP message and a table are kept.
 */
void fuzz_nvsp_inband(const u8 *data, u32 len)
{
	u8 *msg;

	len = min_t(u32, len, sizeof(struct nvsp_msg) +
			      NVSP_SEND_TABLE_SIZE * sizeof(u32));
	if (len < NVSP_MSG_HDR_SIZE)
		return;
	msg = fuzz_dup(data, len);
	if (get_unaligned_le32(msg) == NVSP_MSG_SEND_INDIRECTION_TABLE) {
		fuzz_send_table(msg, len, NVSP_PROTO_VERSION_6);
		fuzz_send_table(msg, len, NVSP_PROTO_VERSION_61);
	}
	free(msg);
}

/**
 * fuzz_ppi - received per-packet info
 * @ppi: the PPI area, exactly
 * @len: its length
 */
void fuzz_ppi(const u8 *ppi, u32 len)
{
	struct netvsc_rx_info info;
	int ret;

	ret = netvsc_ppi_parse(ppi, len, &info);
	FUZZ_ASSERT(!ret || ret == -EPROTO);
	if (!ret && len)
		FUZZ_ASSERT(len >= RNDIS_PPI_U32_SIZE);
	if (!len)
		FUZZ_ASSERT(!ret && !info.has_csum && !info.has_vlan &&
			    !info.has_hash && !info.has_hash_info &&
			    !info.has_pkt_id);
}

/**
 * fuzz_rndis_data - an RNDIS data message in the receive buffer
 * @msg: the message in the receive buffer
 * @hdr: private copy of its header, msg_len checked
 *
 * As netvsc_rx_data(): frame and PPIs lie inside the message, the PPIs fit
 * the driver's stack copy.  RSC reassembly is target rsc_seq (fuzz_seq.c).
 */
void fuzz_rndis_data(const u8 *msg, const struct rndis_msg *hdr)
{
	u32 msg_len = le32_to_cpu(hdr->hdr.msg_len);
	u8 ppi[NETVSC_RX_PPI_MAX];
	struct netvsc_rx_pkt pkt;
	u8 *copy;

	if (netvsc_rndis_pkt_check(hdr, &pkt))
		return;
	FUZZ_ASSERT(pkt.data_len && pkt.data_off >= RNDIS_HDR_SIZE &&
		    (u64)pkt.data_off + pkt.data_len <= msg_len);
	FUZZ_ASSERT(pkt.ppi_len <= NETVSC_RX_PPI_MAX);
	if (pkt.ppi_len)
		FUZZ_ASSERT(pkt.ppi_off >= RNDIS_HDR_SIZE &&
			    (u64)pkt.ppi_off + pkt.ppi_len <= msg_len);
	else
		FUZZ_ASSERT(!pkt.ppi_off);

	memcpy(ppi, msg + pkt.ppi_off, pkt.ppi_len);
	copy = fuzz_dup(ppi, pkt.ppi_len);
	fuzz_ppi(copy, pkt.ppi_len);
	free(copy);
	fuzz_touch(msg + pkt.data_off, pkt.data_len);
}

/**
 * fuzz_query_info - locate and copy out the answer of a QUERY_C
 * @msg: the whole completion
 * @len: its length
 * @out: where the caller copies the information
 * @cap: room there
 *
 * As netvsc_rndis_query(): the information lies inside the completion.
 *
 * Return: bytes copied, or a negative errno as netvsc_query_info().
 */
int fuzz_query_info(const u8 *msg, u32 len, void *out, u32 cap)
{
	u32 off, info_len;
	int ret;

	ret = netvsc_query_info((const void *)msg, len, &off, &info_len);
	FUZZ_ASSERT(!ret || ret == -EIO || ret == -EPROTO);
	if (ret)
		return ret;
	FUZZ_ASSERT(off >= RNDIS_HDR_SIZE && (u64)off + info_len <= len);
	memcpy(out, msg + off, min(info_len, cap));
	return min(info_len, cap);
}

/**
 * fuzz_rndis_ctrl - an RNDIS control completion
 * @msg: private copy of the message
 * @len: its length (at most FUZZ_CTRL_RESP_MAX, as the receive path cuts)
 *
 * As netvsc_ctrl_rndis_done(): too short for a request id, or not the
 * length of its type, and it is dropped.  The waiters of INIT_C, SET_C and
 * KEEPALIVE_C read a struct rndis_msg; that of QUERY_C a larger buffer.
 */
void fuzz_rndis_ctrl(const u8 *msg, u32 len)
{
	u32 type, need;
	u8 *out;

	if (len < RNDIS_HDR_SIZE + sizeof(__le32))
		return;
	type = get_unaligned_le32(msg);
	need = netvsc_rndis_comp_min(type);
	FUZZ_ASSERT(!need || need >= RNDIS_HDR_SIZE + sizeof(__le32));
	if (!need || len < need || len > FUZZ_CTRL_RESP_MAX)
		return;
	if (type != RNDIS_MSG_QUERY_C) {
		FUZZ_ASSERT(need <= sizeof(struct rndis_msg));
		return;
	}
	out = malloc(FUZZ_CTRL_RESP_MAX);
	if (!out)
		abort();
	fuzz_query_info(msg, len, out, FUZZ_CTRL_RESP_MAX);
	free(out);
}

/**
 * fuzz_oid_answer - the QUERY_C answers whose information the driver parses
 * @msg: the whole completion
 * @len: its length
 *
 * As netvsc_rndis_offload() (NDIS_OFFLOAD object, checked then reduced by
 * netvsc_caps_parse()) and netvsc_rss_caps() (RSS capabilities).
 */
void fuzz_oid_answer(const u8 *msg, u32 len)
{
	static const u32 cpus[] = { 1, 2, 64, 4096 };
	struct netvsc_hw_caps caps;
	struct ndis_offload_caps hw;
	struct ndis_rss_caps rss;
	u32 size, queues, itab, n, i;
	int ret;

	if (len < netvsc_rndis_comp_min(RNDIS_MSG_QUERY_C) ||
	    len > FUZZ_CTRL_RESP_MAX ||
	    get_unaligned_le32(msg) != RNDIS_MSG_QUERY_C)
		return;

	memset(&hw, 0, sizeof(hw));
	ret = fuzz_query_info(msg, len, &hw, sizeof(hw));
	size = le16_to_cpu(hw.hdr.size);
	if (ret >= (int)NDIS_OFFLOAD_CAPS_SIZE_6_0 &&
	    hw.hdr.type == NDIS_OBJ_TYPE_OFFLOAD && hw.hdr.rev &&
	    size >= NDIS_OFFLOAD_CAPS_SIZE_6_0 && size <= ret) {
		netvsc_caps_parse(&hw, size, &caps);
		FUZZ_ASSERT(caps.tso_max <= GSO_LEGACY_MAX_SIZE);
		FUZZ_ASSERT(!caps.tso_max || caps.tso);
		FUZZ_ASSERT(!(caps.tso & NETIF_F_TSO) ||
			    (caps.csum_tx & NETIF_F_IP_CSUM));
		FUZZ_ASSERT(!(caps.tso & NETIF_F_TSO6) ||
			    (caps.csum_tx & NETIF_F_IPV6_CSUM));
		FUZZ_ASSERT(!caps.rsc || size >= NDIS_OFFLOAD_CAPS_SIZE_6_30);
	}

	memset(&rss, 0, sizeof(rss));
	ret = fuzz_query_info(msg, len, &rss, sizeof(rss));
	if (ret >= (int)sizeof(rss)) {
		ret = netvsc_rss_caps_parse(&rss, ret, &queues, &itab);
		FUZZ_ASSERT(!ret || ret == -EPROTO);
		if (ret)
			return;
		FUZZ_ASSERT(itab >= 1 && itab <= NDIS_RSS_ITAB_MAX);
		for (i = 0; i < ARRAY_SIZE(cpus); i++) {
			n = netvsc_chans_limit(queues, cpus[i]);
			FUZZ_ASSERT(n >= 1 && n <= NVSP_VRSS_CHANNEL_MAX &&
				    (n == 1 || (n <= queues && n <= cpus[i])));
		}
	}
}

/**
 * fuzz_indicate - an RNDIS status indication
 * @msg: private copy of the message
 * @len: bytes of it (the range length, cut at FUZZ_CTRL_RESP_MAX)
 */
void fuzz_indicate(const u8 *msg, u32 len)
{
	u32 status = 0, speed = 0, boff;
	int ret;

	ret = netvsc_indicate_parse((const void *)msg, len, &status, &speed);
	FUZZ_ASSERT(!ret || ret == -EPROTO);
	if (ret || status != RNDIS_STATUS_LINK_SPEED_CHANGE)
		return;
	boff = get_unaligned_le32(msg + RNDIS_HDR_SIZE +
				  offsetof(struct rndis_status_ind,
					   status_buf_offset));
	FUZZ_ASSERT((u64)RNDIS_HDR_SIZE + boff + sizeof(__le32) <= len);
	FUZZ_ASSERT(speed == get_unaligned_le32(msg + RNDIS_HDR_SIZE + boff) /
			     10000);
}

/**
 * fuzz_rndis_keepalive - a host RNDIS_MSG_KEEPALIVE
 * @hdr: private copy of its header, msg_len checked
 *
 * The id parsed is the one answered, once.
 */
void fuzz_rndis_keepalive(const struct rndis_msg *hdr)
{
	atomic64_t pending = {};
	u32 id, got;

	if (netvsc_keepalive_parse(hdr, &id))
		return;
	FUZZ_ASSERT(le32_to_cpu(hdr->hdr.msg_len) >=
		    RNDIS_HDR_SIZE + sizeof(struct rndis_keepalive_req));
	FUZZ_ASSERT(!netvsc_keepalive_note(&pending, id ^ 1));
	FUZZ_ASSERT(netvsc_keepalive_note(&pending, id));
	FUZZ_ASSERT(netvsc_keepalive_take(&pending, &got) && got == id);
	FUZZ_ASSERT(!netvsc_keepalive_take(&pending, &got));
}

/**
 * fuzz_rndis_range - one range of a transfer-page packet
 * @rbuf: the receive buffer
 * @rbuf_size: its size
 * @off: range offset, checked by netvsc_xfer_check()
 * @len: range length, likewise
 *
 * As netvsc_rx_range() and netvsc_rx_control().
 */
void fuzz_rndis_range(const u8 *rbuf, u32 rbuf_size, u32 off, u32 len)
{
	struct rndis_msg hdr = {};
	u32 type, msg_len, n;
	u8 *scratch;

	FUZZ_ASSERT(netvsc_range_ok(rbuf_size, off, len));
	memcpy(&hdr, rbuf + off, min_t(u32, len, sizeof(hdr)));
	if (netvsc_rndis_msg_check(&hdr, len))
		return;
	type = le32_to_cpu(hdr.hdr.msg_type);
	msg_len = le32_to_cpu(hdr.hdr.msg_len);
	FUZZ_ASSERT(msg_len >= RNDIS_HDR_SIZE && msg_len <= len);

	switch (type) {
	case RNDIS_MSG_PACKET:
		fuzz_rndis_data(rbuf + off, &hdr);
		break;
	case RNDIS_MSG_INIT_C:
	case RNDIS_MSG_QUERY_C:
	case RNDIS_MSG_SET_C:
	case RNDIS_MSG_KEEPALIVE_C:
	case RNDIS_MSG_INDICATE:
		n = min_t(u32, type == RNDIS_MSG_INDICATE ? len : msg_len,
			  FUZZ_CTRL_RESP_MAX);
		scratch = fuzz_dup(rbuf + off, n);
		if (type == RNDIS_MSG_INDICATE)
			fuzz_indicate(scratch, n);
		else
			fuzz_rndis_ctrl(scratch, n);
		free(scratch);
		break;
	case RNDIS_MSG_KEEPALIVE:
		fuzz_rndis_keepalive(&hdr);
		break;
	}
}

/**
 * fuzz_xfer_pkt - a transfer-page packet and the receive buffer
 * @data: the VMBus packet (descriptor first, len8 * 8 bytes long), then
 *	the receive buffer it points into
 * @len: bytes of both
 *
 * As netvsc_dispatch() and netvsc_rx_xfer(): nothing of the buffer is read
 * before every range is checked against it.
 */
void fuzz_xfer_pkt(const u8 *data, u32 len)
{
	const struct vmtransfer_page_packet_header *xfer;
	u32 pkt_len = len, rbuf_size, data_off, i;
	const struct nvsp_msg *nv;
	u8 *pkt, *rbuf;

	if (len >= sizeof(struct vmpacket_descriptor)) {
		const struct vmpacket_descriptor *d = (const void *)data;

		if (d->offset8 > d->len8)
			return;
		pkt_len = min_t(u32, len, (u32)d->len8 << 3);
	}
	pkt = fuzz_dup(data, pkt_len);
	rbuf_size = len - pkt_len;
	rbuf = fuzz_dup(data + pkt_len, rbuf_size);
	xfer = (const void *)pkt;

	if (netvsc_xfer_check(xfer, pkt_len, rbuf_size, NVSP_XFER_RANGES_MAX))
		goto out;
	FUZZ_ASSERT(xfer->xfer_pageset_id == NVSP_RECV_BUF_ID);
	FUZZ_ASSERT(xfer->range_cnt >= 1 &&
		    xfer->range_cnt <= NVSP_XFER_RANGES_MAX);
	FUZZ_ASSERT(NVSP_XFER_PKT_SIZE(xfer->range_cnt) <= pkt_len);
	data_off = (u32)xfer->d.offset8 << 3;
	FUZZ_ASSERT(data_off >= NVSP_XFER_PKT_SIZE(xfer->range_cnt) &&
		    (u64)data_off + NVSP_MSG_HDR_SIZE +
		    sizeof(struct nvsp_msg_rndis_pkt) <= pkt_len);
	nv = (const void *)(pkt + data_off);
	FUZZ_ASSERT(le32_to_cpu(nv->type) == NVSP_MSG_SEND_RNDIS_PKT);
	for (i = 0; i < xfer->range_cnt; i++)
		FUZZ_ASSERT(xfer->ranges[i].byte_count >= RNDIS_HDR_SIZE &&
			    (u64)xfer->ranges[i].byte_offset +
			    xfer->ranges[i].byte_count <= rbuf_size);

	for (i = 0; i < xfer->range_cnt; i++)
		fuzz_rndis_range(rbuf, rbuf_size, xfer->ranges[i].byte_offset,
				 xfer->ranges[i].byte_count);
out:
	free(rbuf);
	free(pkt);
}
