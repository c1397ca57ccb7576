// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool interface: identity (-i), link settings, message level,
 * statistics (-S) from {name, offset} tables over the per-queue counters,
 * channels (-l/-L), rings in buffer sections (-g/-G), the RSS key and
 * indirection table (-x/-X), rx-flow-hash (-n/-N) and the host's send
 * indirection table as registers (-d).  Changes go through the core's
 * reconfigure and channel helpers; nothing here is called back by them.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_version.h"

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
	NETVSC_RX_STAT("wake_queue", wakes),
	NETVSC_RX_STAT("rx_comp_busy", comp_busy),
	NETVSC_RX_STAT("rx_host_errors", host_errors),
	NETVSC_RX_STAT("tx_host_failed", tx_failed),
	NETVSC_RX_STAT("rx_keepalives", keepalives),
	NETVSC_RX_STAT("rx_keepalives_coalesced", keepalives_coalesced),
};

/* Per-queue counters; "%u" is the queue number. */
static const struct netvsc_stat netvsc_queue_tbl[] = {
	NETVSC_RX_STAT("rx_queue_%u_packets", packets),
	NETVSC_RX_STAT("rx_queue_%u_bytes", bytes),
	NETVSC_RX_STAT("rx_queue_%u_drops", drops),
	NETVSC_RX_STAT("rx_queue_%u_rsc_packets", rsc_pkts),
	NETVSC_RX_STAT("rx_queue_%u_comp_busy", comp_busy),
	NETVSC_RX_STAT("rx_queue_%u_host_errors", host_errors),
	NETVSC_RX_STAT("rx_queue_%u_xdp_drop", xdp_drop),
	NETVSC_RX_STAT("rx_queue_%u_xdp_tx", xdp_tx),
	NETVSC_RX_STAT("rx_queue_%u_xdp_redirect", xdp_redirect),
	NETVSC_RX_STAT("tx_queue_%u_packets", tx_packets),
	NETVSC_RX_STAT("tx_queue_%u_bytes", tx_bytes),
	NETVSC_RX_STAT("tx_queue_%u_host_failed", tx_failed),
	NETVSC_RX_STAT("tx_queue_%u_wake_queue", wakes),
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
	return ARRAY_SIZE(netvsc_total_tbl) +
	       ARRAY_SIZE(netvsc_queue_tbl) * ndev->real_num_tx_queues;
}

static void netvsc_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	u32 q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(netvsc_total_tbl); i++)
		ethtool_puts(&data, netvsc_total_tbl[i].name);
	for (q = 0; q < ndev->real_num_tx_queues; q++)
		for (i = 0; i < ARRAY_SIZE(netvsc_queue_tbl); i++)
			ethtool_sprintf(&data, netvsc_queue_tbl[i].name, q);
}

/**
 * netvsc_fetch - read counters of one queue named by a table
 * @q: the queue
 * @tbl: which counters
 * @n: entries in @tbl
 * @out: one value per entry
 *
 * Each of the two counter blocks is read consistently (u64_stats retry).
 */
void netvsc_fetch(const struct netvsc_queue *q, const struct netvsc_stat *tbl,
		  u32 n, u64 *out)
{
	const struct netvsc_xmit_stats *xs = &q->xmit_stats;
	const struct netvsc_rx_stats *rs = &q->rx_stats;
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

static void netvsc_get_ethtool_stats(struct net_device *ndev,
				     struct ethtool_stats *stats, u64 *data)
{
	u64 one[ARRAY_SIZE(netvsc_total_tbl)];
	struct netvsc_priv *priv = netdev_priv(ndev);
	const u32 nt = ARRAY_SIZE(netvsc_total_tbl);
	const u32 nq = ARRAY_SIZE(netvsc_queue_tbl);
	struct netvsc_dev *nvdev;
	u32 q, i;

	memset(data, 0, (nt + nq * ndev->real_num_tx_queues) * sizeof(*data));
	rcu_read_lock();
	nvdev = rcu_dereference(priv->nvdev);
	for (q = 0; nvdev && q < nvdev->num_queues; q++) {
		netvsc_fetch(&nvdev->queues[q], netvsc_total_tbl, nt, one);
		for (i = 0; i < nt; i++)
			data[i] += one[i];
		if (q < ndev->real_num_tx_queues)
			netvsc_fetch(&nvdev->queues[q], netvsc_queue_tbl, nq,
				     data + nt + q * nq);
	}
	rcu_read_unlock();
	/* and those seen outside the queues */
	for (i = 0; i < nt; i++)
		if (!netvsc_total_tbl[i].xmit &&
		    netvsc_total_tbl[i].offset ==
		    offsetof(struct netvsc_rx_stats, host_errors))
			data[i] += atomic64_read(&priv->host_errors);
}

static void netvsc_get_channels(struct net_device *ndev,
				struct ethtool_channels *ch)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);

	ch->max_combined = netvsc_chans_max(nvdev ? nvdev->max_chans :
						    priv->max_chans);
	ch->combined_count = nvdev ? nvdev->num_active : 0;
}

/*
 * The core has checked the counts against the maximum and a user RSS table
 * against the new count.  Live when the open channels can serve the count,
 * else a re-attach, which rolls back on failure.
 */
static int netvsc_set_channels(struct net_device *ndev,
			       struct ethtool_channels *ch)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 count = ch->combined_count;
	struct netvsc_cfg cfg;
	int ret;

	if (ch->rx_count || ch->tx_count || ch->other_count || !count)
		return -EINVAL;
	if (!nvdev)
		return -ENODEV;
	if (count > netvsc_chans_max(nvdev->max_chans))
		return -EINVAL;
	if (count == nvdev->num_active)
		return 0;

	ret = netvsc_chans_set_live(priv, count);
	if (!ret)
		priv->cfg.chans = count;
	if (ret != -EAGAIN)
		return ret;

	cfg = priv->cfg;
	cfg.chans = count;
	ret = netvsc_reconfigure(priv, &cfg);
	nvdev = rtnl_dereference(priv->nvdev);
	if (!ret && nvdev && nvdev->num_active != count)
		netdev_warn(ndev, "asked for %u channels, the host gave %u\n",
			    count, nvdev->num_active);
	return ret;
}

static u32 netvsc_recv_sections_max(const struct netvsc_dev *nvdev)
{
	u32 buf = nvdev->nvsp_ver <= NVSP_PROTO_VERSION_2 ?
		  NVSP_RECV_BUF_SIZE_MAX_LEGACY : NVSP_RECV_BUF_SIZE_MAX;

	return buf / nvdev->recv_section_size;
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
	ring->rx_max_pending = netvsc_recv_sections_max(nvdev);
	ring->tx_max_pending = NVSP_SEND_BUF_SIZE_MAX / nvdev->send_section_size;
}

/* Sections, not descriptors: the buffers are re-made with the new counts. */
static int netvsc_set_ringparam(struct net_device *ndev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct netvsc_cfg cfg;
	u32 rx, tx;

	if (!nvdev)
		return -ENODEV;
	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	rx = clamp_t(u32, ring->rx_pending, NVSP_RECV_SECTIONS_MIN,
		     netvsc_recv_sections_max(nvdev));
	tx = clamp_t(u32, ring->tx_pending, NVSP_SEND_SECTIONS_MIN,
		     NVSP_SEND_BUF_SIZE_MAX / nvdev->send_section_size);
	if (rx == nvdev->recv_sections && tx == nvdev->send_sections)
		return 0;

	cfg = priv->cfg;
	/* the host keeps its section sizes; ask for as many bytes */
	cfg.rx_bufs = DIV_ROUND_UP(rx * nvdev->recv_section_size,
				   NVSP_RECV_SECTION_SIZE);
	cfg.tx_bufs = DIV_ROUND_UP(tx * nvdev->send_section_size,
				   NVSP_SEND_SECTION_SIZE);
	return netvsc_reconfigure(priv, &cfg);
}

static u32 netvsc_get_rxfh_key_size(struct net_device *ndev)
{
	return NDIS_RSS_KEY_SIZE;
}

static u32 netvsc_get_rxfh_indir_size(struct net_device *ndev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);

	return nvdev ? nvdev->itab_size : NDIS_RSS_ITAB_DEFAULT;
}

static int netvsc_rxfh_get(struct net_device *ndev, u32 *indir, u8 *key,
			   u8 *hfunc)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	u32 i, n = netvsc_get_rxfh_indir_size(ndev);

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir)
		for (i = 0; i < n; i++)
			indir[i] = priv->rss_table[i];
	if (key)
		memcpy(key, priv->rss_key, NDIS_RSS_KEY_SIZE);
	return 0;
}

static int netvsc_rxfh_set(struct net_device *ndev, const u32 *indir,
			   const u8 *key, u8 hfunc)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u16 table[NDIS_RSS_ITAB_MAX];
	u8 old_key[NDIS_RSS_KEY_SIZE];
	u32 i;
	int ret;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (!nvdev)
		return -ENODEV;
	/* the core checked the entries against ETHTOOL_GRXRINGS */
	memcpy(table, priv->rss_table, sizeof(table));
	memcpy(old_key, priv->rss_key, sizeof(old_key));
	if (indir)
		for (i = 0; i < nvdev->itab_size; i++)
			priv->rss_table[i] = indir[i];
	if (key)
		memcpy(priv->rss_key, key, NDIS_RSS_KEY_SIZE);

	ret = netvsc_rss_apply(nvdev);
	if (ret) {
		memcpy(priv->rss_table, table, sizeof(table));
		memcpy(priv->rss_key, old_key, sizeof(old_key));
		netvsc_rss_apply(nvdev);
	}
	return ret;
}

NETVSC_RXFH_OPS(netvsc_rxfh_get, netvsc_rxfh_set)

/* NETVSC_L4_HASH_* bit of an ethtool flow type, 0 for the others. */
static u32 netvsc_flow_l4_bit(u32 flow_type)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
		return NETVSC_L4_HASH_TCP4;
	case TCP_V6_FLOW:
		return NETVSC_L4_HASH_TCP6;
	case UDP_V4_FLOW:
		return NETVSC_L4_HASH_UDP4;
	case UDP_V6_FLOW:
		return NETVSC_L4_HASH_UDP6;
	default:
		return 0;
	}
}

static int netvsc_get_rxnfc(struct net_device *ndev,
			    struct ethtool_rxnfc *info, u32 *rule_locs)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 bit;

	switch (info->cmd) {
	case ETHTOOL_GRXRINGS:
		info->data = nvdev ? nvdev->num_active : 1;
		return 0;
	case ETHTOOL_GRXFH:
		bit = netvsc_flow_l4_bit(info->flow_type);
		info->data = 0;
		if (bit || info->flow_type == IPV4_FLOW ||
		    info->flow_type == IPV6_FLOW)
			info->data = RXH_IP_SRC | RXH_IP_DST;
		if (priv->l4_hash & bit)
			info->data |= RXH_L4_B_0_1 | RXH_L4_B_2_3;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* The ports in the TX queue hash of a flow type: on (sdfn) or off (sd). */
static int netvsc_set_rxnfc(struct net_device *ndev,
			    struct ethtool_rxnfc *info)
{
	const u64 sd = RXH_IP_SRC | RXH_IP_DST;
	const u64 sdfn = sd | RXH_L4_B_0_1 | RXH_L4_B_2_3;
	struct netvsc_priv *priv = netdev_priv(ndev);
	u32 bit = netvsc_flow_l4_bit(info->flow_type);

	if (info->cmd != ETHTOOL_SRXFH || !bit)
		return -EOPNOTSUPP;
	if (info->data == sdfn)
		WRITE_ONCE(priv->l4_hash, priv->l4_hash | bit);
	else if (info->data == sd)
		WRITE_ONCE(priv->l4_hash, priv->l4_hash & ~bit);
	else
		return -EOPNOTSUPP;
	return 0;
}

/* ethtool -d: the host's send indirection table. */
static int netvsc_get_regs_len(struct net_device *ndev)
{
	return NVSP_SEND_TABLE_SIZE * sizeof(u32);
}

static void netvsc_get_regs(struct net_device *ndev, struct ethtool_regs *regs,
			    void *p)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 *out = p;
	u32 i;

	regs->version = 1;
	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		out[i] = nvdev ? READ_ONCE(nvdev->send_table[i]) : 0;
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
	.set_channels		= netvsc_set_channels,
	.get_ringparam		= netvsc_get_ringparam,
	.set_ringparam		= netvsc_set_ringparam,
	.get_rxfh_key_size	= netvsc_get_rxfh_key_size,
	.get_rxfh_indir_size	= netvsc_get_rxfh_indir_size,
	.get_rxfh		= netvsc_rxfh_get_compat,
	.set_rxfh		= netvsc_rxfh_set_compat,
	.get_rxnfc		= netvsc_get_rxnfc,
	.set_rxnfc		= netvsc_set_rxnfc,
	.get_regs_len		= netvsc_get_regs_len,
	.get_regs		= netvsc_get_regs,
};
