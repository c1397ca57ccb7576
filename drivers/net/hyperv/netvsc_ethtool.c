// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool interface: identity (-i), link settings, message level,
 * statistics (-S) from a {name, offset} table over the per-queue counters,
 * and read-only channels and rings of the single queue.  Channel and ring
 * changes belong to the vRSS work; nothing here calls back into the driver
 * core beyond reading state.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_version.h"

struct netvsc_stat {
	char name[ETH_GSTRING_LEN];
	u16 offset;
};

#define NETVSC_RX_STAT(n, m) { n, offsetof(struct netvsc_rx_stats, m) }
#define NETVSC_XMIT_STAT(n, m) { n, offsetof(struct netvsc_xmit_stats, m) }

/* Per-queue counters written by NAPI; "%u" is the queue number. */
static const struct netvsc_stat netvsc_rx_stat_tbl[] = {
	NETVSC_RX_STAT("rx_queue_%u_packets", packets),
	NETVSC_RX_STAT("rx_queue_%u_bytes", bytes),
	NETVSC_RX_STAT("rx_queue_%u_drops", drops),
	NETVSC_RX_STAT("rx_queue_%u_rsc_packets", rsc_pkts),
	NETVSC_RX_STAT("rx_queue_%u_comp_busy", comp_busy),
	NETVSC_RX_STAT("rx_queue_%u_host_errors", host_errors),
	NETVSC_RX_STAT("tx_queue_%u_packets", tx_packets),
	NETVSC_RX_STAT("tx_queue_%u_bytes", tx_bytes),
};

/* Per-queue counters written by ndo_start_xmit. */
static const struct netvsc_stat netvsc_xmit_stat_tbl[] = {
	NETVSC_XMIT_STAT("tx_queue_%u_copied", copied),
	NETVSC_XMIT_STAT("tx_queue_%u_gpa", gpa),
	NETVSC_XMIT_STAT("tx_queue_%u_scattered", linearized),
	NETVSC_XMIT_STAT("tx_queue_%u_drops", drops),
	NETVSC_XMIT_STAT("tx_queue_%u_send_full", no_section),
	NETVSC_XMIT_STAT("tx_queue_%u_busy", busy),
	NETVSC_XMIT_STAT("tx_queue_%u_stop_queue", stops),
};

#define NETVSC_QUEUE_STATS	\
	(ARRAY_SIZE(netvsc_rx_stat_tbl) + ARRAY_SIZE(netvsc_xmit_stat_tbl))

static void netvsc_get_drvinfo(struct net_device *ndev,
			       struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, NETVSC_DRV_VERSION, sizeof(info->version));
	strscpy(info->fw_version, "N/A", sizeof(info->fw_version));
}

static u32 netvsc_get_msglevel(struct net_device *ndev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);

	return priv->msg_enable;
}

static void netvsc_set_msglevel(struct net_device *ndev, u32 val)
{
	struct netvsc_priv *priv = netdev_priv(ndev);

	priv->msg_enable = val;
}

static int netvsc_get_link_ksettings(struct net_device *ndev,
				     struct ethtool_link_ksettings *cmd)
{
	struct netvsc_priv *priv = netdev_priv(ndev);

	cmd->base.speed = READ_ONCE(priv->speed);
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	return 0;
}

static int netvsc_set_link_ksettings(struct net_device *ndev,
				     const struct ethtool_link_ksettings *cmd)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	u32 speed = priv->speed;
	u8 duplex = DUPLEX_FULL;
	int ret;

	/* virtual device rules: validated, kept locally, not sent to the host */
	ret = ethtool_virtdev_set_link_ksettings(ndev, cmd, &speed, &duplex);
	if (!ret)
		WRITE_ONCE(priv->speed, speed);
	return ret;
}

static int netvsc_get_sset_count(struct net_device *ndev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return NETVSC_QUEUE_STATS * ndev->real_num_tx_queues;
}

static void netvsc_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	u32 q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < ndev->real_num_tx_queues; q++) {
		for (i = 0; i < ARRAY_SIZE(netvsc_rx_stat_tbl); i++)
			ethtool_sprintf(&data, netvsc_rx_stat_tbl[i].name, q);
		for (i = 0; i < ARRAY_SIZE(netvsc_xmit_stat_tbl); i++)
			ethtool_sprintf(&data, netvsc_xmit_stat_tbl[i].name, q);
	}
}

static void netvsc_fetch(const void *base, const struct u64_stats_sync *syncp,
			 const struct netvsc_stat *tbl, u32 n, u64 *out)
{
	unsigned int start;
	u32 i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < n; i++)
			out[i] = u64_stats_read(base + tbl[i].offset);
	} while (u64_stats_fetch_retry(syncp, start));
}

static void netvsc_get_ethtool_stats(struct net_device *ndev,
				     struct ethtool_stats *stats, u64 *data)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	u32 nq = ndev->real_num_tx_queues;
	struct netvsc_dev *nvdev;
	u32 q;

	memset(data, 0, NETVSC_QUEUE_STATS * nq * sizeof(*data));
	rcu_read_lock();
	nvdev = rcu_dereference(priv->nvdev);
	for (q = 0; nvdev && q < nq && q < nvdev->num_queues; q++) {
		const struct netvsc_queue *vq = &nvdev->queues[q];
		u64 *out = data + q * NETVSC_QUEUE_STATS;

		netvsc_fetch(&vq->rx_stats, &vq->rx_stats.syncp,
			     netvsc_rx_stat_tbl, ARRAY_SIZE(netvsc_rx_stat_tbl),
			     out);
		netvsc_fetch(&vq->xmit_stats, &vq->xmit_stats.syncp,
			     netvsc_xmit_stat_tbl,
			     ARRAY_SIZE(netvsc_xmit_stat_tbl),
			     out + ARRAY_SIZE(netvsc_rx_stat_tbl));
	}
	rcu_read_unlock();
}

static void netvsc_get_channels(struct net_device *ndev,
				struct ethtool_channels *ch)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);

	if (!nvdev)
		return;
	ch->max_combined = nvdev->num_queues;
	ch->combined_count = nvdev->num_queues;
}

static void netvsc_get_ringparam(struct net_device *ndev,
				 struct ethtool_ringparam *ring,
				 struct kernel_ethtool_ringparam *kring,
				 struct netlink_ext_ack *extack)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);

	if (!nvdev)
		return;
	ring->rx_pending = nvdev->recv_sections;
	ring->tx_pending = nvdev->send_sections;
	ring->rx_max_pending = nvdev->recv_sections;
	ring->tx_max_pending = nvdev->send_sections;
}

const struct ethtool_ops netvsc_ethtool_ops = {
	.get_drvinfo		= netvsc_get_drvinfo,
	.get_msglevel		= netvsc_get_msglevel,
	.set_msglevel		= netvsc_set_msglevel,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_link_ksettings	= netvsc_get_link_ksettings,
	.set_link_ksettings	= netvsc_set_link_ksettings,
	.get_sset_count		= netvsc_get_sset_count,
	.get_strings		= netvsc_get_strings,
	.get_ethtool_stats	= netvsc_get_ethtool_stats,
	.get_channels		= netvsc_get_channels,
	.get_ringparam		= netvsc_get_ringparam,
};
