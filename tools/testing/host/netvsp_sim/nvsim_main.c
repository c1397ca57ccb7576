// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim - simulated Hyper-V network VSP (the host side of hv_netvsc).
 *
 * This file owns the module and the lifetime of a simulated NIC: it creates
 * a NIC (state, switch port, VMBus offer through vmbus_sim), implements the
 * vmbus_sim provider callbacks that open and close channels and dispatch
 * the guest's packets to the NVSP code, sends completions (with the
 * completion fault knobs applied), and takes a NIC down again (rescind,
 * wait for the guest, free).
 */

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/hyperv.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <linux/rtnetlink.h>

#include "netvsp_sim.h"

static const struct {
	guid_t guid;
} nvsim_nic_class = { HV_NIC_GUID };

static struct nvsim_nic *nvsim_chan_nic(struct vmbus_sim_chan *vchan)
{
	return vmbus_sim_device_priv(vmbus_sim_chan_device(vchan));
}

/*
 * A new session of the primary channel starts from scratch, as a freshly
 * booted vmswitch port would: no version, no buffers, RNDIS uninitialized.
 */
static void nvsim_nic_reset_state(struct nvsim_nic *nic)
{
	struct nvsim_rss *rss;

	WRITE_ONCE(nic->nvsp_version, 0);
	WRITE_ONCE(nic->ndis_version, 0);
	WRITE_ONCE(nic->ndis_mtu, ETH_DATA_LEN);
	WRITE_ONCE(nic->ndis_caps, 0);
	WRITE_ONCE(nic->rndis_state, NVSIM_RNDIS_UNINIT);
	WRITE_ONCE(nic->filter, 0);
	WRITE_ONCE(nic->rx_csum, false);
	WRITE_ONCE(nic->rsc_on, false);
	WRITE_ONCE(nic->rsc_ip4, false);
	WRITE_ONCE(nic->rsc_ip6, false);
	WRITE_ONCE(nic->subch_granted, 0);
	nvsim_vf_reset(nic);
	rss = rcu_replace_pointer(nic->rss, NULL, true);
	if (rss)
		kfree_rcu(rss, rcu);
}

static int nvsim_chan_open(struct vmbus_sim_chan *vchan)
{
	struct nvsim_nic *nic = nvsim_chan_nic(vchan);
	u16 idx = vmbus_sim_chan_index(vchan);
	struct nvsim_chan *chan;

	if (idx >= NVSIM_MAX_CHANS)
		return -EINVAL;
	chan = &nic->chans[idx];
	if (!chan->scratch) {
		chan->scratch = kvmalloc(NVSIM_TX_SCRATCH_SIZE, GFP_KERNEL);
		if (!chan->scratch)
			return -ENOMEM;
	}
	chan->vchan = vchan;
	vmbus_sim_chan_set_priv(vchan, chan);
	if (idx == 0)
		nvsim_nic_reset_state(nic);
	WRITE_ONCE(chan->open, true);
	return 0;
}

static void nvsim_chan_close(struct vmbus_sim_chan *vchan)
{
	struct nvsim_chan *chan = vmbus_sim_chan_priv(vchan);
	struct nvsim_nic *nic;

	if (!chan)
		return;
	nic = chan->nic;
	WRITE_ONCE(chan->open, false);
	if (chan->idx == 0) {
		nvsim_nvsp_release_bufs(nic);
		nvsim_nic_reset_state(nic);
		return;
	}
	/*
	 * Hyper-V rescinds a subchannel once the guest closed it; the next
	 * attach asks for a fresh set.  Rescinding from our own callback is
	 * not allowed, so a work item does it.
	 */
	if (!vmbus_sim_chan_is_rescinded(vchan)) {
		set_bit(chan->idx, nic->rescind_pending);
		schedule_work(&nic->rescind_work);
	}
}

static void nvsim_chan_rx(struct vmbus_sim_chan *vchan)
{
	struct nvsim_chan *chan = vmbus_sim_chan_priv(vchan);
	struct vmbus_sim_pkt pkt;
	int ret;

	if (WARN_ON_ONCE(!chan))
		return;
	vmbus_sim_chan_set_read_lag(vchan, READ_ONCE(chan->nic->read_lag_ms));
	for (;;) {
		ret = vmbus_sim_recv(vchan, &pkt);
		if (ret == -EAGAIN || ret == -ENOTCONN)
			break;
		if (ret) {
			nvsim_bad(chan->nic, "chan %u: bad descriptor (%d)\n",
				  chan->idx, ret);
			break;
		}
		switch (pkt.type) {
		case VM_PKT_COMP:
			nvsim_rx_complete(chan, &pkt);
			break;
		case VM_PKT_DATA_INBAND:
		case VM_PKT_DATA_USING_GPA_DIRECT:
			nvsim_nvsp_rx(chan, &pkt);
			break;
		default:
			nvsim_bad(chan->nic, "chan %u: packet type %u\n",
				  chan->idx, pkt.type);
			if (pkt.flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED)
				nvsim_send_comp(chan, pkt.trans_id, NULL, 0);
			break;
		}
	}
}

static const struct vmbus_sim_ops nvsim_ops = {
	.open = nvsim_chan_open,
	.close = nvsim_chan_close,
	.rx = nvsim_chan_rx,
};

/**
 * nvsim_bad() - count a malformed guest message and complain (rate-limited)
 * @nic: NIC the message came on
 * @fmt: printf format of the complaint
 */
void nvsim_bad(struct nvsim_nic *nic, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	atomic64_inc(&nic->bad_messages);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn_ratelimited("netvsp_sim: nic%u: %pV", nic->id, &vaf);
	va_end(args);
}

/**
 * nvsim_send_comp() - complete a guest request on a channel
 * @chan: channel the request came on
 * @trans_id: the request's transaction id
 * @data: completion payload (NVSP message) or NULL
 * @len: payload length
 *
 * Applies the completion fault knobs (drop, delay, replay) and waits for ring
 * space rather than losing a completion.  Channel work only.
 *
 * Return: 0 when sent, 1 when dropped on purpose, or a negative errno.
 */
int nvsim_send_comp(struct nvsim_chan *chan, u64 trans_id,
		    const void *data, u32 len)
{
	struct nvsim_nic *nic = chan->nic;
	u32 delay = READ_ONCE(nic->delay_ms);
	u32 need = 16 + ALIGN(len, 8) + 8;
	int tries = 0;
	int ret;

	might_sleep();
	if (atomic_dec_if_positive(&nic->drop_completions) >= 0)
		return 1;
	if (delay)
		msleep(delay);
	for (;;) {
		ret = vmbus_sim_send_comp(chan->vchan, trans_id, data, len);
		if (ret != -EAGAIN || ++tries > 50)
			break;
		ret = vmbus_sim_wait_space(chan->vchan, need, HZ / 10);
		if (ret && ret != -ETIMEDOUT)
			break;
	}
	if (ret)
		pr_warn_ratelimited("netvsp_sim: nic%u: chan %u: completion lost (%d)\n",
				    nic->id, chan->idx, ret);
	else if (atomic_dec_if_positive(&nic->replay_completions) >= 0)
		/* the same transaction id again, as a faulty host might */
		vmbus_sim_send_comp(chan->vchan, trans_id, data, len);
	return ret;
}

/**
 * nvsim_nic_create() - create a NIC and offer it to the guest
 * @id: NIC number
 * @mac: permanent MAC address
 * @queues: receive queues offered
 * @nvsp_max: highest NVSP version accepted
 * @mtu_max: largest MTU allowed
 * @nvsp_exact: the one NVSP version accepted (%NVSIM_NVSP_EXACT_OFF: any
 *	up to @nvsp_max)
 * @send_section: send section size announced to the guest
 *
 * Return: the NIC, or an ERR_PTR().
 */
struct nvsim_nic *nvsim_nic_create(u32 id, const u8 *mac, u32 queues,
				   u32 nvsp_max, u32 mtu_max, u32 nvsp_exact,
				   u32 send_section)
{
	struct vmbus_sim_offer_params params = {};
	struct vmbus_sim_device *vdev;
	struct nvsim_nic *nic;
	int i, ret;

	nic = kvzalloc(sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return ERR_PTR(-ENOMEM);
	nic->id = id;
	nic->instance = GUID_INIT(0x6e767370, 0x7369, 0x4d00, 0x80, 0x00,
				  0x00, 0x15, 0x5d, 0x00, 0x00, id);
	mutex_init(&nic->knob_lock);
	spin_lock_init(&nic->log_lock);
	INIT_WORK(&nic->rescind_work, nvsim_nvsp_rescind_work);
	ether_addr_copy(nic->perm_mac, mac);
	ether_addr_copy(nic->cur_mac, mac);
	nic->link = true;
	nic->link_speed = NVSIM_DEFAULT_SPEED;
	nic->max_queues = queues;
	nic->rss_itab = NDIS_RSS_ITAB_DEFAULT;
	nic->nvsp_max = nvsp_max;
	nic->mtu_max = mtu_max;
	nic->off_csum = true;
	nic->off_udp_csum = true;
	nic->off_tso = true;
	nic->off_rsc = true;
	nic->subch_grant = NVSIM_GRANT_NORMAL;
	nic->nvsp_exact = nvsp_exact;
	nic->send_section_size = send_section;
	nic->ndis_mtu = ETH_DATA_LEN;
	for (i = 0; i < NVSIM_MAX_CHANS; i++) {
		nic->chans[i].nic = nic;
		nic->chans[i].idx = i;
	}
	nic->port.kind = NVSIM_PORT_NIC;
	nic->port.nic = nic;
	nvsim_vf_init(nic);

	/* on failure the kobject's release has freed the NIC */
	ret = nvsim_sysfs_add_nic(nic);
	if (ret)
		return ERR_PTR(ret);

	nvsim_switch_add_port(&nic->port);

	params.class_id = &nvsim_nic_class.guid;
	params.instance_id = &nic->instance;
	params.ops = &nvsim_ops;
	params.priv = nic;
	params.device_id = HV_NIC;
	params.vendor_id = 0x1414;
	params.perf_device = true;
	vdev = vmbus_sim_offer(&params);
	if (IS_ERR(vdev)) {
		ret = PTR_ERR(vdev);
		goto err_port;
	}
	nic->vdev = vdev;
	return nic;

err_port:
	nvsim_switch_del_port(&nic->port);
	nvsim_sysfs_unlink_nic(nic);
	nvsim_sysfs_put_nic(nic);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(nvsim_nic_create);

/**
 * nvsim_nic_destroy() - hot-remove a NIC and free it
 * @nic: NIC from nvsim_nic_create()
 *
 * Removes its sysfs directory, takes it off the switch, rescinds it (the guest's remove() runs and
 * closes every channel, which releases the guest buffers) and frees it.
 * Sleeps.
 */
void nvsim_nic_destroy(struct nvsim_nic *nic)
{
	int i;

	nvsim_sysfs_unlink_nic(nic);
	rtnl_lock();
	nvsim_vf_detach_locked(nic);
	rtnl_unlock();
	nvsim_switch_del_port(&nic->port);
	cancel_work_sync(&nic->rescind_work);
	vmbus_sim_device_remove(nic->vdev);
	cancel_work_sync(&nic->rescind_work);
	/* close() ran for every open channel; make sure nothing is left */
	nvsim_nvsp_release_bufs(nic);
	nvsim_nic_reset_state(nic);
	synchronize_rcu();
	for (i = 0; i < NVSIM_MAX_CHANS; i++)
		kvfree(nic->chans[i].scratch);
	/* the kobject release frees the NIC */
	nvsim_sysfs_put_nic(nic);
}
EXPORT_SYMBOL_GPL(nvsim_nic_destroy);

static int __init nvsim_init(void)
{
	int ret;

	ret = nvsim_switch_init();
	if (ret)
		return ret;
	ret = nvsim_vf_module_init();
	if (ret)
		goto err_switch;
	ret = nvsim_sysfs_init();
	if (ret)
		goto err_vf;
	return 0;

err_vf:
	nvsim_vf_module_exit();
err_switch:
	nvsim_switch_exit();
	return ret;
}

static void __exit nvsim_exit(void)
{
	nvsim_sysfs_exit();
	nvsim_vf_module_exit();
	nvsim_switch_exit();
	rcu_barrier();
}

module_init(nvsim_init);
module_exit(nvsim_exit);

MODULE_DESCRIPTION("Simulated Hyper-V network VSP and vSwitch for hv_netvsc tests");
MODULE_LICENSE("GPL");
