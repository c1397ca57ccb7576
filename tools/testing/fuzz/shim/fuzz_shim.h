/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types, macros and helpers that netvsc_proto.c,
 * netvsc_validate.c, netvsp_sim's nvsim_parse.c and the wire headers under
 * include/hv_netvsc/ use, for building them unmodified in user space under
 * libFuzzer.  Every header
 * below shim/linux, shim/asm and shim/kunit includes this one file, so the
 * driver's #include lines resolve here and nowhere in the kernel tree.
 *
 * Only what the parsers need, with the kernel's semantics: little-endian
 * x86-64 host, so the le*_to_cpu() conversions are identities; the
 * overflow helpers are the compiler builtins the kernel's are built on.
 */
#ifndef _FUZZ_SHIM_H
#define _FUZZ_SHIM_H

#include <linux/types.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the fuzz shim assumes a little-endian host"
#endif

/* <linux/compiler_attributes.h>, <linux/compiler.h> */
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* <linux/build_bug.h>: the message is optional, as in the kernel */
#define static_assert(expr, ...)	__static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...)	_Static_assert(expr, msg)
#define BUILD_BUG_ON(cond)		static_assert(!(cond))

/* <linux/byteorder>: the host is little-endian */
#define le16_to_cpu(x)		((u16)(x))
#define le32_to_cpu(x)		((u32)(x))
#define le64_to_cpu(x)		((u64)(x))
#define cpu_to_le16(x)		((__le16)(x))
#define cpu_to_le32(x)		((__le32)(x))
#define cpu_to_le64(x)		((__le64)(x))

/* <linux/unaligned.h> */
static inline u16 get_unaligned_le16(const void *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u32 get_unaligned_le32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void put_unaligned_le16(u16 v, void *p)
{
	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	memcpy(p, &v, sizeof(v));
}

/* <linux/bits.h>, <linux/bitfield.h> */
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define __bf_shf(x)		(__builtin_ffsll(x) - 1)
#define FIELD_MAX(mask)		((typeof(mask))((mask) >> __bf_shf(mask)))
#define FIELD_GET(mask, reg)	\
	((typeof(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val)	\
	(((typeof(mask))(val) << __bf_shf(mask)) & (mask))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))

/* <linux/sizes.h> */
#define SZ_1K			0x00000400
#define SZ_4K			0x00001000
#define SZ_64K			0x00010000
#define SZ_1M			0x00100000

/* <linux/minmax.h>: the kernel's type checks are left out */
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min3(a, b, c)		min(min(a, b), c)
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* <linux/overflow.h> */
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define struct_size(p, member, count)					\
	(offsetof(typeof(*(p)), member) +				\
	 sizeof((p)->member[0]) * (size_t)(count))

/* <linux/compiler.h>, <asm/bug.h>: a kernel warning is a fuzzer crash */
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define WARN_ON_ONCE(cond)	({ if (cond) __builtin_trap(); false; })
#define WARN_ON(cond)		WARN_ON_ONCE(cond)

/* <linux/export.h>, <kunit/visibility.h> without CONFIG_KUNIT */
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_IF_KUNIT(sym)
#define VISIBLE_IF_KUNIT	static

/* <linux/kernel.h>, <linux/limits.h>, <linux/hex.h> */
#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
extern const char hex_asc[];
#define hex_asc_lo(x)		hex_asc[((x) & 0x0f)]
#define hex_asc_hi(x)		hex_asc[((x) & 0xf0) >> 4]

static inline int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* 0, or -EINVAL at the first character that is not a hex digit */
static inline int hex2bin(u8 *dst, const char *src, size_t count)
{
	int hi, lo;

	while (count--) {
		hi = hex_to_bin(*src++);
		if (hi < 0)
			return -EINVAL;
		lo = hex_to_bin(*src++);
		if (lo < 0)
			return -EINVAL;
		*dst++ = (hi << 4) | lo;
	}
	return 0;
}

static inline u32 reciprocal_scale(u32 val, u32 ep_ro)
{
	return (u32)(((u64)val * ep_ro) >> 32);
}

/* <linux/atomic.h>: the fuzz targets are single-threaded */
typedef struct {
	s64 counter;
} atomic64_t;

static inline s64 atomic64_xchg(atomic64_t *v, s64 n)
{
	return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST);
}

/* <linux/bitops.h>, <linux/find.h> */
#define BITS_PER_LONG		64

static inline bool test_and_set_bit(unsigned long nr, unsigned long *map)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&map[nr / BITS_PER_LONG], m,
				 __ATOMIC_SEQ_CST) & m;
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *map)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_and(&map[nr / BITS_PER_LONG], ~m,
				  __ATOMIC_SEQ_CST) & m;
}

static inline unsigned long find_next_zero_bit(const unsigned long *map,
					       unsigned long size,
					       unsigned long off)
{
	for (; off < size; off++)
		if (!(map[off / BITS_PER_LONG] & (1UL << (off % BITS_PER_LONG))))
			return off;
	return size;
}

/*
 * <linux/netdevice.h>, <linux/if_ether.h>: the feature bits the offload
 * parser sets.  Their values do not matter here, only that they differ.
 */
#define ETH_ALEN		6
#define ETH_HLEN		14
#define NETIF_F_IP_CSUM		BIT_ULL(1)
#define NETIF_F_IPV6_CSUM	BIT_ULL(4)
#define NETIF_F_TSO		BIT_ULL(16)
#define NETIF_F_TSO6		BIT_ULL(20)
#define GSO_LEGACY_MAX_SIZE	65536u

/* <linux/etherdevice.h> */
static inline bool is_valid_ether_addr(const u8 *addr)
{
	static const u8 zero[ETH_ALEN];

	return !(addr[0] & 1) && memcmp(addr, zero, ETH_ALEN);
}

struct net_device;
struct napi_struct;

#endif /* _FUZZ_SHIM_H */
