/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_stats.c offers the files above it (counters, totals, ethtool -S). */
#ifndef _NETVSC_STATS_H
#define _NETVSC_STATS_H

#include "netvsc.h"

void netvsc_stats_read(const struct netvsc_queue *q,
		       const struct netvsc_stat *tbl, u32 n, u64 *out);
void netvsc_queue_stats(const struct netvsc_queue *q,
			struct rtnl_link_stats64 *s);
void netvsc_stats_fold(struct netvsc_priv *priv, struct netvsc_dev *nvdev);
void netvsc_get_stats64(struct net_device *ndev, struct rtnl_link_stats64 *s);
int netvsc_get_sset_count(struct net_device *ndev, int sset);
void netvsc_get_strings(struct net_device *ndev, u32 sset, u8 *data);
void netvsc_vf_stats(const struct netvsc_priv *priv, u64 *out);
void netvsc_get_ethtool_stats(struct net_device *ndev,
			      struct ethtool_stats *stats, u64 *data);

#endif /* _NETVSC_STATS_H */
