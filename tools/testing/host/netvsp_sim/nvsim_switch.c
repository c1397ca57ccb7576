// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim vSwitch: a learning L2 switch and its host port.
 *
 * This file owns the switch that joins every simulated NIC and the host
 * port netdev "vsp0" (the host's vEthernet adapter, in the initial network
 * namespace): source-address learning, forwarding to the learned port,
 * flooding of broadcast, multicast and unknown destinations, and the host
 * port's netdev (frames it transmits enter the switch, frames for it are
 * handed to the host stack).  Forwarding runs under RCU only.
 */

#include <linux/etherdevice.h>
#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "netvsp_sim.h"

/* Upper bound on learned addresses, so a guest cannot exhaust memory */
#define NVSIM_FDB_MAX	4096

struct nvsim_switch nvsim_sw;
static atomic_t nvsim_fdb_count = ATOMIC_INIT(0);

static u32 nvsim_fdb_key(const u8 *addr)
{
	return jhash(addr, ETH_ALEN, 0);
}

static struct nvsim_fdb *nvsim_fdb_find(const u8 *addr)
{
	struct nvsim_fdb *f;

	hash_for_each_possible_rcu(nvsim_sw.fdb, f, node, nvsim_fdb_key(addr))
		if (ether_addr_equal(f->addr, addr))
			return f;
	return NULL;
}

static void nvsim_fdb_learn(struct nvsim_port *port, const u8 *addr)
{
	struct nvsim_fdb *f;
	unsigned long flags;

	if (!is_valid_ether_addr(addr))
		return;
	f = nvsim_fdb_find(addr);
	if (f && rcu_access_pointer(f->port) == port)
		return;
	spin_lock_irqsave(&nvsim_sw.lock, flags);
	/* the port may have been removed meanwhile */
	if (!port->linked)
		goto out;
	f = nvsim_fdb_find(addr);
	if (f) {
		rcu_assign_pointer(f->port, port);
		goto out;
	}
	if (atomic_read(&nvsim_fdb_count) >= NVSIM_FDB_MAX)
		goto out;
	f = kzalloc(sizeof(*f), GFP_ATOMIC);
	if (!f)
		goto out;
	ether_addr_copy(f->addr, addr);
	RCU_INIT_POINTER(f->port, port);
	hash_add_rcu(nvsim_sw.fdb, &f->node, nvsim_fdb_key(addr));
	atomic_inc(&nvsim_fdb_count);
out:
	spin_unlock_irqrestore(&nvsim_sw.lock, flags);
}

/* Hand a frame to the host stack; consumes @skb */
static void nvsim_host_rx(struct sk_buff *skb)
{
	struct net_device *dev = nvsim_sw.host_ndev;
	u32 len = skb->len;

	if (!(dev->flags & IFF_UP)) {
		kfree_skb(skb);
		return;
	}
	skb_scrub_packet(skb, true);
	skb->protocol = eth_type_trans(skb, dev);
	dev_sw_netstats_rx_add(dev, len);
	netif_rx(skb);
}

/*
 * Deliver to the port the destination was learned on; consumes @skb.  A
 * NIC whose guest switched the data path to its VF gets it there.
 */
static void nvsim_port_out(struct nvsim_port *out, struct sk_buff *skb)
{
	if (out->kind == NVSIM_PORT_HOST) {
		nvsim_host_rx(skb);
		return;
	}
	if (nvsim_vf_out(out->nic, skb))
		return;
	nvsim_rx_deliver(out->nic, skb);
	consume_skb(skb);
}

/**
 * nvsim_switch_forward() - switch one frame
 * @in: port the frame came from
 * @skb: the frame, data at the Ethernet header; consumed
 *
 * Caller holds rcu_read_lock().  Never sleeps.
 */
void nvsim_switch_forward(struct nvsim_port *in, struct sk_buff *skb)
{
	struct nvsim_port *p, *host = NULL;
	const struct ethhdr *eth;
	struct nvsim_fdb *f;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "switching without RCU");
	if (skb->len < ETH_HLEN) {
		kfree_skb(skb);
		return;
	}
	eth = (const struct ethhdr *)skb->data;
	nvsim_fdb_learn(in, eth->h_source);
	if (is_unicast_ether_addr(eth->h_dest)) {
		f = nvsim_fdb_find(eth->h_dest);
		p = f ? rcu_dereference(f->port) : NULL;
		if (p) {
			if (p != in)
				nvsim_port_out(p, skb);
			else
				consume_skb(skb);
			return;
		}
	}
	atomic64_inc(&nvsim_sw.flooded);
	list_for_each_entry_rcu(p, &nvsim_sw.ports, list) {
		if (p == in)
			continue;
		if (p->kind == NVSIM_PORT_HOST)
			host = p;
		else
			nvsim_rx_deliver(p->nic, skb);
	}
	if (host)
		nvsim_host_rx(skb);
	else
		consume_skb(skb);
}

/**
 * nvsim_switch_add_port() - connect a port
 * @port: port; &nvsim_port.kind and its owner set
 */
void nvsim_switch_add_port(struct nvsim_port *port)
{
	spin_lock_irq(&nvsim_sw.lock);
	list_add_tail_rcu(&port->list, &nvsim_sw.ports);
	port->linked = true;
	spin_unlock_irq(&nvsim_sw.lock);
}

/**
 * nvsim_switch_del_port() - disconnect a port and forget its addresses
 * @port: port
 *
 * Returns after every forwarding pass that could see the port ended.
 */
void nvsim_switch_del_port(struct nvsim_port *port)
{
	struct hlist_node *tmp;
	struct nvsim_fdb *f;
	int bkt;

	spin_lock_irq(&nvsim_sw.lock);
	list_del_rcu(&port->list);
	port->linked = false;
	hash_for_each_safe(nvsim_sw.fdb, bkt, tmp, f, node) {
		if (rcu_access_pointer(f->port) != port)
			continue;
		hash_del_rcu(&f->node);
		atomic_dec(&nvsim_fdb_count);
		kfree_rcu(f, rcu);
	}
	spin_unlock_irq(&nvsim_sw.lock);
	synchronize_rcu();
}

static netdev_tx_t nvsim_host_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_sw_netstats_tx_add(dev, 1, skb->len);
	if (!skb_is_gso(skb) && skb->ip_summed == CHECKSUM_PARTIAL) {
		if (skb_checksum_help(skb)) {
			dev_core_stats_tx_dropped_inc(dev);
			kfree_skb(skb);
			return NETDEV_TX_OK;
		}
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	rcu_read_lock();
	nvsim_switch_forward(&nvsim_sw.host, skb);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static int nvsim_host_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	netif_start_queue(dev);
	return 0;
}

static int nvsim_host_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

static const struct net_device_ops nvsim_host_ops = {
	.ndo_open = nvsim_host_open,
	.ndo_stop = nvsim_host_stop,
	.ndo_start_xmit = nvsim_host_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void nvsim_host_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &nvsim_host_ops;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->lltx = true;
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO |
			NETIF_F_TSO6 | NETIF_F_HIGHDMA;
	dev->hw_features = dev->features;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = NVSP_MTU_MAX;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	eth_hw_addr_random(dev);
}

/**
 * nvsim_switch_init() - create the switch and its host port "vsp0"
 *
 * Return: 0 or a negative errno.
 */
int nvsim_switch_init(void)
{
	struct net_device *dev;
	int ret;

	spin_lock_init(&nvsim_sw.lock);
	INIT_LIST_HEAD(&nvsim_sw.ports);
	hash_init(nvsim_sw.fdb);
	dev = alloc_netdev(0, "vsp0", NET_NAME_USER, nvsim_host_setup);
	if (!dev)
		return -ENOMEM;
	ret = register_netdev(dev);
	if (ret) {
		free_netdev(dev);
		return ret;
	}
	nvsim_sw.host_ndev = dev;
	nvsim_sw.host.kind = NVSIM_PORT_HOST;
	nvsim_sw.host.ndev = dev;
	nvsim_switch_add_port(&nvsim_sw.host);
	return 0;
}

/**
 * nvsim_switch_exit() - remove the host port; all NICs are gone already
 */
void nvsim_switch_exit(void)
{
	nvsim_switch_del_port(&nvsim_sw.host);
	unregister_netdev(nvsim_sw.host_ndev);
	free_netdev(nvsim_sw.host_ndev);
	nvsim_sw.host_ndev = NULL;
}
