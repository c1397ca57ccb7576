/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_tx_done.c offers the files above it (send completions). */
#ifndef _NETVSC_TX_DONE_H
#define _NETVSC_TX_DONE_H

#include "netvsc.h"

u32 netvsc_tx_done(struct netvsc_queue *q, u64 cookie);
u32 netvsc_tx_section_done(struct netvsc_queue *q, u32 section);
void netvsc_tx_done_flush(struct netvsc_queue *q);

#endif /* _NETVSC_TX_DONE_H */
