/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_bringup.c offers the files above it (a bring-up's life). */
#ifndef _NETVSC_BRINGUP_H
#define _NETVSC_BRINGUP_H

#include "netvsc.h"

int netvsc_host_call(struct netvsc_dev *nvdev,
		     int (*fn)(struct netvsc_dev *nvdev), const char *what);
void netvsc_revoke_bufs(struct netvsc_dev *nvdev);
int netvsc_hc_close(struct netvsc_dev *nvdev);
struct netvsc_dev *netvsc_dev_alloc(struct netvsc_priv *priv, u32 nqueues);
void netvsc_dev_put(struct netvsc_dev *nvdev);
void netvsc_dev_put_owner(struct netvsc_dev *nvdev);

#endif /* _NETVSC_BRINGUP_H */
