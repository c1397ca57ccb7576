/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_tx_info.c offers the files above it (what the host is told about a frame). */
#ifndef _NETVSC_TX_INFO_H
#define _NETVSC_TX_INFO_H

#include "netvsc.h"

int netvsc_tx_ppis(const struct netvsc_dev *nvdev, struct sk_buff *skb,
		   u8 *ppi);
void netvsc_tx_write_hdr(u8 *dst, const u8 *ppi, u32 ppi_len, u32 frame_len);

#endif /* _NETVSC_TX_INFO_H */
