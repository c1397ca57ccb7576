/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What we write for the host (netvsc_build.c): per-packet info, the
 * NetworkAddress parameter, RSS parameters, the send-section allocator.
 */
#ifndef _NETVSC_BUILD_H
#define _NETVSC_BUILD_H

#include "netvsc_proto.h"

/* Bytes netvsc_mac_param_build() writes at most. */
#define NETVSC_MAC_PARAM_SIZE	72

/* Bytes of the largest RSS parameters we send. */
#define NETVSC_RSS_PARAMS_MAX	(sizeof(struct ndis_rss_params) +	\
				 NDIS_RSS_ITAB_MAX * sizeof(__le32) +	\
				 NDIS_RSS_KEY_SIZE)

u32 netvsc_ppi_append(u8 *buf, u32 used, u32 type, u32 value);
u32 netvsc_mac_param_build(u8 *buf, const u8 *mac);
int netvsc_section_alloc(unsigned long *map, u32 n, u32 *hint);
void netvsc_section_free(unsigned long *map, u32 n, u32 idx);
u32 netvsc_rss_params_build(void *buf, u16 flags, u32 hash_info,
			    const u8 *key, const u16 *table, u32 entries);
bool netvsc_indir_fits(const u16 *table, u32 entries, u32 n);

#endif /* _NETVSC_BUILD_H */
