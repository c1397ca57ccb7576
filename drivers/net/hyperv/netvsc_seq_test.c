// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the sequences of netvsc_seq.c: keepalive coalescing,
 * control ids (cookies) and the matching of control answers, RSC
 * reassembly, fed host sequences that are good, replayed, out of order or
 * out of bounds.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "netvsc_compat.h"
#include "netvsc_proto.h"
#include "netvsc_seq.h"

/* A host keepalive's id is read; only the latest unanswered one is kept */
static void netvsc_test_keepalive(struct kunit *test)
{
	u8 buf[sizeof(struct rndis_msg)] = {};
	struct rndis_msg *m = (void *)buf;
	atomic64_t pending = ATOMIC64_INIT(0);
	u32 id = 0;

	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_KEEPALIVE);
	m->hdr.msg_len = cpu_to_le32(RNDIS_HDR_SIZE + 4);
	m->body.keepalive_req.req_id = cpu_to_le32(0x12345678);
	KUNIT_EXPECT_EQ(test, netvsc_keepalive_parse(m, &id), 0);
	KUNIT_EXPECT_EQ(test, id, 0x12345678);
	m->hdr.msg_len = cpu_to_le32(RNDIS_HDR_SIZE + 3);
	KUNIT_EXPECT_EQ(test, netvsc_keepalive_parse(m, &id), -EPROTO);

	KUNIT_EXPECT_FALSE(test, netvsc_keepalive_take(&pending, &id));
	/* id 0 is a valid id, and still pending */
	KUNIT_EXPECT_FALSE(test, netvsc_keepalive_note(&pending, 0));
	KUNIT_EXPECT_TRUE(test, netvsc_keepalive_take(&pending, &id));
	KUNIT_EXPECT_EQ(test, id, 0);
	KUNIT_EXPECT_FALSE(test, netvsc_keepalive_take(&pending, &id));
	/* a flood: answered once, with the latest id */
	KUNIT_EXPECT_FALSE(test, netvsc_keepalive_note(&pending, 7));
	KUNIT_EXPECT_TRUE(test, netvsc_keepalive_note(&pending, 8));
	KUNIT_EXPECT_TRUE(test, netvsc_keepalive_note(&pending, 0xffffffff));
	KUNIT_EXPECT_TRUE(test, netvsc_keepalive_take(&pending, &id));
	KUNIT_EXPECT_EQ(test, id, 0xffffffff);
	KUNIT_EXPECT_FALSE(test, netvsc_keepalive_take(&pending, &id));
}

static void netvsc_test_cookies(struct kunit *test)
{
	const u32 id_max = FIELD_PREP(NETVSC_CTRL_ID_GEN,
				      FIELD_MAX(NETVSC_CTRL_ID_GEN)) |
			   FIELD_PREP(NETVSC_CTRL_ID_SLOT,
				      FIELD_MAX(NETVSC_CTRL_ID_SLOT));
	u64 c = netvsc_cookie(NETVSC_COOKIE_KIND_SECTION, 0xabcdef);
	struct sk_buff *skb;
	u32 kind, c_kind, c_val;

	KUNIT_EXPECT_LT(test, c, NETVSC_COOKIE_PTR_MIN);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NETVSC_COOKIE_KIND, c),
			NETVSC_COOKIE_KIND_SECTION);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NETVSC_COOKIE_VAL, c), 0xabcdef);
	/* the largest control id survives the trip through a cookie */
	c = netvsc_cookie(NETVSC_COOKIE_KIND_RNDIS, id_max);
	c_val = FIELD_GET(NETVSC_COOKIE_VAL, c);
	KUNIT_EXPECT_EQ(test, c_val, id_max);

	/*
	 * The completion handler tells an skb sent by reference from a kind
	 * cookie with netvsc_cookie_is_skb(): every kind with every value
	 * bit set must read as a cookie, a real skb as an skb.
	 */
	for (kind = NETVSC_COOKIE_KIND_NVSP; kind <= NETVSC_COOKIE_KIND_SECTION;
	     kind++) {
		c = netvsc_cookie(kind, FIELD_MAX(NETVSC_COOKIE_VAL));
		c_kind = FIELD_GET(NETVSC_COOKIE_KIND, c);
		KUNIT_EXPECT_FALSE_MSG(test, netvsc_cookie_is_skb(c),
				       "kind %u", kind);
		KUNIT_EXPECT_EQ(test, c_kind, kind);
	}
	skb = alloc_skb(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_TRUE(test, netvsc_cookie_is_skb((uintptr_t)skb));
	kfree_skb(skb);
}

static int netvsc_rsc_frag(struct netvsc_rsc *rsc, u8 flags, u32 off, u32 len,
			   bool *dropped)
{
	struct netvsc_rx_info info = {
		.has_pkt_id = true,
		.pkt_id_flags = RNDIS_PPI_PKT_ID_SUBALLOC | flags,
		.hash = off,
	};

	return netvsc_rsc_add(rsc, off, len, &info, dropped);
}

static void netvsc_test_rsc(struct kunit *test)
{
	const u8 first = RNDIS_PPI_PKT_ID_FIRST_FRAG;
	const u8 last = RNDIS_PPI_PKT_ID_LAST_FRAG;
	struct netvsc_rsc *rsc;
	bool dropped;
	u32 i;

	rsc = kunit_kzalloc(test, sizeof(*rsc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsc);

	/* first, middle, last: one packet of three, the first one's info */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 100, 1000, &dropped), 0);
	KUNIT_EXPECT_FALSE(test, dropped);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, 0, 2000, 1000, &dropped), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, 3000, 500, &dropped), 3);
	KUNIT_EXPECT_FALSE(test, dropped);
	KUNIT_EXPECT_EQ(test, rsc->total, 2500);
	KUNIT_EXPECT_EQ(test, rsc->off[2], 3000);
	KUNIT_EXPECT_EQ(test, rsc->len[2], 500);
	KUNIT_EXPECT_EQ(test, rsc->info.hash, 100);
	KUNIT_EXPECT_EQ(test, rsc->cnt, 0);
	/* completed means empty: a later fragment has no first one */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, 0, 60, &dropped),
			-EPROTO);
	KUNIT_EXPECT_FALSE(test, dropped);
	KUNIT_EXPECT_FALSE(test, netvsc_rsc_reset(rsc));

	/* one fragment that is first and last */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first | last, 8, 60,
					      &dropped), 1);

	/* a first fragment drops the packet left unfinished */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 0, 60, &dropped), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 64, 70, &dropped), 0);
	KUNIT_EXPECT_TRUE(test, dropped);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, 128, 80, &dropped), 2);
	KUNIT_EXPECT_EQ(test, rsc->total, 150);
	KUNIT_EXPECT_EQ(test, rsc->info.hash, 64);

	/* unfinished at the end of the receive packet */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 0, 60, &dropped), 0);
	KUNIT_EXPECT_TRUE(test, netvsc_rsc_reset(rsc));
	KUNIT_EXPECT_FALSE(test, netvsc_rsc_reset(rsc));

	/* exactly NETVSC_RSC_MAX_BYTES is fine, a byte more is not */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 0,
					      NETVSC_RSC_MAX_BYTES - 1,
					      &dropped), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, 0, 1, &dropped), 2);
	KUNIT_EXPECT_EQ(test, rsc->total, NETVSC_RSC_MAX_BYTES);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 0,
					      NETVSC_RSC_MAX_BYTES - 1,
					      &dropped), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, 0, 0, 2, &dropped),
			-EMSGSIZE);
	KUNIT_EXPECT_TRUE(test, dropped);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, 0, 1, &dropped),
			-EPROTO);
	/* a length that would wrap the 32-bit total */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 0, 100, &dropped), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, 0, U32_MAX - 50,
					      &dropped), -EMSGSIZE);
	KUNIT_EXPECT_TRUE(test, dropped);
	/* a first fragment too large alone drops nothing else */
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, first, 0,
					      NETVSC_RSC_MAX_BYTES + 1,
					      &dropped), -EMSGSIZE);
	KUNIT_EXPECT_FALSE(test, dropped);

	/* NVSP_XFER_RANGES_MAX fragments, not one more */
	for (i = 0; i < NVSP_XFER_RANGES_MAX; i++)
		KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, i ? 0 : first, i, 1,
						      &dropped), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, i, 1, &dropped),
			-EMSGSIZE);
	KUNIT_EXPECT_TRUE(test, dropped);
	KUNIT_EXPECT_EQ(test, rsc->cnt, 0);
	for (i = 0; i < NVSP_XFER_RANGES_MAX - 1; i++)
		netvsc_rsc_frag(rsc, i ? 0 : first, i, 1, &dropped);
	KUNIT_EXPECT_EQ(test, netvsc_rsc_frag(rsc, last, i, 1, &dropped),
			NVSP_XFER_RANGES_MAX);
	KUNIT_EXPECT_EQ(test, rsc->off[NVSP_XFER_RANGES_MAX - 1],
			NVSP_XFER_RANGES_MAX - 1);
}

static void netvsc_test_ctrl_claim(struct kunit *test)
{
	const u32 rndis = NETVSC_COOKIE_KIND_RNDIS, nvsp = NETVSC_COOKIE_KIND_NVSP;
	const u32 set_c = RNDIS_HDR_SIZE + sizeof(struct rndis_status_comp);
	struct netvsc_ctrl_want w = {}, w3 = {};
	u32 gen = 1, id;

	netvsc_ctrl_arm(&w, &gen, 5, rndis, RNDIS_MSG_SET_C);
	KUNIT_EXPECT_EQ(test, gen, 2);
	KUNIT_EXPECT_EQ(test, netvsc_ctrl_slot_of(w.id), 5);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NETVSC_CTRL_ID_GEN, w.id), 2);
	KUNIT_EXPECT_FALSE(test, w.answered);
	id = w.id;

	/* wrong id (0, other generation, other slot), kind, type, length */
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, 0,
						   RNDIS_MSG_SET_C, set_c));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id + 0x10,
						   RNDIS_MSG_SET_C, set_c));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id + 1,
						   RNDIS_MSG_SET_C, set_c));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, nvsp, id,
						   RNDIS_MSG_SET_C, set_c));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id,
						   RNDIS_MSG_QUERY_C, 4096));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id,
						   RNDIS_MSG_SET_C, set_c - 1));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id,
						   RNDIS_MSG_SET_C,
						   NETVSC_CTRL_RESP_MAX + 1));
	KUNIT_EXPECT_FALSE(test, w.answered);
	/* the right one, once */
	KUNIT_EXPECT_TRUE(test, netvsc_ctrl_claim(&w, rndis, id,
						  RNDIS_MSG_SET_C, set_c));
	KUNIT_EXPECT_TRUE(test, w.answered);
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id,
						   RNDIS_MSG_SET_C, set_c));
	/* a slot given up (id 0) takes nothing, not even an id of 0 */
	w.id = 0;
	w.answered = false;
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, 0,
						   RNDIS_MSG_SET_C, set_c));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, rndis, id,
						   RNDIS_MSG_SET_C, set_c));

	/* NVSP: the body of the type, after the type word */
	netvsc_ctrl_arm(&w3, &gen, 3, nvsp, NVSP_MSG_SUBCHANNEL);
	KUNIT_EXPECT_NE(test, w3.id, id);
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w3, nvsp, w3.id,
						   NVSP_MSG_SUBCHANNEL,
						   NVSP_MSG_HDR_SIZE + 7));
	KUNIT_EXPECT_TRUE(test, netvsc_ctrl_claim(&w3, nvsp, w3.id,
						  NVSP_MSG_SUBCHANNEL,
						  NVSP_MSG_HDR_SIZE + 8));
	KUNIT_EXPECT_TRUE(test, netvsc_ctrl_fits(nvsp, NVSP_MSG_INIT_COMP, 16));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_fits(nvsp, NVSP_MSG_INIT_COMP, 15));
	/* SWITCH_DATA_PATH's completion is empty (or padded): any is taken */
	netvsc_ctrl_arm(&w3, &gen, 3, nvsp, NVSP_MSG_NONE);
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w3, nvsp, w3.id + 1,
						   NVSP_MSG_NONE, 0));
	KUNIT_EXPECT_TRUE(test, netvsc_ctrl_claim(&w3, nvsp, w3.id,
						  NVSP_MSG_NONE, 0));
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w3, nvsp, w3.id,
						   NVSP_MSG_NONE, 0));
	netvsc_ctrl_arm(&w3, &gen, 3, nvsp, NVSP_MSG_NONE);
	KUNIT_EXPECT_TRUE(test, netvsc_ctrl_claim(&w3, nvsp, w3.id,
						  NVSP_MSG_SWITCH_DATA_PATH,
						  NVSP_MSG_HDR_SIZE + 4));

	/* the generation wraps to 1, never to 0 */
	gen = FIELD_MAX(NETVSC_CTRL_ID_GEN);
	netvsc_ctrl_arm(&w, &gen, 0, nvsp, NVSP_MSG_INIT_COMP);
	KUNIT_EXPECT_EQ(test, gen, 1);
	KUNIT_EXPECT_EQ(test, w.id, FIELD_PREP(NETVSC_CTRL_ID_GEN, 1));
	/* an id naming slot 8 to 15 is looked up in a slot whose id differs */
	KUNIT_EXPECT_EQ(test, netvsc_ctrl_slot_of(w.id | 8), 0);
	KUNIT_EXPECT_FALSE(test, netvsc_ctrl_claim(&w, nvsp, w.id | 8,
						   NVSP_MSG_INIT_COMP, 40));
}

static struct kunit_case netvsc_seq_cases[] = {
	KUNIT_CASE(netvsc_test_keepalive),
	KUNIT_CASE(netvsc_test_cookies),
	KUNIT_CASE(netvsc_test_rsc),
	KUNIT_CASE(netvsc_test_ctrl_claim),
	{}
};

static struct kunit_suite netvsc_seq_suite = {
	.name = "hv_netvsc_seq",
	.test_cases = netvsc_seq_cases,
};

kunit_test_suite(netvsc_seq_suite);
