// SPDX-License-Identifier: GPL-2.0
/*
 * TX queue selection: a flow goes to the queue the host's send indirection
 * table names for its hash (with or without the ports, as the user set
 * rx-flow-hash), and the flows of a channel the host rescinded go to
 * queue 0.
 */
#include <linux/netdevice.h>
#include <net/flow_dissector.h>
#include <net/sock.h>

#include "netvsc.h"
#include "netvsc_proto.h"
#include "netvsc_select.h"

/* Flow hash for TX queue selection, with or without the ports. */
static u32 netvsc_tx_hash(const struct netvsc_priv *priv, struct sk_buff *skb)
{
	u32 l4 = READ_ONCE(priv->l4_hash);
	struct flow_keys keys;
	u32 bit;

	if (l4 == NETVSC_L4_HASH_ALL)
		return skb_get_hash(skb);
	if (!skb_flow_dissect_flow_keys(skb, &keys, 0))
		return skb_get_hash(skb);
	switch (keys.basic.ip_proto) {
	case IPPROTO_TCP:
		bit = keys.basic.n_proto == htons(ETH_P_IPV6) ?
		      NETVSC_L4_HASH_TCP6 : NETVSC_L4_HASH_TCP4;
		break;
	case IPPROTO_UDP:
		bit = keys.basic.n_proto == htons(ETH_P_IPV6) ?
		      NETVSC_L4_HASH_UDP6 : NETVSC_L4_HASH_UDP4;
		break;
	default:
		bit = 0;
	}
	if (!(l4 & bit))
		keys.ports.ports = 0;
	return flow_hash_from_keys(&keys);
}

/*
 * @qi, or queue 0 when the host rescinded @qi's subchannel: VMBus then
 * takes nothing more on it and calls no callback for it, until the device
 * is attached again.  Said once per queue.
 */
static u16 netvsc_queue_alive(struct netvsc_dev *nvdev, u16 qi)
{
	struct netvsc_queue *q = &nvdev->queues[qi];

	if (likely(!qi || !READ_ONCE(q->chan->rescind)))
		return qi;
	if (!test_and_set_bit(0, &q->gone))
		netdev_info(nvdev->ndev,
			    "subchannel %u rescinded by the host: its traffic goes to queue 0\n",
			    qi);
	return 0;
}

/**
 * netvsc_select_queue - ndo_select_queue: the host's send table decides
 * @ndev: the net device
 * @skb: frame to send
 * @sb_dev: subordinate device (unused)
 *
 * A socket keeps the queue picked for its first frame, as the core does.
 *
 * Context: RCU-bh read side (the core's xmit path).
 * Return: the TX queue.
 */
u16 netvsc_select_queue(struct net_device *ndev, struct sk_buff *skb,
			struct net_device *sb_dev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	u32 n = READ_ONCE(ndev->real_num_tx_queues);
	struct netvsc_dev *nvdev;
	struct sock *sk = skb->sk;
	int q;

	if (n <= 1)
		return 0;
	nvdev = rcu_dereference_bh(priv->nvdev);
	if (!nvdev)
		return 0;
	q = sk_tx_queue_get(sk);
	if (q >= 0 && q < n && !skb->ooo_okay)
		return netvsc_queue_alive(nvdev, q);

	q = netvsc_send_table_pick(nvdev->send_table,
				   netvsc_tx_hash(priv, skb), n);
	q = netvsc_queue_alive(nvdev, q);
	if (sk && sk_fullsock(sk) && rcu_access_pointer(sk->sk_dst_cache))
		sk_tx_queue_set(sk, q);
	return q;
}
