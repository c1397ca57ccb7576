// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the channel arithmetic of netvsc_proto.c and
 * netvsc_build.c: the channel
 * maximum, the host's RSS capabilities and subchannel grant (well formed,
 * short, lying), the RSS parameter layout the host parses, and which
 * queue the send indirection table picks.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/netdevice.h>

#include "netvsc_compat.h"
#include "netvsc_build.h"
#include "netvsc_proto.h"
#include "netvsc_seq.h"

static void netvsc_test_chan_max(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, netvsc_chans_limit(64, 4), 4);
	KUNIT_EXPECT_EQ(test, netvsc_chans_limit(2, 8), 2);
	KUNIT_EXPECT_EQ(test, netvsc_chans_limit(128, 208), 64);
	KUNIT_EXPECT_EQ(test, netvsc_chans_limit(0, 8), 1);
	KUNIT_EXPECT_EQ(test, netvsc_chans_limit(16, 0), 1);
}

static void netvsc_fill_caps(struct ndis_rss_caps *c, u32 queues, u16 itab)
{
	memset(c, 0, sizeof(*c));
	c->hdr.type = NDIS_OBJ_TYPE_RSS_CAPS;
	c->hdr.rev = NDIS_RSS_CAPS_REV_2;
	c->hdr.size = cpu_to_le16(sizeof(*c));
	c->num_recv_queues = cpu_to_le32(queues);
	c->num_indirect_tabent = cpu_to_le16(itab);
}

static void netvsc_test_rss_caps(struct kunit *test)
{
	struct ndis_rss_caps c;
	u32 q = 0, t = 0;

	netvsc_fill_caps(&c, 8, 64);
	KUNIT_EXPECT_EQ(test, netvsc_rss_caps_parse(&c, sizeof(c), &q, &t), 0);
	KUNIT_EXPECT_EQ(test, q, 8);
	KUNIT_EXPECT_EQ(test, t, 64);
	/* no size, or one we cannot send: the default */
	netvsc_fill_caps(&c, 8, 0);
	KUNIT_EXPECT_EQ(test, netvsc_rss_caps_parse(&c, sizeof(c), &q, &t), 0);
	KUNIT_EXPECT_EQ(test, t, NDIS_RSS_ITAB_DEFAULT);
	netvsc_fill_caps(&c, 8, NDIS_RSS_ITAB_MAX + 1);
	KUNIT_EXPECT_EQ(test, netvsc_rss_caps_parse(&c, sizeof(c), &q, &t), 0);
	KUNIT_EXPECT_EQ(test, t, NDIS_RSS_ITAB_DEFAULT);
	/* truncated, wrong object, header larger than the answer */
	KUNIT_EXPECT_EQ(test, netvsc_rss_caps_parse(&c, sizeof(c) - 1, &q, &t),
			-EPROTO);
	c.hdr.type = NDIS_OBJ_TYPE_RSS_PARAMS;
	KUNIT_EXPECT_EQ(test, netvsc_rss_caps_parse(&c, sizeof(c), &q, &t),
			-EPROTO);
	netvsc_fill_caps(&c, 8, 64);
	c.hdr.size = cpu_to_le16(0xffff);
	KUNIT_EXPECT_EQ(test, netvsc_rss_caps_parse(&c, sizeof(c), &q, &t),
			-EPROTO);
}

static void netvsc_test_subchan_comp(struct kunit *test)
{
	struct nvsp_msg_subchan_comp c = {
		.status = cpu_to_le32(NVSP_STATUS_SUCCESS),
		.num_subchannels = cpu_to_le32(3),
	};
	u32 g = 99;

	KUNIT_EXPECT_EQ(test, netvsc_subchan_comp_check(&c, 7, &g), 0);
	KUNIT_EXPECT_EQ(test, g, 3);
	/* a host granting more than asked: clamped, reported */
	KUNIT_EXPECT_EQ(test, netvsc_subchan_comp_check(&c, 2, &g), -EPROTO);
	KUNIT_EXPECT_EQ(test, g, 2);
	c.num_subchannels = cpu_to_le32(U32_MAX);
	KUNIT_EXPECT_EQ(test, netvsc_subchan_comp_check(&c, 63, &g), -EPROTO);
	KUNIT_EXPECT_EQ(test, g, 63);
	c.status = cpu_to_le32(NVSP_STATUS_FAIL);
	KUNIT_EXPECT_EQ(test, netvsc_subchan_comp_check(&c, 7, &g), -EIO);
	KUNIT_EXPECT_EQ(test, g, 0);
}

static void netvsc_test_rss_params(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, NETVSC_RSS_PARAMS_MAX, GFP_KERNEL);
	const struct ndis_rss_params *p = (void *)buf;
	u16 table[NDIS_RSS_ITAB_MAX];
	u8 key[NDIS_RSS_KEY_SIZE];
	u32 i, len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(table); i++)
		table[i] = i % 5;
	for (i = 0; i < sizeof(key); i++)
		key[i] = 0xa0 + i;

	len = netvsc_rss_params_build(buf, 0, NDIS_RSS_HASH_FUNC_TOEPLITZ |
				      NDIS_RSS_HASH_IPV4, key, table, 128);
	/* 40-byte object, 4 bytes per entry, 40-byte key */
	KUNIT_EXPECT_EQ(test, len, 40 + 128 * 4 + 40);
	KUNIT_EXPECT_EQ(test, p->hdr.type, NDIS_OBJ_TYPE_RSS_PARAMS);
	KUNIT_EXPECT_EQ(test, p->hdr.rev, NDIS_RSS_PARAMS_REV_2);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->hdr.size), 40);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->flags), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->hash_info), 0x101);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->itab_size), 512);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->itab_offset), 40);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->key_size), 40);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->key_offset), 40 + 512);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 40 + 4 * 7), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 40 + 4 * 127), 127 % 5);
	KUNIT_EXPECT_MEMEQ(test, buf + 40 + 512, key, sizeof(key));

	len = netvsc_rss_params_build(buf, NDIS_RSS_PARAM_DISABLE_RSS, 1, key,
				      table, NDIS_RSS_ITAB_MAX);
	KUNIT_EXPECT_EQ(test, len, NETVSC_RSS_PARAMS_MAX);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->flags), NDIS_RSS_PARAM_DISABLE_RSS);
	/* sizes that cannot be sent build nothing */
	KUNIT_EXPECT_EQ(test, netvsc_rss_params_build(buf, 0, 1, key, table, 0),
			0);
	KUNIT_EXPECT_EQ(test, netvsc_rss_params_build(buf, 0, 1, key, table,
						      NDIS_RSS_ITAB_MAX + 1), 0);
}

static void netvsc_test_indir_fits(struct kunit *test)
{
	u16 t[8] = { 0, 1, 2, 3, 0, 1, 2, 3 };

	KUNIT_EXPECT_TRUE(test, netvsc_indir_fits(t, 8, 4));
	KUNIT_EXPECT_TRUE(test, netvsc_indir_fits(t, 8, 5));
	KUNIT_EXPECT_FALSE(test, netvsc_indir_fits(t, 8, 3));
	/* only the entries in use count */
	KUNIT_EXPECT_TRUE(test, netvsc_indir_fits(t, 3, 3));
	KUNIT_EXPECT_FALSE(test, netvsc_indir_fits(t, 8, 1));
}

static void netvsc_test_send_table_pick(struct kunit *test)
{
	u32 table[NVSP_SEND_TABLE_SIZE];
	u32 i, hash, q;

	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		table[i] = i % 4;
	/* the entry the low bits of the hash name */
	KUNIT_EXPECT_EQ(test, netvsc_send_table_pick(table, 0x12345673, 4), 3);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_pick(table, 0xfffffff1, 4), 1);
	/* an entry past the queues in use: spread over those in use */
	for (hash = 0; hash < 4096; hash += 7) {
		q = netvsc_send_table_pick(table, hash, 2);
		KUNIT_EXPECT_LT(test, q, 2);
		if (table[hash & 15] < 2)
			KUNIT_EXPECT_EQ(test, q, table[hash & 15]);
	}
	/* a host table full of garbage never yields a bad queue */
	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		table[i] = U32_MAX - i;
	for (hash = 0; hash < 100000; hash += 997)
		KUNIT_EXPECT_LT(test, netvsc_send_table_pick(table, hash, 3), 3);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_pick(table, U32_MAX, 1), 0);
}

static struct kunit_case netvsc_channel_cases[] = {
	KUNIT_CASE(netvsc_test_chan_max),
	KUNIT_CASE(netvsc_test_rss_caps),
	KUNIT_CASE(netvsc_test_subchan_comp),
	KUNIT_CASE(netvsc_test_rss_params),
	KUNIT_CASE(netvsc_test_indir_fits),
	KUNIT_CASE(netvsc_test_send_table_pick),
	{}
};

static struct kunit_suite netvsc_channel_suite = {
	.name = "hv_netvsc_channel",
	.test_cases = netvsc_channel_cases,
};

kunit_test_suite(netvsc_channel_suite);
