/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks applied to every value the host hands us.  The host is not trusted:
 * a length, offset, count or index that comes out of a ring or a shared
 * buffer goes through one of these helpers before it is used.
 */
#ifndef _NETVSC_VALIDATE_H
#define _NETVSC_VALIDATE_H

#include <linux/types.h>

bool netvsc_range_ok(u64 size, u64 offset, u64 len);
bool netvsc_subrange_ok(u64 size, u64 base, u64 offset, u64 len);

#endif /* _NETVSC_VALIDATE_H */
