// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool interface: identity (-i), link settings, message level,
 * statistics (-S, netvsc_stats.c), channels (-l/-L), rings in buffer
 * sections (-g/-G), the RSS key and indirection table (-x/-X),
 * rx-flow-hash (-n/-N) and the host's send indirection table as registers
 * (-d).  The handlers validate; channel and ring changes are decided and
 * made by netvsc_cfg.c, RSS by netvsc_channel.c; nothing here is called
 * back by them.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_cfg.h"
#include "netvsc_channel.h"
#include "netvsc_ethtool.h"
#include "netvsc_stats.h"
#include "netvsc_txc.h"
#include "netvsc_vf.h"

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

	/* a joined VF's link is the one that carries the traffic */
	if (!netvsc_vf_link_get(priv, cmd))
		return 0;
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

	ret = netvsc_vf_link_set(priv, cmd);
	if (ret != -ENODEV)
		return ret;
	/* virtual device rules: validated, kept locally, not sent to the host */
	ret = ethtool_virtdev_set_link_ksettings(ndev, cmd, &speed, &duplex);
	if (!ret)
		WRITE_ONCE(priv->speed, speed);
	return ret;
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
 * The core has checked the count against the maximum and a user RSS table
 * against the new count; the rest is netvsc_cfg_chans()'s.
 */
static int netvsc_set_channels(struct net_device *ndev,
			       struct ethtool_channels *ch)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 count = ch->combined_count;

	if (ch->rx_count || ch->tx_count || ch->other_count || !count)
		return -EINVAL;
	if (!nvdev)
		return -ENODEV;
	if (count > netvsc_chans_max(nvdev->max_chans))
		return -EINVAL;
	return netvsc_cfg_chans(priv, count);
}

static u32 netvsc_recv_sections_max(const struct netvsc_dev *nvdev)
{
	u32 buf = nvdev->nvsp_ver <= NVSP_PROTO_VERSION_2 ?
		  NVSP_RECV_BUF_SIZE_MAX_LEGACY : NVSP_RECV_BUF_SIZE_MAX;

	return buf / nvdev->recv.section_size;
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
	ring->rx_pending = nvdev->recv.sections;
	ring->tx_pending = nvdev->send.sections;
	ring->rx_max_pending = netvsc_recv_sections_max(nvdev);
	ring->tx_max_pending = NVSP_SEND_BUF_SIZE_MAX / nvdev->send.section_size;
}

/* Sections, not descriptors: the buffers are re-made with the new counts. */
static int netvsc_set_ringparam(struct net_device *ndev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 rx, tx;

	if (!nvdev)
		return -ENODEV;
	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	rx = clamp_t(u32, ring->rx_pending, NVSP_RECV_SECTIONS_MIN,
		     netvsc_recv_sections_max(nvdev));
	tx = clamp_t(u32, ring->tx_pending, NVSP_SEND_SECTIONS_MIN,
		     NVSP_SEND_BUF_SIZE_MAX / nvdev->send.section_size);
	return netvsc_cfg_sections(priv, rx, tx);
}

static int netvsc_get_coalesce(struct net_device *ndev,
			       struct ethtool_coalesce *ec,
			       struct kernel_ethtool_coalesce *kec,
			       struct netlink_ext_ack *extack)
{
	struct netvsc_priv *priv = netdev_priv(ndev);

	ec->tx_coalesce_usecs = priv->txc_usecs;
	ec->tx_max_coalesced_frames = priv->txc_frames;
	return 0;
}

/* Send-completion coalescing; the ethtool core refuses the other fields. */
static int netvsc_set_coalesce(struct net_device *ndev,
			       struct ethtool_coalesce *ec,
			       struct kernel_ethtool_coalesce *kec,
			       struct netlink_ext_ack *extack)
{
	if (ec->tx_coalesce_usecs > NETVSC_TXC_USECS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tx-usecs is at most "
				   __stringify(NETVSC_TXC_USECS_MAX));
		return -EINVAL;
	}
	if (!ec->tx_max_coalesced_frames ||
	    ec->tx_max_coalesced_frames > NETVSC_TXC_FRAMES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tx-frames is 1 to "
				   __stringify(NETVSC_TXC_FRAMES_MAX));
		return -EINVAL;
	}
	netvsc_txc_set(netdev_priv(ndev), ec->tx_coalesce_usecs,
		       ec->tx_max_coalesced_frames);
	return 0;
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
	.supported_coalesce_params = ETHTOOL_COALESCE_TX_USECS |
				     ETHTOOL_COALESCE_TX_MAX_FRAMES,
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
	.get_coalesce		= netvsc_get_coalesce,
	.set_coalesce		= netvsc_set_coalesce,
	.get_rxfh_key_size	= netvsc_get_rxfh_key_size,
	.get_rxfh_indir_size	= netvsc_get_rxfh_indir_size,
	.get_rxfh		= netvsc_rxfh_get_compat,
	.set_rxfh		= netvsc_rxfh_set_compat,
	.get_rxnfc		= netvsc_get_rxnfc,
	.set_rxnfc		= netvsc_set_rxnfc,
	.get_regs_len		= netvsc_get_regs_len,
	.get_regs		= netvsc_get_regs,
};
