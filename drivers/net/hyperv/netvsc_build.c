// SPDX-License-Identifier: GPL-2.0
/*
 * What we write for the host, with no device behind it: per-packet info,
 * the NetworkAddress parameter, RSS parameters (and whether a table fits
 * a channel count), and the send-section allocator.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/netdevice.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "netvsc_compat.h"
#include "netvsc_proto.h"
#include "netvsc_build.h"
#include "netvsc_validate.h"

/**
 * netvsc_ppi_append - append one 32-bit PPI record
 * @buf: PPI area
 * @used: bytes already used in it
 * @type: enum ndis_ppi_type
 * @value: the value, CPU order
 *
 * The caller sizes @buf for RNDIS_TX_PPI_MAX records.
 *
 * Return: bytes used after the new record.
 */
u32 netvsc_ppi_append(u8 *buf, u32 used, u32 type, u32 value)
{
	struct rndis_ppi *rec = (void *)(buf + used);

	put_unaligned_le32(RNDIS_PPI_U32_SIZE, &rec->size);
	put_unaligned_le32(FIELD_PREP(RNDIS_PPI_TYPE, type), &rec->type);
	put_unaligned_le32(RNDIS_PPI_HDR_SIZE, &rec->ppi_offset);
	put_unaligned_le32(value, buf + used + RNDIS_PPI_HDR_SIZE);
	return used + RNDIS_PPI_U32_SIZE;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ppi_append);

static u32 netvsc_put_utf16(u8 *buf, const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		put_unaligned_le16(s[i], buf + 2 * i);
	return 2 * n;
}

/**
 * netvsc_mac_param_build - info buffer that sets the MAC address
 * @buf: room for at least 72 bytes
 * @mac: the new address
 *
 * Builds a string config parameter "NetworkAddress" whose value is the
 * address as 12 hex digits, both in UTF-16LE.
 *
 * Return: bytes written.
 */
u32 netvsc_mac_param_build(u8 *buf, const u8 *mac)
{
	const u32 name_n = sizeof(RNDIS_CFG_NETWORK_ADDRESS) - 1;
	struct rndis_cfg_param *p = (void *)buf;
	char hex[ETH_ALEN * 2];
	u32 pos = sizeof(*p);
	int i;

	for (i = 0; i < ETH_ALEN; i++) {
		hex[2 * i] = hex_asc_hi(mac[i]);
		hex[2 * i + 1] = hex_asc_lo(mac[i]);
	}

	put_unaligned_le32(pos, &p->name_offset);
	put_unaligned_le32(2 * name_n, &p->name_len);
	put_unaligned_le32(RNDIS_CFG_PARAM_TYPE_STRING, &p->type);
	pos += netvsc_put_utf16(buf + pos, RNDIS_CFG_NETWORK_ADDRESS, name_n);
	put_unaligned_le32(pos, &p->value_offset);
	put_unaligned_le32(sizeof(hex) * 2, &p->value_len);
	pos += netvsc_put_utf16(buf + pos, hex, sizeof(hex));
	return pos;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_mac_param_build);

/**
 * netvsc_section_alloc - take a free send-buffer section
 * @map: section bitmap, bit set = in use
 * @n: number of sections
 * @hint: where to start looking; updated to just after the section taken
 *
 * Lock-free: several queues may call this at once.
 *
 * Return: the section index, or -ENOSPC when all are in use.
 */
int netvsc_section_alloc(unsigned long *map, u32 n, u32 *hint)
{
	u32 start = *hint < n ? *hint : 0;
	u32 pass, idx;

	for (pass = 0; pass < 2; pass++) {
		idx = start;
		while ((idx = find_next_zero_bit(map, n, idx)) < n) {
			if (!test_and_set_bit(idx, map)) {
				*hint = idx + 1;
				return idx;
			}
			idx++;
		}
		if (!start)
			break;
		start = 0;
	}
	return -ENOSPC;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_section_alloc);

/**
 * netvsc_section_free - give a send-buffer section back
 * @map: section bitmap
 * @n: number of sections
 * @idx: section to free
 */
void netvsc_section_free(unsigned long *map, u32 n, u32 idx)
{
	if (WARN_ON_ONCE(idx >= n))
		return;
	WARN_ON_ONCE(!test_and_clear_bit(idx, map));
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_section_free);

/**
 * netvsc_rss_params_build - RSS parameters for OID_GEN_RECEIVE_SCALE_PARAMETERS
 * @buf: out, at least NETVSC_RSS_PARAMS_MAX bytes
 * @flags: NDIS_RSS_PARAM_* (NDIS_RSS_PARAM_DISABLE_RSS to turn RSS off)
 * @hash_info: NDIS_RSS_HASH_* function and types
 * @key: Toeplitz key, NDIS_RSS_KEY_SIZE bytes
 * @table: indirection table, queue numbers
 * @entries: entries in @table, 1..NDIS_RSS_ITAB_MAX
 *
 * Return: bytes of information built, or 0 when @entries is out of range.
 */
u32 netvsc_rss_params_build(void *buf, u16 flags, u32 hash_info,
			    const u8 *key, const u16 *table, u32 entries)
{
	struct ndis_rss_params *p = buf;
	u32 itab_bytes = entries * sizeof(__le32);
	__le32 *itab = buf + sizeof(*p);
	u32 i;

	if (!entries || entries > NDIS_RSS_ITAB_MAX)
		return 0;
	memset(p, 0, sizeof(*p));
	p->hdr.type = NDIS_OBJ_TYPE_RSS_PARAMS;
	p->hdr.rev = NDIS_RSS_PARAMS_REV_2;
	p->hdr.size = cpu_to_le16(sizeof(*p));
	p->flags = cpu_to_le16(flags);
	p->hash_info = cpu_to_le32(hash_info);
	p->itab_size = cpu_to_le16(itab_bytes);
	p->itab_offset = cpu_to_le32(sizeof(*p));
	p->key_size = cpu_to_le16(NDIS_RSS_KEY_SIZE);
	p->key_offset = cpu_to_le32(sizeof(*p) + itab_bytes);
	for (i = 0; i < entries; i++)
		itab[i] = cpu_to_le32(table[i]);
	memcpy(buf + sizeof(*p) + itab_bytes, key, NDIS_RSS_KEY_SIZE);
	return sizeof(*p) + itab_bytes + NDIS_RSS_KEY_SIZE;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rss_params_build);

/**
 * netvsc_indir_fits - does every table entry name one of @n queues?
 * @table: indirection table
 * @entries: its entries
 * @n: queues in use
 *
 * Return: true when no entry is @n or above.
 */
bool netvsc_indir_fits(const u16 *table, u32 entries, u32 n)
{
	u32 i;

	for (i = 0; i < entries; i++)
		if (table[i] >= n)
			return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_indir_fits);
