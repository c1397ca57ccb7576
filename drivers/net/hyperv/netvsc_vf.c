// SPDX-License-Identifier: GPL-2.0
/*
 * Accelerated networking: the SR-IOV VF the host gives a synthetic NIC.
 *
 * The host announces a VF with SEND_VF_ASSOCIATION (its PCI slot number)
 * and takes it back with allocated = 0 before it removes the device.  A PCI
 * netdev whose slot and permanent MAC match (or, as the in-tree driver
 * does, whose MAC alone matches) joins the NIC: it becomes the NIC's lower
 * device (IFF_SLAVE, so no one configures it on its own), moves to the
 * NIC's namespace, follows the NIC's MTU and up/down state, and its frames
 * are handed to the stack as the NIC's.  While the VF is up, has carrier
 * and the host has it allocated, the data path is the VF: the host is told
 * (SWITCH_DATA_PATH) and ndo_start_xmit sends through the VF.  Anything
 * else, including the host's withdrawal, switches back to the synthetic
 * path first, so no frame is sent into a VF the host is taking away.
 * An XDP program of the NIC is given to the VF; a VF that cannot run it
 * keeps the data path synthetic while it is attached, so the program
 * sees every frame (the in-tree driver lets such a VF's frames bypass it).
 *
 * Every step runs under RTNL: the netdevice notifier, the association
 * (received by NAPI, taken over by a work item) and the settle work.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_ctrl.h"
#include "netvsc_vf.h"

/* NICs a VF may join; RTNL */
static LIST_HEAD(netvsc_vf_nics);

static void netvsc_vf_count(struct netvsc_priv *priv, bool rx, u32 len)
{
	struct netvsc_vf_pcpu *s = this_cpu_ptr(priv->vf.stats);

	u64_stats_update_begin(&s->syncp);
	if (rx) {
		u64_stats_inc(&s->rx_packets);
		u64_stats_add(&s->rx_bytes, len);
	} else {
		u64_stats_inc(&s->tx_packets);
		u64_stats_add(&s->tx_bytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

/* A frame the VF received is the NIC's.  NAPI of the VF, under RCU. */
static rx_handler_result_t netvsc_vf_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct net_device *ndev = rcu_dereference(skb->dev->rx_handler_data);

	if (skb->pkt_type == PACKET_LOOPBACK)
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	skb->dev = ndev;
	netvsc_vf_count(netdev_priv(ndev), true, skb->len + ETH_HLEN);
	return RX_HANDLER_ANOTHER;
}

/**
 * netvsc_vf_xmit - send a frame through the VF while it is the data path
 * @priv: the NIC
 * @skb: the frame
 *
 * Context: ndo_start_xmit (RCU-bh).
 * Return: true if the VF took @skb; false: send it on the synthetic path.
 */
bool netvsc_vf_xmit(struct netvsc_priv *priv, struct sk_buff *skb)
{
	struct net_device *vf = rcu_dereference_bh(priv->vf.dev);
	struct netvsc_vf_pcpu *s;
	u32 len = skb->len;
	int rc;

	if (!vf || !READ_ONCE(priv->vf.path_vf) || !netif_running(vf) ||
	    !netif_carrier_ok(vf) || unlikely(netpoll_tx_running(priv->ndev)))
		return false;
	skb->dev = vf;
	rc = dev_queue_xmit(skb);
	if (likely(!net_xmit_eval(rc))) {
		netvsc_vf_count(priv, false, len);
	} else {
		s = this_cpu_ptr(priv->vf.stats);
		u64_stats_update_begin(&s->syncp);
		u64_stats_inc(&s->tx_dropped);
		u64_stats_update_end(&s->syncp);
	}
	return true;
}

/* Tell the host which path to use; bounded by the control timeout. */
static int netvsc_vf_tell_host(struct netvsc_dev *nvdev, bool vf)
{
	struct nvsp_msg msg = {}, resp;

	msg.type = cpu_to_le32(NVSP_MSG_SWITCH_DATA_PATH);
	msg.body.switch_dp.active_datapath =
		cpu_to_le32(vf ? NVSP_DP_VF : NVSP_DP_SYNTHETIC);
	/* the host completes it with an empty payload */
	return netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_NONE, &resp);
}

/*
 * Put the data path on the VF (@want) or the synthetic channel.  Going
 * back, sends stop using the VF before the host is told.  RTNL held.
 */
static void netvsc_vf_path(struct netvsc_priv *priv, bool want)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	int ret;

	ASSERT_RTNL();
	if (want == priv->vf.path_vf)
		return;
	if (!want)
		WRITE_ONCE(priv->vf.path_vf, false);
	/* detached: the next session starts on the synthetic path anyway */
	if (!nvdev)
		return;
	ret = netvsc_vf_tell_host(nvdev, want);
	if (ret == -ENODEV) {
		/* the host took the NIC away: there is no path to switch */
		netdev_dbg(priv->ndev, "data path not switched: the NIC is gone\n");
		return;
	}
	if (ret) {
		netdev_err(priv->ndev, "cannot switch the data path to %s: %d\n",
			   want ? "the VF" : "synthetic", ret);
		return;
	}
	WRITE_ONCE(priv->vf.path_vf, want);
	netdev_info(priv->ndev, "data path is %s\n",
		    want ? vf->name : "synthetic");
}

/**
 * netvsc_vf_update - put the data path where it belongs now
 * @priv: the NIC
 *
 * The VF when it is joined, up, has carrier, the host has it allocated
 * and it runs the NIC's XDP program if there is one; the synthetic path
 * otherwise.
 *
 * Context: process, RTNL held.
 */
void netvsc_vf_update(struct netvsc_priv *priv)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	bool want = nvdev && vf && priv->vf.alloc && netif_running(vf) &&
		    netif_carrier_ok(vf) && netif_running(priv->ndev) &&
		    (priv->vf.xdp || !rtnl_dereference(priv->xdp_prog));

	netvsc_vf_path(priv, want);
}

/* Give @vf the XDP program @prog (NULL: take it away); RTNL held */
static int netvsc_vf_xdp_give(struct net_device *vf, struct bpf_prog *prog)
{
	struct netdev_bpf cmd = {
		.command = XDP_SETUP_PROG,
		.prog = prog,
	};
	int ret;

	if (!vf->netdev_ops->ndo_bpf)
		return -EOPNOTSUPP;
	/* the VF's driver takes over a reference of its own */
	if (prog)
		bpf_prog_inc(prog);
	ret = vf->netdev_ops->ndo_bpf(vf, &cmd);
	if (ret && prog)
		bpf_prog_put(prog);
	return ret;
}

/* The joined VF runs the NIC's XDP program, or none if the NIC has none */
static void netvsc_vf_xdp_sync(struct netvsc_priv *priv)
{
	struct bpf_prog *prog = rtnl_dereference(priv->xdp_prog);
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	int ret;

	if (!vf || (!prog && !priv->vf.xdp))
		return;
	ret = netvsc_vf_xdp_give(vf, prog);
	priv->vf.xdp = prog && !ret;
	if (prog && ret)
		netdev_info(priv->ndev,
			    "VF %s cannot run the XDP program (%d): the data path stays synthetic while it is attached\n",
			    vf->name, ret);
}

/**
 * netvsc_vf_xdp - the NIC's XDP program changed: give it to the VF too
 * @priv: the NIC
 *
 * Context: process, RTNL held.
 */
void netvsc_vf_xdp(struct netvsc_priv *priv)
{
	netvsc_vf_xdp_sync(priv);
	netvsc_vf_update(priv);
}

/**
 * netvsc_vf_features - the joined VF takes the NIC's offload settings
 * @priv: the NIC
 * @features: the NIC's features, as they are (or are about to be)
 *
 * Only offloads both devices let the administrator change are copied: what
 * is turned off on the NIC is off on the VF too, and a VF offload the NIC
 * has no switch for is left alone.
 * Context: process, RTNL held.
 */
void netvsc_vf_features(struct netvsc_priv *priv, netdev_features_t features)
{
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	netdev_features_t mask;

	if (!vf)
		return;
	mask = vf->hw_features & priv->ndev->hw_features;
	vf->wanted_features = (vf->wanted_features & ~mask) | (features & mask);
	netdev_update_features(vf);
}

/**
 * netvsc_vf_link_get - link settings of the joined VF
 * @priv: the NIC
 * @cmd: filled in
 *
 * Context: process, RTNL held.
 * Return: -ENODEV if no VF is joined (the NIC answers itself), else what
 * the VF's driver returned.
 */
int netvsc_vf_link_get(struct netvsc_priv *priv,
		       struct ethtool_link_ksettings *cmd)
{
	struct net_device *vf = rtnl_dereference(priv->vf.dev);

	if (!vf)
		return -ENODEV;
	return __ethtool_get_link_ksettings(vf, cmd);
}

/**
 * netvsc_vf_link_set - link settings go to the joined VF
 * @priv: the NIC
 * @cmd: the settings
 *
 * Context: process, RTNL held.
 * Return: -ENODEV if no VF is joined (the NIC keeps them itself),
 * -EOPNOTSUPP if the VF's driver takes none, else what it returned.
 */
int netvsc_vf_link_set(struct netvsc_priv *priv,
		       const struct ethtool_link_ksettings *cmd)
{
	struct net_device *vf = rtnl_dereference(priv->vf.dev);

	if (!vf)
		return -ENODEV;
	if (!vf->ethtool_ops || !vf->ethtool_ops->set_link_ksettings)
		return -EOPNOTSUPP;
	return vf->ethtool_ops->set_link_ksettings(vf, cmd);
}

/**
 * netvsc_vf_start - the NIC runs: open the joined VF, then the data path
 * @priv: the NIC
 *
 * A VF that cannot open leaves the data path synthetic.
 * Context: process, RTNL held.
 */
void netvsc_vf_start(struct netvsc_priv *priv)
{
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	int ret;

	if (vf && netif_running(priv->ndev) && !netif_running(vf)) {
		ret = dev_open(vf, NULL);
		if (ret)
			netdev_warn(priv->ndev, "cannot open VF %s: %d\n",
				    vf->name, ret);
	}
	netvsc_vf_update(priv);
}

/**
 * netvsc_vf_session - a new bring-up: the host starts on the synthetic path
 * @priv: the NIC
 *
 * Called after every attach; switches to the VF again where it belongs.
 * Context: process, RTNL held.
 */
void netvsc_vf_session(struct netvsc_priv *priv)
{
	WRITE_ONCE(priv->vf.path_vf, false);
	netvsc_vf_update(priv);
}

/* The NIC a netdev may be the VF of, or NULL */
static struct netvsc_priv *netvsc_vf_owner(struct net_device *dev)
{
	struct device *parent = dev->dev.parent;
	struct netvsc_priv *priv;
	struct pci_dev *pdev;
	u32 serial;

	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    is_vlan_dev(dev) || netif_is_bond_master(dev) ||
	    !parent || !dev_is_pci(parent))
		return NULL;
	pdev = to_pci_dev(parent);
	if (pdev->slot && !kstrtou32(pci_slot_name(pdev->slot), 10, &serial))
		list_for_each_entry(priv, &netvsc_vf_nics, vf.node)
			if (priv->vf.alloc && priv->vf.serial == serial &&
			    ether_addr_equal(dev->perm_addr,
					     priv->ndev->perm_addr))
				return priv;
	/*
	 * By the MAC alone, as the in-tree driver does (a VF announced late,
	 * or without slot information); before NETDEV_REGISTER the
	 * permanent address may not be set yet.
	 */
	list_for_each_entry(priv, &netvsc_vf_nics, vf.node)
		if (ether_addr_equal(dev->perm_addr, priv->ndev->perm_addr) ||
		    ether_addr_equal(dev->dev_addr, priv->ndev->perm_addr))
			return priv;
	return NULL;
}

/* The NIC @dev is joined to as its VF, or NULL */
static struct netvsc_priv *netvsc_vf_of(struct net_device *dev)
{
	struct netvsc_priv *priv;

	list_for_each_entry(priv, &netvsc_vf_nics, vf.node)
		if (rtnl_dereference(priv->vf.dev) == dev)
			return priv;
	return NULL;
}

static void netvsc_vf_join(struct netvsc_priv *priv, struct net_device *vf);

/* Join a VF of @priv's that registered before the NIC or the announcement */
static void netvsc_vf_find(struct netvsc_priv *priv)
{
	struct net_device *dev, *found = NULL;
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			if (!netdev_master_upper_dev_get(dev) &&
			    netvsc_vf_owner(dev) == priv) {
				found = dev;
				dev_hold(found);
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	if (found) {
		netvsc_vf_join(priv, found);
		dev_put(found);
	}
}

/* Join @vf to @priv's NIC; RTNL held */
static void netvsc_vf_join(struct netvsc_priv *priv, struct net_device *vf)
{
	struct net_device *ndev = priv->ndev;
	int ret;

	if (rtnl_dereference(priv->vf.dev))
		return;
	/* the VF goes where the NIC is; it registers there again */
	if (!net_eq(dev_net(ndev), dev_net(vf))) {
		ret = dev_change_net_namespace(vf, dev_net(ndev), "eth%d");
		if (ret)
			netdev_err(ndev, "cannot move VF %s to this namespace: %d\n",
				   vf->name, ret);
		return;
	}
	ret = netdev_rx_handler_register(vf, netvsc_vf_rx, ndev);
	if (ret) {
		netdev_err(ndev, "VF %s is taken (%d): not joined\n", vf->name,
			   ret);
		return;
	}
	ret = netdev_master_upper_dev_link(vf, ndev, NULL, NULL, NULL);
	if (ret) {
		netdev_err(ndev, "cannot make VF %s a lower device: %d\n",
			   vf->name, ret);
		netdev_rx_handler_unregister(vf);
		return;
	}
	vf->flags |= IFF_SLAVE;
	netdev_hold(vf, &priv->vf.tracker, GFP_KERNEL);
	rcu_assign_pointer(priv->vf.dev, vf);
	netdev_info(ndev, "VF %s joined (slot %u%s)\n", vf->name,
		    priv->vf.serial, priv->vf.alloc ? "" : ", not announced");
	schedule_delayed_work(&priv->vf.settle_work,
			      msecs_to_jiffies(NETVSC_VF_SETTLE_MS));
}

/**
 * netvsc_vf_release - let the joined VF go, data path back to synthetic
 * @priv: the NIC
 *
 * Context: process, RTNL held.
 */
void netvsc_vf_release(struct netvsc_priv *priv)
{
	struct net_device *vf = rtnl_dereference(priv->vf.dev);

	if (!vf)
		return;
	if (priv->vf.xdp)
		netvsc_vf_xdp_give(vf, NULL);
	priv->vf.xdp = false;
	RCU_INIT_POINTER(priv->vf.dev, NULL);
	netvsc_vf_update(priv);
	netdev_upper_dev_unlink(vf, priv->ndev);
	netdev_rx_handler_unregister(vf);
	vf->flags &= ~IFF_SLAVE;
	synchronize_net();
	netdev_put(vf, &priv->vf.tracker);
	netdev_info(priv->ndev, "VF %s released\n", vf->name);
}

/*
 * The joined VF takes the NIC's MTU, offload settings, XDP program and up
 * state
 */
static void netvsc_vf_settle_work(struct work_struct *work)
{
	struct netvsc_priv *priv = container_of(work, struct netvsc_priv,
						vf.settle_work.work);
	struct net_device *vf;
	int ret;

	rtnl_lock();
	vf = rtnl_dereference(priv->vf.dev);
	if (!vf)
		goto out;
	if (vf->mtu != priv->ndev->mtu) {
		ret = dev_set_mtu(vf, priv->ndev->mtu);
		if (ret)
			netdev_warn(priv->ndev, "VF %s keeps MTU %u (%d)\n",
				    vf->name, vf->mtu, ret);
	}
	/* room for what the VF's driver puts in front of a frame */
	if (priv->ndev->needed_headroom < vf->needed_headroom)
		priv->ndev->needed_headroom = vf->needed_headroom;
	netvsc_vf_features(priv, priv->ndev->features);
	netvsc_vf_xdp_sync(priv);
	netvsc_vf_start(priv);
out:
	rtnl_unlock();
}

/* The host announced or withdrew the VF */
static void netvsc_vf_assoc_work(struct work_struct *work)
{
	struct netvsc_priv *priv = container_of(work, struct netvsc_priv,
						vf.assoc_work);
	bool alloc;
	u32 serial;

	spin_lock_bh(&priv->vf.assoc_lock);
	alloc = priv->vf.assoc_alloc;
	serial = priv->vf.assoc_serial;
	spin_unlock_bh(&priv->vf.assoc_lock);

	rtnl_lock();
	if (list_empty(&priv->vf.node))
		goto out;	/* not registered (yet) or being removed */
	priv->vf.alloc = alloc;
	priv->vf.serial = serial;
	netdev_info(priv->ndev, "host %s the VF in slot %u\n",
		    alloc ? "announced" : "withdrew", serial);
	if (!alloc || rtnl_dereference(priv->vf.dev)) {
		/* withdrawn: back to synthetic before the VF goes */
		netvsc_vf_update(priv);
		goto out;
	}
	netvsc_vf_find(priv);
out:
	rtnl_unlock();
}

/* @dev as one of our NICs, or NULL */
static struct netvsc_priv *netvsc_vf_nic(struct net_device *dev)
{
	struct netvsc_priv *priv;

	list_for_each_entry(priv, &netvsc_vf_nics, vf.node)
		if (priv->ndev == dev)
			return priv;
	return NULL;
}

/*
 * The NIC moved to another namespace: its VF follows (it is released as it
 * leaves and joins again where it arrives)
 */
static void netvsc_vf_follow(struct netvsc_priv *priv)
{
	struct net_device *vf = rtnl_dereference(priv->vf.dev);
	int ret;

	if (!vf || net_eq(dev_net(vf), dev_net(priv->ndev)))
		return;
	ret = dev_change_net_namespace(vf, dev_net(priv->ndev), "eth%d");
	if (ret)
		netdev_err(priv->ndev, "cannot move VF %s along: %d\n",
			   vf->name, ret);
}

static int netvsc_vf_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct netvsc_priv *priv;

	switch (event) {
	case NETDEV_POST_INIT:
		/* keep addrconf off a VF that will join */
		if (netvsc_vf_owner(dev))
			dev->flags |= IFF_SLAVE;
		break;
	case NETDEV_REGISTER:
		priv = netvsc_vf_nic(dev);
		if (priv) {
			netvsc_vf_follow(priv);
			break;
		}
		priv = netvsc_vf_owner(dev);
		if (priv && !netdev_master_upper_dev_get(dev))
			netvsc_vf_join(priv, dev);
		break;
	case NETDEV_GOING_DOWN:
		/*
		 * Still running, but about to stop (a close, or its removal):
		 * back to synthetic now, while the VF still receives what the
		 * host sent it before the switch.
		 */
		priv = netvsc_vf_of(dev);
		if (priv)
			netvsc_vf_path(priv, false);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		priv = netvsc_vf_of(dev);
		if (priv)
			netvsc_vf_update(priv);
		break;
	case NETDEV_UNREGISTER:
		priv = netvsc_vf_of(dev);
		if (priv)
			netvsc_vf_release(priv);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block netvsc_vf_notifier = {
	.notifier_call = netvsc_vf_event,
};

/**
 * netvsc_vf_init - VF state of a new NIC
 * @priv: the NIC
 *
 * Return: 0 or -ENOMEM.
 */
int netvsc_vf_init(struct netvsc_priv *priv)
{
	priv->vf.stats = netdev_alloc_pcpu_stats(struct netvsc_vf_pcpu);
	if (!priv->vf.stats)
		return -ENOMEM;
	INIT_LIST_HEAD(&priv->vf.node);
	spin_lock_init(&priv->vf.assoc_lock);
	INIT_WORK(&priv->vf.assoc_work, netvsc_vf_assoc_work);
	INIT_DELAYED_WORK(&priv->vf.settle_work, netvsc_vf_settle_work);
	return 0;
}

/**
 * netvsc_vf_add_nic - a registered NIC may take a VF from now on
 * @priv: the NIC
 *
 * Joins a matching VF already present (the module was reloaded).
 * Context: process, RTNL held.
 */
void netvsc_vf_add_nic(struct netvsc_priv *priv)
{
	ASSERT_RTNL();
	list_add_tail(&priv->vf.node, &netvsc_vf_nics);
	netvsc_vf_find(priv);
}

/**
 * netvsc_vf_del_nic - the NIC goes: release its VF, take no other
 * @priv: the NIC
 *
 * Context: process, RTNL held; netvsc_vf_fini() follows without it.
 */
void netvsc_vf_del_nic(struct netvsc_priv *priv)
{
	ASSERT_RTNL();
	if (list_empty(&priv->vf.node))
		return;
	netvsc_vf_release(priv);
	list_del_init(&priv->vf.node);
}

/**
 * netvsc_vf_fini - wait for the VF work of a NIC that is going
 * @priv: the NIC, off the list (netvsc_vf_del_nic())
 *
 * Context: process, RTNL not held (the work items take it).
 */
void netvsc_vf_fini(struct netvsc_priv *priv)
{
	cancel_work_sync(&priv->vf.assoc_work);
	cancel_delayed_work_sync(&priv->vf.settle_work);
	free_percpu(priv->vf.stats);
	priv->vf.stats = NULL;
}

/**
 * netvsc_vf_module_init - watch netdevs that may be VFs
 *
 * Return: 0 or a negative errno.
 */
int netvsc_vf_module_init(void)
{
	return register_netdevice_notifier(&netvsc_vf_notifier);
}

/**
 * netvsc_vf_module_exit - stop watching; every NIC is gone
 */
void netvsc_vf_module_exit(void)
{
	unregister_netdevice_notifier(&netvsc_vf_notifier);
}
