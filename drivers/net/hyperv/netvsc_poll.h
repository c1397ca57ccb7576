/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_poll.c offers the files above it (NAPI poll and dispatch). */
#ifndef _NETVSC_POLL_H
#define _NETVSC_POLL_H

#include "netvsc.h"

int netvsc_poll(struct napi_struct *napi, int budget);
void netvsc_chan_cb(void *context);

#endif /* _NETVSC_POLL_H */
