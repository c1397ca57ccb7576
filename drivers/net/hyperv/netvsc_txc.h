/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_txc.c offers the files above it (send-completion coalescing). */
#ifndef _NETVSC_TXC_H
#define _NETVSC_TXC_H

#include "netvsc.h"

/* ethtool -C bounds: tx-usecs 0 turns coalescing off */
#define NETVSC_TXC_USECS_MAX	10000
#define NETVSC_TXC_FRAMES_MAX	1024
#define NETVSC_TXC_FRAMES_DEFAULT	32

void netvsc_txc_init(struct netvsc_queue *q);
void netvsc_txc_stop(struct netvsc_queue *q);
void netvsc_txc_poll_begin(struct netvsc_queue *q);
bool netvsc_txc_hold(struct netvsc_queue *q, u32 comps, int work, int pending);
void netvsc_txc_held(struct netvsc_queue *q);
void netvsc_txc_sent(struct netvsc_queue *q, bool stopping);
void netvsc_txc_set(struct netvsc_priv *priv, u32 usecs, u32 frames);

#endif /* _NETVSC_TXC_H */
