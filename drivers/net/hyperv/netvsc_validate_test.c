// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the host-input bounds helpers: edges, empty ranges and
 * values chosen to wrap 64-bit arithmetic.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "netvsc_validate.h"

static void netvsc_range_inside(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, netvsc_range_ok(4096, 0, 4096));
	KUNIT_EXPECT_TRUE(test, netvsc_range_ok(4096, 4000, 96));
	KUNIT_EXPECT_TRUE(test, netvsc_range_ok(4096, 4096, 0));
	KUNIT_EXPECT_TRUE(test, netvsc_range_ok(0, 0, 0));
}

static void netvsc_range_outside(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(4096, 0, 4097));
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(4096, 4096, 1));
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(4096, 4097, 0));
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(0, 0, 1));
}

static void netvsc_range_wraps(struct kunit *test)
{
	/* offset + len wraps to a small number: must not pass as "inside" */
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(4096, U64_MAX, 2));
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(4096, 8, U64_MAX - 7));
	KUNIT_EXPECT_FALSE(test, netvsc_range_ok(U64_MAX, U64_MAX, 1));
	KUNIT_EXPECT_TRUE(test, netvsc_range_ok(U64_MAX, U64_MAX - 1, 1));
}

static void netvsc_subrange(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, netvsc_subrange_ok(1728, 100, 36, 1592));
	KUNIT_EXPECT_FALSE(test, netvsc_subrange_ok(1728, 100, 36, 1593));
	KUNIT_EXPECT_FALSE(test, netvsc_subrange_ok(1728, U64_MAX, 1, 0));
	KUNIT_EXPECT_FALSE(test, netvsc_subrange_ok(1728, 1728, 0, 1));
}

static struct kunit_case netvsc_validate_cases[] = {
	KUNIT_CASE(netvsc_range_inside),
	KUNIT_CASE(netvsc_range_outside),
	KUNIT_CASE(netvsc_range_wraps),
	KUNIT_CASE(netvsc_subrange),
	{}
};

static struct kunit_suite netvsc_validate_suite = {
	.name = "hv_netvsc_validate",
	.test_cases = netvsc_validate_cases,
};

kunit_test_suite(netvsc_validate_suite);

MODULE_DESCRIPTION("KUnit tests for the hv_netvsc host-input checks");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
