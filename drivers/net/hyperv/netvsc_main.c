// SPDX-License-Identifier: GPL-2.0
/*
 * Module and device life of the out-of-tree hv_netvsc driver: VMBus driver
 * registration and identity, probe/remove/suspend/resume, and the net
 * device operations, which call into the lower layers: open/stop and the
 * MTU through netvsc_cfg.c, rx mode, MAC change, features; statistics are
 * netvsc_stats.c's, XDP netvsc_xdp.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/hyperv.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_attach.h"
#include "netvsc_cfg.h"
#include "netvsc_channel.h"
#include "netvsc_ethtool.h"
#include "netvsc_nvsp.h"
#include "netvsc_rndis.h"
#include "netvsc_select.h"
#include "netvsc_stats.h"
#include "netvsc_tx.h"
#include "netvsc_txc.h"
#include "netvsc_vf.h"
#include "netvsc_xdp.h"

#define NETVSC_DEFAULT_MSG	(NETIF_MSG_DRV | NETIF_MSG_PROBE | \
				 NETIF_MSG_LINK | NETIF_MSG_IFUP | \
				 NETIF_MSG_IFDOWN | NETIF_MSG_RX_ERR | \
				 NETIF_MSG_TX_ERR)

static int netvsc_open(struct net_device *ndev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	int ret;

	if (!rtnl_dereference(priv->nvdev))
		return -ENODEV;
	ret = netvsc_data_start(priv);
	if (ret)
		return ret;
	/* the VF follows */
	netvsc_vf_start(priv);
	return 0;
}

static int netvsc_stop(struct net_device *ndev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct net_device *vf;

	/* not running any more: back to the synthetic path first */
	netvsc_vf_update(priv);
	netvsc_data_stop(priv);
	vf = rtnl_dereference(priv->vf.dev);
	if (vf)
		dev_close(vf);
	return 0;
}

/* XDP: the program goes to the VF too, and decides the data path */
static int netvsc_ndo_bpf(struct net_device *ndev, struct netdev_bpf *bpf)
{
	int ret = netvsc_bpf(ndev, bpf);

	if (!ret && bpf->command == XDP_SETUP_PROG)
		netvsc_vf_xdp(netdev_priv(ndev));
	return ret;
}

/* Through the VF while it is the data path, else synthetic */
static netdev_tx_t netvsc_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	if (netvsc_vf_xmit(netdev_priv(ndev), skb))
		return NETDEV_TX_OK;
	return netvsc_start_xmit(skb, ndev);
}

/* The VF receives what the NIC would: its address lists and flags */
static void netvsc_change_rx_flags(struct net_device *ndev, int change)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct net_device *vf = rtnl_dereference(priv->vf.dev);

	if (!vf)
		return;
	if (change & IFF_PROMISC)
		dev_set_promiscuity(vf, ndev->flags & IFF_PROMISC ? 1 : -1);
	if (change & IFF_ALLMULTI)
		dev_set_allmulti(vf, ndev->flags & IFF_ALLMULTI ? 1 : -1);
}

static void netvsc_set_rx_mode(struct net_device *ndev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev;
	struct net_device *vf;

	rcu_read_lock();
	vf = rcu_dereference(priv->vf.dev);
	if (vf) {
		dev_uc_sync(vf, ndev);
		dev_mc_sync(vf, ndev);
	}
	nvdev = rcu_dereference(priv->nvdev);
	if (nvdev && READ_ONCE(nvdev->filter_on))
		schedule_work(&nvdev->rx_mode_work);
	rcu_read_unlock();
}

static int netvsc_set_mac_address(struct net_device *ndev, void *p)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct sockaddr *sa = p;
	int ret;

	if (!nvdev)
		return -ENODEV;
	ret = eth_prepare_mac_addr_change(ndev, p);
	if (ret)
		return ret;
	ret = netvsc_rndis_set_mac(nvdev, sa->sa_data);
	if (ret) {
		netdev_err(ndev, "host refused the MAC address: %d\n", ret);
		return -EIO;
	}
	eth_commit_mac_addr_change(ndev, p);
	return 0;
}

static int netvsc_set_features(struct net_device *ndev,
			       netdev_features_t features)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	netdev_features_t changed = ndev->features ^ features;
	int ret;

	if ((changed & NETIF_F_LRO) && nvdev) {
		ret = netvsc_rndis_set_rsc(nvdev, features & NETIF_F_LRO);
		if (ret)
			return ret;
	}
	/* the VF follows what was turned on or off */
	netvsc_vf_features(priv, features);
	return 0;
}

static netdev_features_t netvsc_fix_features(struct net_device *ndev,
					     netdev_features_t features)
{
	struct netvsc_priv *priv = netdev_priv(ndev);

	/* XDP sees each frame as the wire had it */
	if (rcu_access_pointer(priv->xdp_prog))
		features &= ~NETIF_F_LRO;
	return features;
}

/* The VF first, as the in-tree driver does; undone if ours fails */
static int netvsc_change_mtu(struct net_device *ndev, int mtu)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	int old = vf ? vf->mtu : 0;
	int ret;

	if (vf) {
		ret = dev_set_mtu(vf, mtu);
		if (ret) {
			netdev_err(ndev, "VF %s refused MTU %d: %d\n", vf->name,
				   mtu, ret);
			return ret;
		}
	}
	ret = netvsc_cfg_mtu(priv, mtu);
	if (ret && vf)
		dev_set_mtu(vf, old);
	return ret;
}

static const struct net_device_ops netvsc_netdev_ops = {
	.ndo_open		= netvsc_open,
	.ndo_stop		= netvsc_stop,
	.ndo_start_xmit		= netvsc_xmit,
	.ndo_select_queue	= netvsc_select_queue,
	.ndo_set_rx_mode	= netvsc_set_rx_mode,
	.ndo_change_rx_flags	= netvsc_change_rx_flags,
	.ndo_change_mtu		= netvsc_change_mtu,
	.ndo_set_mac_address	= netvsc_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_fix_features	= netvsc_fix_features,
	.ndo_set_features	= netvsc_set_features,
	.ndo_get_stats64	= netvsc_get_stats64,
	.ndo_bpf		= netvsc_ndo_bpf,
	.ndo_xdp_xmit		= netvsc_xdp_xmit,
};

/* Net device settings that follow from what the host offers. */
static void netvsc_set_netdev_caps(struct net_device *ndev,
				   const struct netvsc_dev *nvdev)
{
	const struct netvsc_hw_caps *caps = &nvdev->caps;
	struct netvsc_priv *priv = netdev_priv(ndev);

	ndev->hw_features = NETIF_F_SG | NETIF_F_RXCSUM | NETIF_F_RXHASH |
			    caps->csum_tx | caps->tso;
	if (caps->rsc)
		ndev->hw_features |= NETIF_F_LRO;
	ndev->features = ndev->hw_features | NETIF_F_HIGHDMA |
			 NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX;
	ndev->vlan_features = ndev->features;
	if (caps->tso_max)
		netif_set_tso_max_size(ndev, caps->tso_max);

	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = nvdev->nvsp_ver >= NVSP_PROTO_VERSION_2 ?
			NVSP_MTU_MAX : NVSP_MTU_MAX_V1;
	priv->max_mtu = ndev->max_mtu;
	/* the OID counts the payload only, as an MTU does */
	ndev->mtu = ETH_DATA_LEN;
	if (nvdev->max_frame && nvdev->max_frame < ETH_MIN_MTU)
		netvsc_dev_host_error(priv,
				      "maximum frame size %u is below the minimum MTU %u, ignored\n",
				      nvdev->max_frame, ETH_MIN_MTU);
	else if (nvdev->max_frame && nvdev->max_frame < ETH_DATA_LEN)
		ndev->mtu = nvdev->max_frame;
}

static struct net_device *netvsc_netdev_alloc(struct hv_device *hdev)
{
	struct netvsc_priv *priv;
	struct net_device *ndev;

	ndev = alloc_etherdev_mq(sizeof(*priv), NVSP_VRSS_CHANNEL_MAX);
	if (!ndev)
		return NULL;
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	SET_NETDEV_DEV(ndev, &hdev->device);
	ndev->netdev_ops = &netvsc_netdev_ops;
	ndev->ethtool_ops = &netvsc_ethtool_ops;
	netvsc_set_stat_ops(ndev);
	netvsc_set_xdp_features(ndev);
	ndev->needed_headroom = RNDIS_TX_HEADROOM;
	/* the host takes a new MAC without a reset */
	ndev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	/*
	 * A joined VF transmits, and syncs address lists, inside ours: our
	 * queue and address locks get lock classes of their own, apart from
	 * those of the Ethernet device below us.
	 */
	netdev_lockdep_set_classes(ndev);

	priv = netdev_priv(ndev);
	priv->hdev = hdev;
	priv->ndev = ndev;
	priv->msg_enable = NETVSC_DEFAULT_MSG;
	priv->speed = SPEED_UNKNOWN;
	netvsc_cfg_defaults(priv);
	netvsc_txc_set(priv, 0, NETVSC_TXC_FRAMES_DEFAULT);
	priv->max_chans = 1;
	init_waitqueue_head(&priv->nvdev_wq);
	INIT_WORK(&priv->recover_work, netvsc_cfg_recover_work);
	seqcount_init(&priv->stats_seq);
	netvsc_rss_init(priv);
	spin_lock_init(&priv->link_lock);
	INIT_DELAYED_WORK(&priv->link_work, netvsc_link_work);
	if (netvsc_vf_init(priv)) {
		free_netdev(ndev);
		return NULL;
	}
	return ndev;
}

static int netvsc_probe(struct hv_device *hdev,
			const struct hv_vmbus_device_id *id)
{
	struct netvsc_dev *nvdev;
	struct netvsc_priv *priv;
	struct net_device *ndev;
	int ret;

	ndev = netvsc_netdev_alloc(hdev);
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	hv_set_drvdata(hdev, ndev);
	netif_carrier_off(ndev);

	rtnl_lock();
	nvdev = netvsc_dev_attach(priv, &priv->cfg);
	if (IS_ERR(nvdev)) {
		ret = PTR_ERR(nvdev);
		goto err_unlock;
	}
	if (is_valid_ether_addr(nvdev->perm_addr)) {
		eth_hw_addr_set(ndev, nvdev->perm_addr);
	} else {
		netvsc_dev_host_error(priv,
				      "MAC %pM is not a unicast address; using a random one\n",
				      nvdev->perm_addr);
		eth_hw_addr_random(ndev);
	}
	netvsc_set_netdev_caps(ndev, nvdev);
	netvsc_cfg_host_mtu(priv);

	ret = register_netdevice(ndev);
	if (ret) {
		netdev_err(ndev, "register_netdevice failed: %d\n", ret);
		goto err_detach;
	}
	netvsc_vf_add_nic(priv);
	rtnl_unlock();
	netdev_info(ndev, "NVSP %#x, NDIS %#x, %u recv and %u send sections, %u of %u channels\n",
		    nvdev->nvsp_ver, nvdev->ndis_ver, nvdev->recv.sections,
		    nvdev->send.sections, nvdev->num_active,
		    netvsc_chans_max(nvdev->max_chans));
	return 0;

err_detach:
	netvsc_dev_detach(priv);
err_unlock:
	rtnl_unlock();
	netvsc_dev_wait_gone(priv);
	cancel_delayed_work_sync(&priv->link_work);
	netvsc_vf_fini(priv);
	netvsc_sc_forget(hdev);
	free_netdev(ndev);
	return ret;
}

/**
 * netvsc_remove - VMBus remove: hot remove, rescind or driver unload
 * @hdev: the VMBus device
 *
 * Mirrors netvsc_probe().  Called through netvsc_remove_compat().
 */
void netvsc_remove(struct hv_device *hdev)
{
	struct net_device *ndev = hv_get_drvdata(hdev);
	struct netvsc_priv *priv = netdev_priv(ndev);

	rtnl_lock();
	netvsc_vf_del_nic(priv);
	unregister_netdevice(ndev);
	netvsc_dev_detach(priv);
	rtnl_unlock();
	netvsc_dev_wait_gone(priv);
	cancel_delayed_work_sync(&priv->link_work);
	netvsc_vf_fini(priv);
	netvsc_sc_forget(hdev);
	free_netdev(ndev);
}

static int netvsc_suspend(struct hv_device *hdev)
{
	struct net_device *ndev = hv_get_drvdata(hdev);
	struct netvsc_priv *priv = netdev_priv(ndev);

	rtnl_lock();
	netvsc_cfg_down(priv);
	priv->lost = false;
	rtnl_unlock();
	cancel_delayed_work_sync(&priv->link_work);
	return 0;
}

static int netvsc_resume(struct hv_device *hdev)
{
	struct net_device *ndev = hv_get_drvdata(hdev);
	struct netvsc_priv *priv = netdev_priv(ndev);
	int ret;

	rtnl_lock();
	ret = netvsc_cfg_up(priv);
	rtnl_unlock();
	return ret;
}

static const struct hv_vmbus_device_id netvsc_id_table[] = {
	{ HV_NIC_GUID, },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, netvsc_id_table);

static struct hv_driver netvsc_drv = {
	.name = KBUILD_MODNAME,
	.id_table = netvsc_id_table,
	.probe = netvsc_probe,
	.remove = netvsc_remove_compat,
	.suspend = netvsc_suspend,
	.resume = netvsc_resume,
	.driver = {
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

static int __init netvsc_init(void)
{
	int ret;

	netvsc_wq = alloc_workqueue("hv_netvsc", WQ_UNBOUND, 0);
	if (!netvsc_wq)
		return -ENOMEM;
	ret = netvsc_vf_module_init();
	if (ret)
		goto err_wq;
	ret = vmbus_driver_register(&netvsc_drv);
	if (ret)
		goto err_vf;
	pr_info("out-of-tree driver %s loaded\n", NETVSC_DRV_VERSION);
	return 0;

err_vf:
	netvsc_vf_module_exit();
err_wq:
	destroy_workqueue(netvsc_wq);
	return ret;
}
module_init(netvsc_init);

static void __exit netvsc_exit(void)
{
	vmbus_driver_unregister(&netvsc_drv);
	netvsc_vf_module_exit();
	destroy_workqueue(netvsc_wq);
}
module_exit(netvsc_exit);

MODULE_DESCRIPTION("Microsoft Hyper-V network driver (out-of-tree)");
MODULE_LICENSE("GPL");
MODULE_VERSION(NETVSC_DRV_VERSION);
MODULE_INFO(scmversion, NETVSC_SCMVERSION);
