/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_tx.c offers the files above it (the transmit path). */
#ifndef _NETVSC_TX_H
#define _NETVSC_TX_H

#include "netvsc.h"

netdev_tx_t netvsc_start_xmit(struct sk_buff *skb, struct net_device *ndev);
void netvsc_tx_skbs_free(struct sk_buff *skbs, bool sent);
void netvsc_tx_dma_unmap(struct netvsc_queue *q, struct sk_buff *skb);
void netvsc_tx_inflight_purge(struct netvsc_queue *q);
u32 netvsc_tx_room(const struct netvsc_queue *q);
bool netvsc_ring_ask_room(struct netvsc_queue *q, u32 bytes);
void netvsc_tx_flush(struct netvsc_queue *q, struct netdev_queue *txq);

int netvsc_tx_raw(struct netvsc_queue *q, struct netdev_queue *txq,
		  const void *data, u32 len);

#endif /* _NETVSC_TX_H */
