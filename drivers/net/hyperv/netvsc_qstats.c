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

static void netvsc_qstats_flow(const struct netvsc_queue *q, u64 *stop,
			       u64 *wake)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&q->xmit_stats.syncp);
		*stop = u64_stats_read(&q->xmit_stats.stops);
	} while (u64_stats_fetch_retry(&q->xmit_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&q->rx_stats.syncp);
		*wake = u64_stats_read(&q->rx_stats.wakes);
	} while (u64_stats_fetch_retry(&q->rx_stats.syncp, start));
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
