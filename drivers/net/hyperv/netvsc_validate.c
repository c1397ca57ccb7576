// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds checks for host-supplied numbers.  Each helper answers one question
 * with overflow-checked arithmetic, so callers never add two host values
 * themselves: "does [offset, offset + len) fit in a buffer of size bytes?"
 */
#include <linux/export.h>
#include <linux/overflow.h>
#include <kunit/visibility.h>

#include "netvsc_validate.h"

/**
 * netvsc_range_ok - check a host-supplied range against a buffer
 * @size: size of the buffer in bytes
 * @offset: start of the range, relative to the buffer
 * @len: length of the range in bytes (0 is allowed)
 *
 * Return: true when [@offset, @offset + @len) lies inside the buffer and the
 * sum does not wrap.
 */
bool netvsc_range_ok(u64 size, u64 offset, u64 len)
{
	u64 end;

	if (check_add_overflow(offset, len, &end))
		return false;
	return end <= size;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_range_ok);

/**
 * netvsc_subrange_ok - check a range given relative to a sub-buffer
 * @size: size of the enclosing buffer in bytes
 * @base: start of the sub-buffer inside the enclosing buffer
 * @offset: start of the range relative to @base
 * @len: length of the range in bytes
 *
 * Used where the host gives an offset relative to a structure that itself
 * sits at @base (an RNDIS header inside a receive section, say).
 *
 * Return: true when the whole range lies inside the enclosing buffer.
 */
bool netvsc_subrange_ok(u64 size, u64 base, u64 offset, u64 len)
{
	u64 start;

	if (check_add_overflow(base, offset, &start))
		return false;
	return netvsc_range_ok(size, start, len);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_subrange_ok);
