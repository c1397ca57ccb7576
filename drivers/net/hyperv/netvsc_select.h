/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_select.c offers the files above it (TX queue selection). */
#ifndef _NETVSC_SELECT_H
#define _NETVSC_SELECT_H

#include "netvsc.h"

u16 netvsc_select_queue(struct net_device *ndev, struct sk_buff *skb,
			struct net_device *sb_dev);

#endif /* _NETVSC_SELECT_H */
