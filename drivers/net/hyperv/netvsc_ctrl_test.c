// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the control request table (netvsc_ctrl.c) over a mock
 * queue: answers are matched by id, type and length; an answer that
 * arrives after the waiter gave up, or for a generation that is gone, is
 * counted and dropped; slots are only reused once the host has completed
 * the send of an RNDIS request.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "netvsc.h"
#include "netvsc_ctrl.h"

struct netvsc_ctrl_fixture {
	struct netvsc_dev nvdev;
	struct netvsc_queue q;
};

static int netvsc_ctrl_test_init(struct kunit *test)
{
	struct netvsc_ctrl_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	netvsc_ctrl_init(&f->nvdev.ctrl);
	if (netvsc_ctrl_alloc(&f->nvdev.ctrl)) {
		netvsc_ctrl_free(&f->nvdev.ctrl);
		return -ENOMEM;
	}
	u64_stats_init(&f->q.poll_stats.syncp);
	f->q.nvdev = &f->nvdev;
	test->priv = f;
	return 0;
}

static void netvsc_ctrl_test_exit(struct kunit *test)
{
	struct netvsc_ctrl_fixture *f = test->priv;

	netvsc_ctrl_free(&f->nvdev.ctrl);
}

static void netvsc_mock_init_comp(struct nvsp_msg *m, u32 type, u32 status)
{
	memset(m, 0, sizeof(*m));
	m->type = cpu_to_le32(type);
	m->body.init_comp.status = cpu_to_le32(status);
}

static u64 netvsc_errors(struct netvsc_ctrl_fixture *f)
{
	return u64_stats_read(&f->q.poll_stats.host_errors);
}

static void netvsc_ctrl_nvsp_match(struct kunit *test)
{
	struct netvsc_ctrl_fixture *f = test->priv;
	struct netvsc_ctrl *ctrl = &f->nvdev.ctrl;
	struct netvsc_ctrl_slot *s;
	struct nvsp_msg m;

	s = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP, NVSP_MSG_INIT_COMP);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_NE(test, s->want.id, 0);

	/* wrong type, too short: dropped and counted */
	netvsc_mock_init_comp(&m, NVSP_MSG_SEND_RECV_BUF_COMP, 1);
	netvsc_ctrl_nvsp_done(&f->q, s->want.id, &m, sizeof(m));
	netvsc_mock_init_comp(&m, NVSP_MSG_INIT_COMP, 1);
	netvsc_ctrl_nvsp_done(&f->q, s->want.id, &m, 8);
	KUNIT_EXPECT_FALSE(test, s->want.answered);
	KUNIT_EXPECT_EQ(test, netvsc_errors(f), 2);

	/* the right answer completes the waiter */
	netvsc_ctrl_nvsp_done(&f->q, s->want.id, &m, 16);
	KUNIT_EXPECT_TRUE(test, s->want.answered);
	KUNIT_EXPECT_TRUE(test, completion_done(&s->done));
	KUNIT_EXPECT_EQ(test, s->resp_len, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s->resp), NVSP_MSG_INIT_COMP);

	/* a duplicate is dropped */
	netvsc_ctrl_nvsp_done(&f->q, s->want.id, &m, 16);
	KUNIT_EXPECT_EQ(test, netvsc_errors(f), 3);
	netvsc_ctrl_slot_free(ctrl, s);
}

static void netvsc_ctrl_late_answer(struct kunit *test)
{
	struct netvsc_ctrl_fixture *f = test->priv;
	struct netvsc_ctrl *ctrl = &f->nvdev.ctrl;
	struct netvsc_ctrl_slot *s, *s2;
	struct nvsp_msg m;
	u32 old;

	s = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP, NVSP_MSG_INIT_COMP);
	KUNIT_ASSERT_NOT_NULL(test, s);
	old = s->want.id;
	/* the waiter timed out */
	netvsc_ctrl_slot_free(ctrl, s);

	/* the slot is reused with a new generation */
	s2 = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP,
				    NVSP_MSG_INIT_COMP);
	KUNIT_ASSERT_PTR_EQ(test, s, s2);
	KUNIT_EXPECT_NE(test, s2->want.id, old);

	/* the late answer to the old request matches nothing */
	netvsc_mock_init_comp(&m, NVSP_MSG_INIT_COMP, 1);
	netvsc_ctrl_nvsp_done(&f->q, old, &m, sizeof(m));
	KUNIT_EXPECT_FALSE(test, s2->want.answered);
	KUNIT_EXPECT_EQ(test, netvsc_errors(f), 1);

	/* and after put, nothing matches at all */
	netvsc_ctrl_slot_free(ctrl, s2);
	netvsc_ctrl_nvsp_done(&f->q, s2->want.id, &m, sizeof(m));
	netvsc_ctrl_nvsp_done(&f->q, 0, &m, sizeof(m));
	KUNIT_EXPECT_EQ(test, netvsc_errors(f), 3);
}

static void netvsc_ctrl_rndis_match(struct kunit *test)
{
	struct netvsc_ctrl_fixture *f = test->priv;
	struct netvsc_ctrl *ctrl = &f->nvdev.ctrl;
	struct netvsc_ctrl_slot *s;
	u8 buf[64] = {};
	struct rndis_msg *m = (void *)buf;

	s = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_RNDIS, RNDIS_MSG_SET_C);
	KUNIT_ASSERT_NOT_NULL(test, s);
	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_SET_C);
	m->hdr.msg_len = cpu_to_le32(16);
	m->body.set_comp.req_id = cpu_to_le32(s->want.id + 0x10);	/* other gen */
	netvsc_ctrl_rndis_done(&f->q, buf, 16);
	m->body.set_comp.req_id = cpu_to_le32(s->want.id);
	netvsc_ctrl_rndis_done(&f->q, buf, 12);			/* short */
	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_QUERY_C);
	netvsc_ctrl_rndis_done(&f->q, buf, 24);			/* type */
	KUNIT_EXPECT_FALSE(test, s->want.answered);
	KUNIT_EXPECT_EQ(test, netvsc_errors(f), 3);

	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_SET_C);
	netvsc_ctrl_rndis_done(&f->q, buf, 16);
	KUNIT_EXPECT_TRUE(test, s->want.answered);
	KUNIT_EXPECT_EQ(test, s->resp_len, 16);
	netvsc_ctrl_slot_free(ctrl, s);
}

static void netvsc_ctrl_inflight(struct kunit *test)
{
	struct netvsc_ctrl_fixture *f = test->priv;
	struct netvsc_ctrl *ctrl = &f->nvdev.ctrl;
	struct netvsc_ctrl_slot *s[NETVSC_CTRL_SLOTS];
	u32 id;
	int i;

	for (i = 0; i < NETVSC_CTRL_SLOTS; i++) {
		s[i] = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_RNDIS,
					      RNDIS_MSG_SET_C);
		KUNIT_ASSERT_NOT_NULL(test, s[i]);
	}
	KUNIT_EXPECT_NULL(test, netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP,
						       NVSP_MSG_INIT_COMP));

	/* a request page the host still reads keeps its slot busy */
	s[0]->req_inflight = true;
	id = s[0]->want.id;
	netvsc_ctrl_slot_free(ctrl, s[0]);
	KUNIT_EXPECT_NULL(test, netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP,
						       NVSP_MSG_INIT_COMP));
	netvsc_ctrl_sent(&f->q, id);
	KUNIT_EXPECT_FALSE(test, s[0]->req_inflight);
	KUNIT_EXPECT_PTR_EQ(test, netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP,
							 NVSP_MSG_INIT_COMP), s[0]);
	/* a second completion of the same send is an error */
	netvsc_ctrl_sent(&f->q, id);
	KUNIT_EXPECT_EQ(test, netvsc_errors(f), 1);

	for (i = 0; i < NETVSC_CTRL_SLOTS; i++)
		netvsc_ctrl_slot_free(ctrl, s[i]);
}

/*
 * Every slot taken at once, twice over, with the generation counter
 * wrapping in the middle of the first round: each id is non-zero, names
 * its own slot, differs from every other outstanding id, and carries the
 * next generation, 1 following the largest one.
 */
static void netvsc_ctrl_ids_unique(struct kunit *test)
{
	const u32 gen_max = FIELD_MAX(NETVSC_CTRL_ID_GEN);
	struct netvsc_ctrl_fixture *f = test->priv;
	struct netvsc_ctrl *ctrl = &f->nvdev.ctrl;
	struct netvsc_ctrl_slot *s[NETVSC_CTRL_SLOTS];
	u32 gen = gen_max - 2, round;
	bool wrapped = false;
	u32 id_gen, id_slot;
	int i, j;

	ctrl->gen = gen;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < NETVSC_CTRL_SLOTS; i++) {
			s[i] = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP,
						      NVSP_MSG_INIT_COMP);
			KUNIT_ASSERT_NOT_NULL(test, s[i]);
			gen = gen == gen_max ? 1 : gen + 1;
			wrapped |= gen == 1;
			id_gen = FIELD_GET(NETVSC_CTRL_ID_GEN, s[i]->want.id);
			id_slot = FIELD_GET(NETVSC_CTRL_ID_SLOT, s[i]->want.id);
			KUNIT_EXPECT_NE(test, s[i]->want.id, 0);
			KUNIT_EXPECT_EQ_MSG(test, id_gen, gen,
					    "round %u, get %d", round, i);
			KUNIT_EXPECT_EQ(test, id_slot, (u32)(s[i] - ctrl->slot));
			for (j = 0; j < i; j++)
				KUNIT_EXPECT_NE_MSG(test, s[i]->want.id, s[j]->want.id,
						    "round %u, gets %d and %d",
						    round, j, i);
		}
		KUNIT_EXPECT_NULL(test, netvsc_ctrl_slot_alloc(ctrl,
							       NETVSC_COOKIE_KIND_NVSP,
							       NVSP_MSG_INIT_COMP));
		for (i = 0; i < NETVSC_CTRL_SLOTS; i++)
			netvsc_ctrl_slot_free(ctrl, s[i]);
	}
	KUNIT_EXPECT_TRUE(test, wrapped);
}

static struct kunit_case netvsc_ctrl_cases[] = {
	KUNIT_CASE(netvsc_ctrl_nvsp_match),
	KUNIT_CASE(netvsc_ctrl_late_answer),
	KUNIT_CASE(netvsc_ctrl_rndis_match),
	KUNIT_CASE(netvsc_ctrl_inflight),
	KUNIT_CASE(netvsc_ctrl_ids_unique),
	{}
};

static struct kunit_suite netvsc_ctrl_suite = {
	.name = "hv_netvsc_ctrl",
	.init = netvsc_ctrl_test_init,
	.exit = netvsc_ctrl_test_exit,
	.test_cases = netvsc_ctrl_cases,
};

kunit_test_suite(netvsc_ctrl_suite);
