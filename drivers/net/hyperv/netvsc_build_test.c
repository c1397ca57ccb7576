// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for what the driver writes for the host (netvsc_build.c):
 * PPI records, the MAC address parameter, the send-section allocator.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/netdevice.h>

#include "netvsc_compat.h"
#include "netvsc_build.h"
#include "netvsc_proto.h"

static void netvsc_test_ppi_append(struct kunit *test)
{
	static const u8 want[16] = {
		16, 0, 0, 0, 2, 0, 0, 0, 12, 0, 0, 0, 0x78, 0x56, 0x34, 0x12,
	};
	u8 buf[32] = {};

	/* the values the TX path puts in are checked in netvsc_tx_test.c */
	KUNIT_EXPECT_EQ(test, netvsc_ppi_append(buf, 0, NDIS_PPI_LSO, 0x12345678),
			16);
	KUNIT_EXPECT_MEMEQ(test, buf, want, sizeof(want));
}

static void netvsc_test_mac_param(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x00, 0x15, 0x5d, 0xab, 0xcd, 0xef };
	struct rndis_cfg_param *p;
	u8 buf[128] = {};

	KUNIT_ASSERT_EQ(test, netvsc_mac_param_build(buf, mac), 72);
	p = (void *)buf;
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->name_offset), 20);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->name_len), 28);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->type), RNDIS_CFG_PARAM_TYPE_STRING);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->value_offset), 48);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(p->value_len), 24);
	KUNIT_EXPECT_EQ(test, buf[20], 'N');
	KUNIT_EXPECT_EQ(test, buf[21], 0);
	KUNIT_EXPECT_EQ(test, buf[48 + 2 * 2], '1');
	KUNIT_EXPECT_EQ(test, buf[48 + 2 * 11], 'f');
}

static void netvsc_test_sections(struct kunit *test)
{
	unsigned long *map;
	u32 hint = 0, i;

	map = bitmap_zalloc(70, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	for (i = 0; i < 70; i++)
		KUNIT_EXPECT_EQ(test, netvsc_section_alloc(map, 70, &hint), i);
	KUNIT_EXPECT_EQ(test, netvsc_section_alloc(map, 70, &hint), -ENOSPC);
	netvsc_section_free(map, 70, 3);
	KUNIT_EXPECT_EQ(test, netvsc_section_alloc(map, 70, &hint), 3);
	netvsc_section_free(map, 70, 69);
	hint = 1000;	/* out of range hints restart at 0 */
	KUNIT_EXPECT_EQ(test, netvsc_section_alloc(map, 70, &hint), 69);
	KUNIT_EXPECT_EQ(test, hint, 70);
	bitmap_free(map);
}

static struct kunit_case netvsc_build_cases[] = {
	KUNIT_CASE(netvsc_test_ppi_append),
	KUNIT_CASE(netvsc_test_mac_param),
	KUNIT_CASE(netvsc_test_sections),
	{}
};

static struct kunit_suite netvsc_build_suite = {
	.name = "hv_netvsc_build",
	.test_cases = netvsc_build_cases,
};

kunit_test_suite(netvsc_build_suite);
