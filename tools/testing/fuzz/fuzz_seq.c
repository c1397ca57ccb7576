// SPDX-License-Identifier: GPL-2.0
/*
 * The walkers of the driver's stateful host-input logic, fed sequences:
 * RSC reassembly (netvsc_rsc_add(), netvsc_rsc_reset()) and the matching
 * of control answers to waiting slots (netvsc_ctrl_arm(),
 * netvsc_ctrl_claim()).  Each keeps a model of the state the driver's
 * function keeps, written from the function's contract, not its code, and
 * checks every call's result and the state after it against the model.
 */
#include "fuzz.h"

/* ---- RSC reassembly --------------------------------------------------- */

/* What a correct reassembly holds: the packet being collected. */
struct fuzz_rsc_model {
	u32 cnt;
	u64 total;
	u32 off[NVSP_XFER_RANGES_MAX];
	u32 len[NVSP_XFER_RANGES_MAX];
	struct netvsc_rx_info info;
	/* packets started, completed, dropped (all time) */
	u64 started, done, dropped;
};

struct fuzz_rsc {
	struct netvsc_rsc rsc;
	struct fuzz_rsc_model m;
	const u8 *rbuf;
	u32 rbuf_size;
};

/*
 * Lead the fuzzer towards the limits: a packet's size and fragment count
 * each reach a new edge every sixteenth of the way, so an input that
 * collects more is kept and mutated further.
 */
#define FUZZ_STEP(v, max, k)	do { if ((v) >= (max) / 16 * (k)) fuzz_sink++; } while (0)
static void fuzz_rsc_progress(u64 total, u32 cnt)
{
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 1);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 2);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 3);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 4);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 5);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 6);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 7);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 8);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 9);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 10);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 11);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 12);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 13);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 14);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 15);
	FUZZ_STEP(total, NETVSC_RSC_MAX_BYTES, 16);
	FUZZ_STEP(cnt, NVSP_XFER_RANGES_MAX, 4);
	FUZZ_STEP(cnt, NVSP_XFER_RANGES_MAX, 8);
	FUZZ_STEP(cnt, NVSP_XFER_RANGES_MAX, 12);
	FUZZ_STEP(cnt, NVSP_XFER_RANGES_MAX, 16);
}

/* The model drops its packet: the driver counts one drop. */
static bool fuzz_rsc_model_drop(struct fuzz_rsc_model *m)
{
	if (!m->cnt)
		return false;
	m->cnt = 0;
	m->dropped++;
	return true;
}

/* As netvsc_rsc_drop(): a non-RSC frame or the end of a receive packet. */
static void fuzz_rsc_reset(struct fuzz_rsc *f)
{
	bool lost = netvsc_rsc_reset(&f->rsc);

	FUZZ_ASSERT(lost == fuzz_rsc_model_drop(&f->m));
	FUZZ_ASSERT(!f->rsc.cnt);
	FUZZ_ASSERT(f->m.started == f->m.done + f->m.dropped);
}

/*
 * The frame netvsc_rx_frame() builds of a completed packet: a buffer of
 * the total, each fragment copied from the receive buffer.
 */
static void fuzz_rsc_deliver(struct fuzz_rsc *f, u32 cnt)
{
	const struct netvsc_rsc *rsc = &f->rsc;
	u32 i, at = 0;
	u8 *skb;

	FUZZ_ASSERT(cnt >= 1 && cnt <= NVSP_XFER_RANGES_MAX);
	FUZZ_ASSERT(rsc->total <= NETVSC_RSC_MAX_BYTES);
	skb = malloc(rsc->total ? rsc->total : 1);
	if (!skb)
		abort();
	for (i = 0; i < cnt; i++) {
		FUZZ_ASSERT(netvsc_range_ok(f->rbuf_size, rsc->off[i],
					    rsc->len[i]));
		FUZZ_ASSERT(rsc->len[i] <= rsc->total - at);
		memcpy(skb + at, f->rbuf + rsc->off[i], rsc->len[i]);
		at += rsc->len[i];
	}
	FUZZ_ASSERT(at == rsc->total);
	fuzz_touch(skb, at);
	free(skb);
}

/* One RSC fragment, as netvsc_rx_rsc(); checked against the model. */
static void fuzz_rsc_frag(struct fuzz_rsc *f, u32 off, u32 len,
			  const struct netvsc_rx_info *info)
{
	struct fuzz_rsc_model *m = &f->m;
	bool first = info->pkt_id_flags & RNDIS_PPI_PKT_ID_FIRST_FRAG;
	bool last = info->pkt_id_flags & RNDIS_PPI_PKT_ID_LAST_FRAG;
	bool dropped, want_drop = false;
	int ret, want;
	u32 i;

	if (first) {
		want_drop = fuzz_rsc_model_drop(m);
		m->info = *info;
		m->total = 0;
		m->started++;
	}
	if (!first && !m->cnt) {
		want = -EPROTO;
	} else if (m->cnt == NVSP_XFER_RANGES_MAX ||
		   m->total + len > NETVSC_RSC_MAX_BYTES) {
		want = -EMSGSIZE;
		/* a first fragment alone too large: nothing collected */
		if (!m->cnt)
			m->dropped++;
		want_drop |= fuzz_rsc_model_drop(m);
	} else {
		m->off[m->cnt] = off;
		m->len[m->cnt] = len;
		m->cnt++;
		m->total += len;
		want = last ? (int)m->cnt : 0;
	}
	fuzz_rsc_progress(m->total + (want == -EMSGSIZE ? len : 0), m->cnt);

	ret = netvsc_rsc_add(&f->rsc, off, len, info, &dropped);
	FUZZ_ASSERT(ret == want);
	FUZZ_ASSERT(dropped == want_drop);
	FUZZ_ASSERT(f->rsc.cnt <= NVSP_XFER_RANGES_MAX);
	/* (an empty state's total is stale: nothing reads it) */
	FUZZ_ASSERT((!f->rsc.cnt && ret <= 0) ||
		    f->rsc.total <= NETVSC_RSC_MAX_BYTES);
	if (ret <= 0) {
		FUZZ_ASSERT(f->rsc.cnt == m->cnt);
		if (m->cnt)
			FUZZ_ASSERT(f->rsc.total == m->total);
		return;
	}
	/* completed: exactly the fragments since the first, and empty again */
	FUZZ_ASSERT(!f->rsc.cnt);
	FUZZ_ASSERT(f->rsc.total == m->total);
	FUZZ_ASSERT(!memcmp(&f->rsc.info, &m->info, sizeof(m->info)));
	for (i = 0; i < m->cnt; i++)
		FUZZ_ASSERT(f->rsc.off[i] == m->off[i] &&
			    f->rsc.len[i] == m->len[i]);
	m->cnt = 0;
	m->done++;
	fuzz_rsc_deliver(f, ret);
}

/* One range: as netvsc_rx_range() and netvsc_rx_data(), RSC included. */
static void fuzz_rsc_range(struct fuzz_rsc *f, u32 off, u32 len)
{
	u8 ppi[NETVSC_RX_PPI_MAX];
	struct rndis_msg hdr = {};
	struct netvsc_rx_info info;
	struct netvsc_rx_pkt pkt;
	u8 *copy;
	int ret;

	memcpy(&hdr, f->rbuf + off, min_t(u32, len, sizeof(hdr)));
	if (netvsc_rndis_msg_check(&hdr, len) ||
	    le32_to_cpu(hdr.hdr.msg_type) != RNDIS_MSG_PACKET)
		return;
	/* a malformed data message leaves the packet being collected */
	if (netvsc_rndis_pkt_check(&hdr, &pkt))
		return;
	memcpy(ppi, f->rbuf + off + pkt.ppi_off, pkt.ppi_len);
	copy = fuzz_dup(ppi, pkt.ppi_len);
	ret = netvsc_ppi_parse(copy, pkt.ppi_len, &info);
	free(copy);
	if (ret)
		return;
	if (info.has_pkt_id && (info.pkt_id_flags & RNDIS_PPI_PKT_ID_SUBALLOC)) {
		fuzz_rsc_frag(f, off + pkt.data_off, pkt.data_len, &info);
		return;
	}
	fuzz_rsc_reset(f);
	fuzz_touch(f->rbuf + off + pkt.data_off, pkt.data_len);
}

/**
 * fuzz_rsc_seq - receive packets whose ranges carry RSC fragments
 * @data: records, each a __le16 control word, a __le16 length and that
 *	many bytes of an RNDIS message (cut to what is left); the control
 *	word's bits 0-14 are how many more ranges of the same receive packet
 *	name the same message (a host may point them anywhere), bit 15 ends
 *	the receive packet after them
 * @len: bytes of @data
 *
 * The whole of @data is the receive buffer.  As netvsc_rx_xfer(): a
 * packet of NVSP_XFER_RANGES_MAX ranges ends there, and an RSC packet
 * unfinished at the end of a receive packet is dropped.  Checked against
 * the model after every fragment: a packet is completed with exactly its
 * fragments, their total never past NETVSC_RSC_MAX_BYTES, and the state is
 * empty after it; a fragment with no first one is refused; every packet
 * started is completed or dropped, and counted dropped once.
 */
void fuzz_rsc_seq(const u8 *data, u32 len)
{
	struct fuzz_rsc *f = calloc(1, sizeof(*f));
	u32 pos = 0, ranges = 0, mlen, rep, ctl, i;

	if (!f)
		abort();
	f->rbuf = fuzz_dup(data, len);
	f->rbuf_size = len;
	/* whatever a previous input left: this one must not see it */
	memset(&f->rsc, 0x5a, sizeof(f->rsc));
	f->rsc.cnt = 0;
	while (len - pos >= 4) {
		ctl = get_unaligned_le16(data + pos);
		mlen = min_t(u32, get_unaligned_le16(data + pos + 2),
			     len - pos - 4);
		pos += 4;
		rep = (ctl & 0x7fff) + 1;
		for (i = 0; i < rep && mlen >= RNDIS_HDR_SIZE; i++) {
			fuzz_rsc_range(f, pos, mlen);
			if (++ranges == NVSP_XFER_RANGES_MAX)
				break;
		}
		pos += mlen;
		if ((ctl & 0x8000) || ranges == NVSP_XFER_RANGES_MAX) {
			fuzz_rsc_reset(f);
			ranges = 0;
		}
	}
	fuzz_rsc_reset(f);
	free((void *)f->rbuf);
	free(f);
}

/* ---- control-answer matching ---------------------------------------- */

#define FUZZ_CTRL_HIST	64

/* The request a slot holds, as the model remembers it. */
struct fuzz_ctrl_req {
	u32 id;		/* 0: the slot is free */
	u32 expect;
	u8 kind;
	u32 claims;
};

struct fuzz_ctrl {
	struct netvsc_ctrl_want want[NETVSC_CTRL_SLOTS];
	struct fuzz_ctrl_req req[NETVSC_CTRL_SLOTS];
	u32 hist[FUZZ_CTRL_HIST];	/* the last ids handed out */
	u32 nhist;
	u32 gen;
};

static const u32 fuzz_ctrl_types[] = {
	0, NVSP_MSG_INIT_COMP, NVSP_MSG_SEND_RECV_BUF_COMP,
	NVSP_MSG_SEND_SEND_BUF_COMP, NVSP_MSG_SUBCHANNEL,
	NVSP_MSG_SEND_RNDIS_PKT_COMP, RNDIS_MSG_INIT_C, RNDIS_MSG_QUERY_C,
	RNDIS_MSG_SET_C, RNDIS_MSG_KEEPALIVE_C, RNDIS_MSG_INDICATE,
	NVSP_MSG_SEND_INDIRECTION_TABLE,
};

/* As netvsc_ctrl_slot_alloc(): the first free slot gets a fresh id. */
static void fuzz_ctrl_slot_alloc(struct fuzz_ctrl *c, u8 kind, u32 expect)
{
	struct netvsc_ctrl_want *w;
	u32 i, j;

	for (i = 0; i < NETVSC_CTRL_SLOTS; i++)
		if (!c->want[i].id)
			break;
	if (i == NETVSC_CTRL_SLOTS)
		return;
	w = &c->want[i];
	netvsc_ctrl_arm(w, &c->gen, i, kind, expect);
	FUZZ_ASSERT(c->gen && c->gen <= FIELD_MAX(NETVSC_CTRL_ID_GEN));
	FUZZ_ASSERT(w->id && netvsc_ctrl_slot_of(w->id) == i);
	FUZZ_ASSERT(FIELD_GET(NETVSC_CTRL_ID_SLOT, w->id) == i);
	FUZZ_ASSERT(w->kind == kind && w->expect == expect && !w->answered);
	/* never the id of a request this input saw lately */
	for (j = 0; j < min_t(u32, c->nhist, FUZZ_CTRL_HIST); j++)
		FUZZ_ASSERT(c->hist[j] != w->id);
	c->hist[c->nhist++ % FUZZ_CTRL_HIST] = w->id;
	c->req[i] = (struct fuzz_ctrl_req){ .id = w->id, .expect = expect,
					    .kind = kind };
}

/* As netvsc_ctrl_slot_free() and netvsc_ctrl_take(): the slot is free again. */
static void fuzz_ctrl_slot_free(struct fuzz_ctrl *c, u32 slot)
{
	c->req[slot].id = 0;
	c->want[slot].id = 0;
}

/* As netvsc_ctrl_answer(): an answer of @kind, @id, @type and @len. */
static void fuzz_ctrl_answer(struct fuzz_ctrl *c, u32 kind, u32 id, u32 type,
			     u32 len)
{
	struct netvsc_ctrl_want before[NETVSC_CTRL_SLOTS];
	u32 s = netvsc_ctrl_slot_of(id), i, need;
	struct fuzz_ctrl_req *r = NULL;
	bool fits, want = false, got;

	FUZZ_ASSERT(s < NETVSC_CTRL_SLOTS);
	/* the request this id names, if a slot still holds it */
	for (i = 0; i < NETVSC_CTRL_SLOTS; i++)
		if (id && c->req[i].id == id)
			r = &c->req[i];
	fits = netvsc_ctrl_fits(kind, type, len);
	if (kind == NETVSC_COOKIE_KIND_NVSP) {
		need = NVSP_MSG_HDR_SIZE + netvsc_nvsp_body_min(type);
		FUZZ_ASSERT(need <= sizeof(struct nvsp_msg));
		FUZZ_ASSERT(fits == (len >= need));
	} else {
		need = netvsc_rndis_comp_min(type);
		FUZZ_ASSERT(!need || need >= RNDIS_HDR_SIZE + sizeof(__le32));
		FUZZ_ASSERT(fits == (len >= need && len <= FUZZ_CTRL_RESP_MAX));
	}
	/* a request expecting NVSP_MSG_NONE (SWITCH_DATA_PATH) takes any */
	if (r && !r->claims && r->kind == kind &&
	    ((kind == NETVSC_COOKIE_KIND_NVSP && r->expect == NVSP_MSG_NONE) ||
	     (r->expect == type && fits)))
		want = true;

	memcpy(before, c->want, sizeof(before));
	got = netvsc_ctrl_claim(&c->want[s], kind, id, type, len);
	FUZZ_ASSERT(got == want);
	/* the slot the id names, and no other, changed: answered, once */
	for (i = 0; i < NETVSC_CTRL_SLOTS; i++)
		if (i != s || !got)
			FUZZ_ASSERT(!memcmp(&before[i], &c->want[i],
					    sizeof(before[i])));
	if (!got)
		return;
	FUZZ_ASSERT(r == &c->req[s] && FIELD_GET(NETVSC_CTRL_ID_SLOT, id) == s);
	FUZZ_ASSERT(c->want[s].answered && c->want[s].id == id);
	r->claims++;
	FUZZ_ASSERT(r->claims == 1);
}

/**
 * fuzz_ctrl_seq - requests, give-ups and answers against the slot table
 * @data: a __le32 generation count to start from, then 12-byte records:
 *	op, a, b, c, __le32 x, __le32 len.  op % 3: 0 takes a slot (kind
 *	by a, expected type by b), 1 gives slot b up, 2 answers: the id is
 *	that of slot b (a % 4 == 0), of one of the last 64 requests (1), of slot b
 *	with bit c of it flipped (2), or x (3); the kind is c >> 6 (0 and 3
 *	are no kind), the type that slot's expected one (bit 7 of a) or one
 *	of a list by x, the length @len
 * @len: bytes of @data
 *
 * Checked against the model: a new id is never 0 nor one seen before and
 * names its slot; an answer is taken only for a request its slot still
 * holds, of its kind and type and with a length that fits, only once, and
 * only by the slot its id names, which is the only state that changes.
 */
void fuzz_ctrl_seq(const u8 *data, u32 len)
{
	struct fuzz_ctrl *c = calloc(1, sizeof(*c));
	u32 pos = 4, id, type, kind, slot, x;
	u8 op, a, b, cc;

	if (!c)
		abort();
	if (len < 4)
		goto out;
	c->gen = get_unaligned_le32(data) & FIELD_MAX(NETVSC_CTRL_ID_GEN);
	for (; len - pos >= 12; pos += 12) {
		op = data[pos];
		a = data[pos + 1];
		b = data[pos + 2];
		cc = data[pos + 3];
		x = get_unaligned_le32(data + pos + 4);
		slot = b % NETVSC_CTRL_SLOTS;
		switch (op % 3) {
		case 0:
			fuzz_ctrl_slot_alloc(c, a & 1 ? NETVSC_COOKIE_KIND_RNDIS :
						 NETVSC_COOKIE_KIND_NVSP,
				      fuzz_ctrl_types[b % ARRAY_SIZE(fuzz_ctrl_types)]);
			break;
		case 1:
			fuzz_ctrl_slot_free(c, slot);
			break;
		default:
			switch (a % 4) {
			case 0:
				id = c->want[slot].id;
				break;
			case 1:
				id = c->nhist ? c->hist[b % min_t(u32, c->nhist,
								FUZZ_CTRL_HIST)] : 0;
				break;
			case 2:
				id = c->want[slot].id ^ BIT(cc % 32);
				break;
			default:
				id = x;
			}
			kind = cc >> 6;
			type = a & 0x80 ? c->want[netvsc_ctrl_slot_of(id)].expect :
			       fuzz_ctrl_types[x % ARRAY_SIZE(fuzz_ctrl_types)];
			fuzz_ctrl_answer(c, kind, id, type,
					 get_unaligned_le32(data + pos + 8));
		}
	}
out:
	free(c);
}
