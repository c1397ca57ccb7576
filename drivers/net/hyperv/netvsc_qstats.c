// SPDX-License-Identifier: GPL-2.0
/*
 * Per-queue statistics through netdev-genl (struct netdev_stat_ops, built
 * only for kernels that have it).  Queues the stack knows about report
 * their own counters; the base holds everything else: earlier bring-ups
 * and queues parked by a live channel shrink, so that base plus queues is
 * what ndo_get_stats64 reports.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netdev_queues.h>

#include "netvsc.h"
#include "netvsc_stats.h"

/* TX flow-control events: stops counted by xmit, wakes by completions */
static const struct netvsc_stat netvsc_flow_tbl[] = {
	NETVSC_XMIT_STAT("stop", stops),
	NETVSC_POLL_STAT("wake", wakes),
};

static void netvsc_qstats_flow(const struct netvsc_queue *q, u64 *stop,
			       u64 *wake)
{
	u64 v[ARRAY_SIZE(netvsc_flow_tbl)];

	netvsc_stats_read(q, netvsc_flow_tbl, ARRAY_SIZE(v), v);
	*stop = v[0];
	*wake = v[1];
}

static const struct netvsc_queue *netvsc_qstats_queue(struct net_device *ndev,
						      int idx)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);

	if (!nvdev || idx < 0 || idx >= nvdev->num_queues)
		return NULL;
	return &nvdev->queues[idx];
}

static void netvsc_qstats_rx(struct net_device *ndev, int idx,
			     struct netdev_queue_stats_rx *rx)
{
	const struct netvsc_queue *q = netvsc_qstats_queue(ndev, idx);
	struct rtnl_link_stats64 s = {};

	if (q)
		netvsc_queue_stats(q, &s);
	rx->packets = s.rx_packets;
	rx->bytes = s.rx_bytes;
	rx->hw_drops = s.rx_dropped;
}

static void netvsc_qstats_tx(struct net_device *ndev, int idx,
			     struct netdev_queue_stats_tx *tx)
{
	const struct netvsc_queue *q = netvsc_qstats_queue(ndev, idx);
	struct rtnl_link_stats64 s = {};
	u64 stop = 0, wake = 0;

	if (q) {
		netvsc_queue_stats(q, &s);
		netvsc_qstats_flow(q, &stop, &wake);
	}
	tx->packets = s.tx_packets;
	tx->bytes = s.tx_bytes;
	tx->stop = stop;
	tx->wake = wake;
}

static void netvsc_qstats_base(struct net_device *ndev,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct rtnl_link_stats64 s = priv->base;
	u64 stop, wake;
	u32 i;

	tx->stop = 0;
	tx->wake = 0;
	for (i = ndev->real_num_rx_queues; nvdev && i < nvdev->num_queues; i++) {
		netvsc_queue_stats(&nvdev->queues[i], &s);
		netvsc_qstats_flow(&nvdev->queues[i], &stop, &wake);
		tx->stop += stop;
		tx->wake += wake;
	}
	rx->packets = s.rx_packets;
	rx->bytes = s.rx_bytes;
	rx->hw_drops = s.rx_dropped;
	tx->packets = s.tx_packets;
	tx->bytes = s.tx_bytes;
}

const struct netdev_stat_ops netvsc_stat_ops = {
	.get_queue_stats_rx	= netvsc_qstats_rx,
	.get_queue_stats_tx	= netvsc_qstats_tx,
	.get_base_stats		= netvsc_qstats_base,
};
