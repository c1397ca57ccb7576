// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim accelerated networking: the host side of a NIC's SR-IOV VF.
 *
 * The VF is a PCI network device of the guest (vm/run --vf gives an
 * e1000e in hot-plug slot N+1 for NIC N).  At the other end of its QEMU
 * hub sits the "uplink", another netdev of the same guest kernel, which
 * this file joins to the switch as the NIC's second path:
 *
 * - what the VF sends arrives on the uplink and enters the switch as the
 *   NIC's own frames (learned on the NIC's port, so every peer answers the
 *   NIC whichever path it used);
 * - unicast frames for the NIC leave through the uplink while the guest has
 *   switched the data path to the VF (NVSP SWITCH_DATA_PATH), through the
 *   synthetic channel otherwise; broadcast and multicast always take the
 *   synthetic channel.
 *
 * The host announces the VF with NVSP SEND_VF_ASSOCIATION (allocated, the
 * slot number as serial) once the guest said in its NDIS configuration that
 * it handles SR-IOV, as Hyper-V offers a VF only then; it withdraws it
 * with allocated = 0 and waits, up to a timeout, for the guest to switch the
 * data path back before it lets the VF go.  A new NVSP session starts on
 * the synthetic path, like every other piece of NetVSP state.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsp_sim.h"

/* Default time a withdrawal waits for the guest to switch back */
#define NVSIM_VF_REVOKE_TIMEOUT_MS	10000

/**
 * nvsim_vf_init() - the VF state of a new NIC: no VF, synthetic path
 * @nic: the NIC
 */
void nvsim_vf_init(struct nvsim_nic *nic)
{
	struct nvsim_vf *vf = &nic->vf;

	vf->serial = nic->id + 1;
	vf->data_path = NVSP_DP_SYNTHETIC;
	vf->revoke_timeout_ms = NVSIM_VF_REVOKE_TIMEOUT_MS;
	init_waitqueue_head(&vf->switched);
}

/*
 * Frames of the guest's VF, as the uplink received them: into the switch
 * as the NIC's own.  Runs in the uplink's receive softirq, under RCU.
 */
static rx_handler_result_t nvsim_vf_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct nvsim_nic *nic = rcu_dereference(skb->dev->rx_handler_data);

	if (skb->pkt_type == PACKET_LOOPBACK)
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	/* the frame as it was on the wire: Ethernet header and tag back */
	skb_push(skb, skb->data - skb_mac_header(skb));
	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb)
			return RX_HANDLER_CONSUMED;
	}
	atomic64_inc(&nic->vf.from_guest_packets);
	atomic64_add(skb->len, &nic->vf.from_guest_bytes);
	skb_scrub_packet(skb, false);
	nvsim_switch_forward(&nic->port, skb);
	return RX_HANDLER_CONSUMED;
}

/**
 * nvsim_vf_out() - deliver a unicast frame for @nic through its VF
 * @nic: destination NIC
 * @skb: the frame, data at the Ethernet header
 *
 * Caller holds rcu_read_lock().  Never sleeps.
 * Return: true if the VF path took (consumed) @skb; false if the frame
 * goes through the synthetic channel (@skb untouched).
 */
bool nvsim_vf_out(struct nvsim_nic *nic, struct sk_buff *skb)
{
	struct nvsim_vf *vf = &nic->vf;
	struct net_device *up;
	u32 len = skb->len;

	if (READ_ONCE(vf->data_path) != NVSP_DP_VF)
		return false;
	up = rcu_dereference(vf->uplink);
	if (!up)
		return false;
	if (!netif_running(up) || !netif_carrier_ok(up)) {
		/* the host sends where the guest told it to, even into a void */
		atomic64_inc(&vf->out_drops);
		kfree_skb(skb);
		return true;
	}
	skb_scrub_packet(skb, false);
	skb->dev = up;
	skb_reset_mac_header(skb);
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS) {
		atomic64_inc(&vf->to_guest_packets);
		atomic64_add(len, &vf->to_guest_bytes);
	} else {
		atomic64_inc(&vf->out_drops);
	}
	return true;
}

/* Send SEND_VF_ASSOCIATION on the primary channel; Context: process */
static int nvsim_vf_announce(struct nvsim_nic *nic, bool allocated)
{
	struct nvsp_msg msg = {};
	int ret;

	msg.type = cpu_to_le32(NVSP_MSG_SEND_VF_ASSOCIATION);
	msg.body.vf_assoc.allocated = cpu_to_le32(allocated);
	msg.body.vf_assoc.serial = cpu_to_le32(READ_ONCE(nic->vf.serial));
	ret = vmbus_sim_send_inband(nic->chans[0].vchan, 0, false, &msg,
				    NVSP_MSG_HDR_SIZE + sizeof(msg.body.vf_assoc));
	if (!ret)
		atomic64_inc(&nic->vf.assoc_sent);
	return ret;
}

/* The guest can take an association: a session that said SR-IOV */
static bool nvsim_vf_guest_ready(struct nvsim_nic *nic)
{
	return READ_ONCE(nic->chans[0].open) &&
	       READ_ONCE(nic->nvsp_version) >= NVSP_PROTO_VERSION_4 &&
	       (READ_ONCE(nic->ndis_caps) & NVSP_NDIS_CAP_SRIOV);
}

/**
 * nvsim_vf_session() - the guest sent its NDIS configuration
 * @nic: the NIC
 *
 * Announces the VF if the host has one for this NIC and the guest said it
 * handles SR-IOV.  Context: the primary channel's work.
 */
void nvsim_vf_session(struct nvsim_nic *nic)
{
	if (READ_ONCE(nic->vf.allocated) && nvsim_vf_guest_ready(nic))
		nvsim_vf_announce(nic, true);
}

/**
 * nvsim_vf_reset() - a session ended or began: back to the synthetic path
 * @nic: the NIC
 */
void nvsim_vf_reset(struct nvsim_nic *nic)
{
	WRITE_ONCE(nic->vf.data_path, NVSP_DP_SYNTHETIC);
	wake_up_all(&nic->vf.switched);
}

/**
 * nvsim_vf_switch() - the guest asked for a data path (SWITCH_DATA_PATH)
 * @nic: the NIC
 * @dp: NVSP_DP_SYNTHETIC or NVSP_DP_VF
 *
 * Context: the primary channel's work.
 * Return: false if the value is not a data path.
 */
bool nvsim_vf_switch(struct nvsim_nic *nic, u32 dp)
{
	struct nvsim_vf *vf = &nic->vf;

	if (dp != NVSP_DP_SYNTHETIC && dp != NVSP_DP_VF)
		return false;
	/* a VF the host has not given (or took back) carries nothing */
	if ((dp == NVSP_DP_VF && !READ_ONCE(vf->allocated)) ||
	    atomic_dec_if_positive(&vf->switch_ignore) >= 0) {
		atomic64_inc(&vf->switch_ignored);
		return true;
	}
	atomic64_inc(dp == NVSP_DP_VF ? &vf->switch_to_vf :
					&vf->switch_to_synthetic);
	WRITE_ONCE(vf->data_path, dp);
	wake_up_all(&vf->switched);
	return true;
}

/**
 * nvsim_vf_set_allocated() - announce or withdraw the VF
 * @nic: the NIC
 * @allocated: true to announce, false to withdraw
 *
 * A withdrawal waits up to &nvsim_vf.revoke_timeout_ms for the guest to
 * switch the data path back; past it the host switches back itself and
 * counts a revoke timeout, as Hyper-V takes the VF away in any case.
 * Caller holds &nvsim_nic.knob_lock.  Sleeps.
 * Return: 0, or the error of the send.
 */
int nvsim_vf_set_allocated(struct nvsim_nic *nic, bool allocated)
{
	struct nvsim_vf *vf = &nic->vf;
	unsigned long t;
	int ret = 0;

	lockdep_assert_held(&nic->knob_lock);
	WRITE_ONCE(vf->allocated, allocated);
	if (nvsim_vf_guest_ready(nic))
		ret = nvsim_vf_announce(nic, allocated);
	if (allocated)
		return ret;
	t = msecs_to_jiffies(READ_ONCE(vf->revoke_timeout_ms));
	if (!wait_event_timeout(vf->switched,
				READ_ONCE(vf->data_path) != NVSP_DP_VF, t) &&
	    READ_ONCE(vf->data_path) == NVSP_DP_VF) {
		atomic64_inc(&vf->revoke_timeouts);
		WRITE_ONCE(vf->data_path, NVSP_DP_SYNTHETIC);
		pr_info("netvsp_sim: nic%u: the guest did not switch back from the VF within %u ms; the host did\n",
			nic->id, READ_ONCE(vf->revoke_timeout_ms));
	}
	return ret;
}

/**
 * nvsim_vf_attach() - make @name the uplink of @nic's VF ("" detaches)
 * @nic: the NIC
 * @name: netdev name in the initial namespace
 *
 * The uplink is brought up and made promiscuous (the VF's frames carry
 * the peers' addresses, not the uplink's).  Caller holds
 * &nvsim_nic.knob_lock.  Sleeps (takes RTNL).
 * Return: 0, -ENODEV (no such netdev), -EBUSY (it has an rx_handler
 * already), or an error of bringing it up.
 */
int nvsim_vf_attach(struct nvsim_nic *nic, const char *name)
{
	struct nvsim_vf *vf = &nic->vf;
	struct net_device *dev;
	int ret;

	lockdep_assert_held(&nic->knob_lock);
	rtnl_lock();
	nvsim_vf_detach_locked(nic);
	ret = 0;
	if (!*name)
		goto out;
	dev = __dev_get_by_name(&init_net, name);
	ret = -ENODEV;
	if (!dev || dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN)
		goto out;
	ret = netdev_rx_handler_register(dev, nvsim_vf_rx_handler, nic);
	if (ret)
		goto out;
	ret = dev_set_promiscuity(dev, 1);
	if (ret)
		goto err_handler;
	if (!(dev->flags & IFF_UP)) {
		ret = dev_change_flags(dev, dev->flags | IFF_UP, NULL);
		if (ret)
			goto err_promisc;
	}
	netdev_hold(dev, &vf->tracker, GFP_KERNEL);
	rcu_assign_pointer(vf->uplink, dev);
	goto out;

err_promisc:
	dev_set_promiscuity(dev, -1);
err_handler:
	netdev_rx_handler_unregister(dev);
out:
	rtnl_unlock();
	return ret;
}

/**
 * nvsim_vf_detach_locked() - forget the uplink of @nic's VF, if any
 * @nic: the NIC
 *
 * Caller holds RTNL.  Returns once no frame can reach the uplink through
 * @nic any more.
 */
void nvsim_vf_detach_locked(struct nvsim_nic *nic)
{
	struct nvsim_vf *vf = &nic->vf;
	struct net_device *dev;

	ASSERT_RTNL();
	dev = rtnl_dereference(vf->uplink);
	if (!dev)
		return;
	RCU_INIT_POINTER(vf->uplink, NULL);
	netdev_rx_handler_unregister(dev);
	dev_set_promiscuity(dev, -1);
	synchronize_net();
	netdev_put(dev, &vf->tracker);
}

/**
 * nvsim_vf_uplink_name() - the uplink's name, or "" if none
 * @nic: the NIC
 * @buf: IFNAMSIZ bytes
 */
void nvsim_vf_uplink_name(struct nvsim_nic *nic, char *buf)
{
	struct net_device *dev;

	buf[0] = 0;
	rcu_read_lock();
	dev = rcu_dereference(nic->vf.uplink);
	if (dev)
		strscpy(buf, dev->name, IFNAMSIZ);
	rcu_read_unlock();
}

/* An uplink that goes away takes its VF path with it */
static int nvsim_vf_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nvsim_nic *nic;

	if (event != NETDEV_UNREGISTER ||
	    rcu_access_pointer(dev->rx_handler) != nvsim_vf_rx_handler)
		return NOTIFY_DONE;
	nic = rtnl_dereference(dev->rx_handler_data);
	pr_info("netvsp_sim: nic%u: uplink %s went away\n", nic->id, dev->name);
	nvsim_vf_detach_locked(nic);
	return NOTIFY_OK;
}

static struct notifier_block nvsim_vf_notifier = {
	.notifier_call = nvsim_vf_netdev_event,
};

/**
 * nvsim_vf_module_init() - watch uplinks being unregistered
 *
 * Return: 0 or a negative errno.
 */
int nvsim_vf_module_init(void)
{
	return register_netdevice_notifier(&nvsim_vf_notifier);
}

/**
 * nvsim_vf_module_exit() - stop watching; every NIC is gone already
 */
void nvsim_vf_module_exit(void)
{
	unregister_netdevice_notifier(&nvsim_vf_notifier);
}
