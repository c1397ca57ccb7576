/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's integer types on top of the UAPI ones (__u8..__u64,
 * __le16..__le64), which glibc's headers may pull in themselves.
 */
#ifndef _FUZZ_LINUX_TYPES_H
#define _FUZZ_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef u64 netdev_features_t;

#endif /* _FUZZ_LINUX_TYPES_H */
