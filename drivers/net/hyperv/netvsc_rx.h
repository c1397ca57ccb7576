/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_rx.c offers the files above it. */
#ifndef _NETVSC_RX_H
#define _NETVSC_RX_H

#include "netvsc.h"

u32 netvsc_rx_xfer(struct netvsc_queue *q,
		   const struct vmpacket_descriptor *desc, u32 len, u32 budget);
bool netvsc_rxc_full(const struct netvsc_queue *q);
int netvsc_rxc_flush(struct netvsc_queue *q);

#endif /* _NETVSC_RX_H */
