// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics: the per-queue counters read consistently, the device totals
 * (ndo_get_stats64) with what earlier bring-ups counted folded into a base
 * at detach, and ethtool -S from {name, offset} tables over the counters.
 * The netdev-genl per-queue face (built only where the kernel has it) is
 * netvsc_qstats.c, on top of this file.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_stats.h"

/*
 * Device totals under the names users and LISA grep for: each the sum of
 * a per-queue counter over every queue of the bring-up, parked ones too.
 */
static const struct netvsc_stat netvsc_total_tbl[] = {
	NETVSC_XMIT_STAT("tx_scattered", linearized),
	NETVSC_XMIT_STAT("tx_no_memory", no_memory),
	NETVSC_XMIT_STAT("tx_no_space", no_section),
	NETVSC_XMIT_STAT("tx_too_big", too_big),
	NETVSC_XMIT_STAT("tx_busy", busy),
	NETVSC_XMIT_STAT("tx_dma_errors", dma_errors),
	NETVSC_XMIT_STAT("tx_send_full", no_section),
	NETVSC_XMIT_STAT("stop_queue", stops),
	NETVSC_POLL_STAT("wake_queue", wakes),
	NETVSC_POLL_STAT("rx_comp_busy", comp_busy),
	NETVSC_POLL_STAT("rx_host_errors", host_errors),
	NETVSC_POLL_STAT("tx_host_failed", tx_failed),
	NETVSC_POLL_STAT("rx_keepalives", keepalives),
	NETVSC_POLL_STAT("rx_keepalives_coalesced", keepalives_coalesced),
	NETVSC_POLL_STAT("tx_coalesce_holds", txc_holds),
	NETVSC_XMIT_STAT("tx_coalesce_kicks", txc_kicks),
};

/* The VF path's totals (accelerated networking), under the in-tree names */
static const char * const netvsc_vf_names[NETVSC_VF_NSTATS] = {
	"vf_rx_packets", "vf_rx_bytes", "vf_tx_packets", "vf_tx_bytes",
	"vf_tx_dropped",
};

/**
 * netvsc_vf_stats - the VF path's counters, summed over the CPUs
 * @priv: the NIC
 * @out: rx_packets, rx_bytes, tx_packets, tx_bytes, tx_dropped
 */
void netvsc_vf_stats(const struct netvsc_priv *priv, u64 *out)
{
	const struct netvsc_vf_pcpu *s;
	u64 v[NETVSC_VF_NSTATS];
	unsigned int start;
	int cpu, i;

	memset(out, 0, NETVSC_VF_NSTATS * sizeof(*out));
	if (!priv->vf.stats)
		return;
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(priv->vf.stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v[0] = u64_stats_read(&s->rx_packets);
			v[1] = u64_stats_read(&s->rx_bytes);
			v[2] = u64_stats_read(&s->tx_packets);
			v[3] = u64_stats_read(&s->tx_bytes);
			v[4] = u64_stats_read(&s->tx_dropped);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < NETVSC_VF_NSTATS; i++)
			out[i] += v[i];
	}
}

/* Per-queue counters; "%u" is the queue number. */
static const struct netvsc_stat netvsc_queue_tbl[] = {
	NETVSC_POLL_STAT("rx_queue_%u_packets", packets),
	NETVSC_POLL_STAT("rx_queue_%u_bytes", bytes),
	NETVSC_POLL_STAT("rx_queue_%u_drops", drops),
	NETVSC_POLL_STAT("rx_queue_%u_rsc_packets", rsc_pkts),
	NETVSC_POLL_STAT("rx_queue_%u_comp_busy", comp_busy),
	NETVSC_POLL_STAT("rx_queue_%u_host_errors", host_errors),
	NETVSC_POLL_STAT("rx_queue_%u_xdp_drop", xdp_drop),
	NETVSC_POLL_STAT("rx_queue_%u_xdp_tx", xdp_tx),
	NETVSC_POLL_STAT("rx_queue_%u_xdp_redirect", xdp_redirect),
	NETVSC_POLL_STAT("tx_queue_%u_packets", tx_packets),
	NETVSC_POLL_STAT("tx_queue_%u_bytes", tx_bytes),
	NETVSC_POLL_STAT("tx_queue_%u_host_failed", tx_failed),
	NETVSC_POLL_STAT("tx_queue_%u_wake_queue", wakes),
	NETVSC_XMIT_STAT("tx_queue_%u_copied", copied),
	NETVSC_XMIT_STAT("tx_queue_%u_gpa", gpa),
	NETVSC_XMIT_STAT("tx_queue_%u_scattered", linearized),
	NETVSC_XMIT_STAT("tx_queue_%u_drops", drops),
	NETVSC_XMIT_STAT("tx_queue_%u_no_memory", no_memory),
	NETVSC_XMIT_STAT("tx_queue_%u_too_big", too_big),
	NETVSC_XMIT_STAT("tx_queue_%u_send_full", no_section),
	NETVSC_XMIT_STAT("tx_queue_%u_busy", busy),
	NETVSC_XMIT_STAT("tx_queue_%u_stop_queue", stops),
	NETVSC_XMIT_STAT("tx_queue_%u_xdp_xmit", xdp_xmit),
	NETVSC_XMIT_STAT("tx_queue_%u_dma_errors", dma_errors),
};

/**
 * netvsc_queue_stats - add a queue's standard counters to @s
 * @q: the queue
 * @s: totals to add to
 */
void netvsc_queue_stats(const struct netvsc_queue *q,
			struct rtnl_link_stats64 *s)
{
	const struct netvsc_xmit_stats *xs = &q->xmit_stats;
	const struct netvsc_poll_stats *rs = &q->poll_stats;
	u64 rp, rb, mc, rd, re, tp, tb, tf, td;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		rp = u64_stats_read(&rs->packets);
		rb = u64_stats_read(&rs->bytes);
		mc = u64_stats_read(&rs->multicast);
		rd = u64_stats_read(&rs->drops);
		re = u64_stats_read(&rs->host_errors);
		tp = u64_stats_read(&rs->tx_packets);
		tb = u64_stats_read(&rs->tx_bytes);
		tf = u64_stats_read(&rs->tx_failed);
	} while (u64_stats_fetch_retry(&rs->syncp, start));
	do {
		start = u64_stats_fetch_begin(&xs->syncp);
		td = u64_stats_read(&xs->drops);
	} while (u64_stats_fetch_retry(&xs->syncp, start));

	s->rx_packets += rp;
	s->rx_bytes += rb;
	s->multicast += mc;
	s->rx_dropped += rd;
	s->rx_errors += re;
	s->tx_packets += tp;
	s->tx_bytes += tb;
	s->tx_errors += tf;
	s->tx_dropped += td;
}

/**
 * netvsc_stats_fold - keep the totals of a device being detached
 * @priv: the net device's private part
 * @nvdev: the device, its NAPI off: its counters no longer move
 *
 * Adds its queue counters to &netvsc_priv.base and stops counting them,
 * as one step for netvsc_get_stats64().
 *
 * Context: process, RTNL held.
 */
void netvsc_stats_fold(struct netvsc_priv *priv, struct netvsc_dev *nvdev)
{
	u32 i;

	ASSERT_RTNL();
	preempt_disable();
	write_seqcount_begin(&priv->stats_seq);
	for (i = 0; i < nvdev->num_queues; i++)
		netvsc_queue_stats(&nvdev->queues[i], &priv->base);
	RCU_INIT_POINTER(priv->stats_nvdev, NULL);
	write_seqcount_end(&priv->stats_seq);
	preempt_enable();
}

/**
 * netvsc_get_stats64 - ndo_get_stats64
 * @ndev: the net device
 * @s: filled with the base plus the counters of the attached device
 */
void netvsc_get_stats64(struct net_device *ndev, struct rtnl_link_stats64 *s)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct rtnl_link_stats64 t;
	u64 vf[NETVSC_VF_NSTATS];
	struct netvsc_dev *nvdev;
	unsigned int seq;
	u32 i;

	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&priv->stats_seq);
		t = priv->base;
		nvdev = rcu_dereference(priv->stats_nvdev);
		for (i = 0; nvdev && i < nvdev->num_queues; i++)
			netvsc_queue_stats(&nvdev->queues[i], &t);
	} while (read_seqcount_retry(&priv->stats_seq, seq));
	rcu_read_unlock();

	netvsc_vf_stats(priv, vf);
	netdev_stats_to_stats64(s, &ndev->stats);
	s->rx_packets += t.rx_packets + vf[0];
	s->rx_bytes += t.rx_bytes + vf[1];
	s->multicast += t.multicast;
	s->rx_dropped += t.rx_dropped;
	s->rx_errors += t.rx_errors + atomic64_read(&priv->host_errors);
	s->tx_packets += t.tx_packets + vf[2];
	s->tx_bytes += t.tx_bytes + vf[3];
	s->tx_errors += t.tx_errors;
	s->tx_dropped += t.tx_dropped + vf[4];
}

/**
 * netvsc_get_sset_count - ethtool get_sset_count
 * @ndev: the net device
 * @sset: the string set; only ETH_SS_STATS is ours
 *
 * Return: the totals plus one block per TX queue the stack knows, or
 * -EOPNOTSUPP.
 */
int netvsc_get_sset_count(struct net_device *ndev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(netvsc_total_tbl) + NETVSC_VF_NSTATS +
	       ARRAY_SIZE(netvsc_queue_tbl) * ndev->real_num_tx_queues;
}

/**
 * netvsc_get_strings - ethtool get_strings
 * @ndev: the net device
 * @sset: the string set
 * @data: the names, in the order of netvsc_get_ethtool_stats()
 */
void netvsc_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	u32 q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(netvsc_total_tbl); i++)
		ethtool_puts(&data, netvsc_total_tbl[i].name);
	for (i = 0; i < NETVSC_VF_NSTATS; i++)
		ethtool_puts(&data, netvsc_vf_names[i]);
	for (q = 0; q < ndev->real_num_tx_queues; q++)
		for (i = 0; i < ARRAY_SIZE(netvsc_queue_tbl); i++)
			ethtool_sprintf(&data, netvsc_queue_tbl[i].name, q);
}

/**
 * netvsc_stats_read - read counters of one queue named by a table
 * @q: the queue
 * @tbl: which counters
 * @n: entries in @tbl
 * @out: one value per entry
 *
 * Each of the two counter blocks is read consistently (u64_stats retry).
 */
void netvsc_stats_read(const struct netvsc_queue *q,
		       const struct netvsc_stat *tbl, u32 n, u64 *out)
{
	const struct netvsc_xmit_stats *xs = &q->xmit_stats;
	const struct netvsc_poll_stats *rs = &q->poll_stats;
	unsigned int start;
	u32 i;

	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		for (i = 0; i < n; i++)
			if (!tbl[i].xmit)
				out[i] = u64_stats_read((void *)rs + tbl[i].offset);
	} while (u64_stats_fetch_retry(&rs->syncp, start));
	do {
		start = u64_stats_fetch_begin(&xs->syncp);
		for (i = 0; i < n; i++)
			if (tbl[i].xmit)
				out[i] = u64_stats_read((void *)xs + tbl[i].offset);
	} while (u64_stats_fetch_retry(&xs->syncp, start));
}

/**
 * netvsc_get_ethtool_stats - ethtool get_ethtool_stats
 * @ndev: the net device
 * @stats: unused (the count is netvsc_get_sset_count()'s)
 * @data: one value per name of netvsc_get_strings()
 */
void netvsc_get_ethtool_stats(struct net_device *ndev,
			      struct ethtool_stats *stats, u64 *data)
{
	u64 one[ARRAY_SIZE(netvsc_total_tbl)];
	struct netvsc_priv *priv = netdev_priv(ndev);
	const u32 nt = ARRAY_SIZE(netvsc_total_tbl);
	const u32 nq = ARRAY_SIZE(netvsc_queue_tbl);
	u64 *qdata = data + nt + NETVSC_VF_NSTATS;
	struct netvsc_dev *nvdev;
	u32 q, i;

	memset(data, 0, (nt + NETVSC_VF_NSTATS + nq * ndev->real_num_tx_queues) *
			sizeof(*data));
	rcu_read_lock();
	nvdev = rcu_dereference(priv->nvdev);
	for (q = 0; nvdev && q < nvdev->num_queues; q++) {
		netvsc_stats_read(&nvdev->queues[q], netvsc_total_tbl, nt, one);
		for (i = 0; i < nt; i++)
			data[i] += one[i];
		if (q < ndev->real_num_tx_queues)
			netvsc_stats_read(&nvdev->queues[q], netvsc_queue_tbl,
					  nq, qdata + q * nq);
	}
	rcu_read_unlock();
	/* and those seen outside the queues */
	for (i = 0; i < nt; i++)
		if (!netvsc_total_tbl[i].xmit &&
		    netvsc_total_tbl[i].offset ==
		    offsetof(struct netvsc_poll_stats, host_errors))
			data[i] += atomic64_read(&priv->host_errors);
	netvsc_vf_stats(priv, data + nt);
}

