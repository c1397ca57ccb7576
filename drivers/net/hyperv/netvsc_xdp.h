/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_xdp.c offers the files above it. */
#ifndef _NETVSC_XDP_H
#define _NETVSC_XDP_H

#include "netvsc.h"

int netvsc_bpf(struct net_device *ndev, struct netdev_bpf *bpf);
int netvsc_xdp_xmit(struct net_device *ndev, int n, struct xdp_frame **frames,
		    u32 flags);
struct sk_buff *netvsc_xdp_rx(struct netvsc_queue *q, const u32 *off,
			      const u32 *len, u32 cnt, u32 total);
void netvsc_xdp_poll_end(struct netvsc_queue *q);
int netvsc_xdp_rxq_reg(struct netvsc_queue *q);
void netvsc_xdp_rxq_unreg(struct netvsc_queue *q);

#endif /* _NETVSC_XDP_H */
