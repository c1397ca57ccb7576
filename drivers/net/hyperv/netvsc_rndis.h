/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_rndis.c offers the files above it (RNDIS requests, offloads, filter, indications). */
#ifndef _NETVSC_RNDIS_H
#define _NETVSC_RNDIS_H

#include "netvsc.h"

int netvsc_rndis_query(struct netvsc_dev *nvdev, u32 oid, const void *in,
		       u32 in_len, void *out, u32 min, u32 cap);
int netvsc_rndis_set(struct netvsc_dev *nvdev, u32 oid, const void *data,
		     u32 data_len);
int netvsc_rndis_bringup(struct netvsc_dev *nvdev);
void netvsc_rndis_halt(struct netvsc_dev *nvdev);
int netvsc_rndis_set_filter(struct netvsc_dev *nvdev, u32 filter);
int netvsc_rndis_set_mac(struct netvsc_dev *nvdev, const u8 *mac);
int netvsc_rndis_set_rsc(struct netvsc_dev *nvdev, bool on);
u32 netvsc_rx_filter(struct net_device *ndev);
void netvsc_rx_mode_work(struct work_struct *work);
void netvsc_rndis_indicate(struct netvsc_queue *q, const void *msg, u32 len);
void netvsc_rndis_keepalive(struct netvsc_queue *q, const struct rndis_msg *msg);
void netvsc_keepalive_work(struct work_struct *work);
void netvsc_link_work(struct work_struct *work);

#endif /* _NETVSC_RNDIS_H */
