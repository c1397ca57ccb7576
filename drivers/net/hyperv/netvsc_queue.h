/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_queue.c offers the files above it (a queue's life). */
#ifndef _NETVSC_QUEUE_H
#define _NETVSC_QUEUE_H

#include "netvsc.h"

int netvsc_queue_init(struct netvsc_dev *nvdev, u16 index);
int netvsc_queue_rxc_alloc(struct netvsc_queue *q);
void netvsc_queue_destroy(struct netvsc_queue *q);
int netvsc_queue_open(struct netvsc_queue *q, struct vmbus_channel *chan);
void netvsc_queue_start(struct netvsc_queue *q);

#endif /* _NETVSC_QUEUE_H */
