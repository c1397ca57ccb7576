// SPDX-License-Identifier: GPL-2.0
/*
 * Channels: the vRSS subchannels and what steers traffic over them.  Once
 * the primary channel is up, netvsc_chans_setup() reads the host's
 * receive-scale capabilities, asks for subchannels, opens each one as
 * VMBus offers it (netvsc_sc_open()), hands the host the RSS key and
 * indirection table, and sets the stack's queue counts and NAPI links.
 * A channel count that the open channels can serve is set live
 * (netvsc_chans_set_live()): shrinking parks the unused channels instead
 * of tearing the device down.  TX queue selection is netvsc_select.c's.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "netvsc.h"
#include "netvsc_bringup.h"
#include "netvsc_build.h"
#include "netvsc_channel.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_proto.h"
#include "netvsc_queue.h"
#include "netvsc_rndis.h"
#include "netvsc_tx.h"
#include "netvsc_txc.h"

/* What the host hashes: addresses, and the ports of TCP (as Hyper-V). */
#define NETVSC_RSS_HASH_INFO	(NDIS_RSS_HASH_FUNC_TOEPLITZ |		\
				 NDIS_RSS_HASH_IPV4 | NDIS_RSS_HASH_TCP_IPV4 | \
				 NDIS_RSS_HASH_IPV6 | NDIS_RSS_HASH_TCP_IPV6)

/* Microsoft's sample Toeplitz key, the key Windows guests start with. */
static const u8 netvsc_rss_key_default[NDIS_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/**
 * netvsc_rss_init - default RSS state of a new net device
 * @priv: its private part
 */
void netvsc_rss_init(struct netvsc_priv *priv)
{
	memcpy(priv->rss_key, netvsc_rss_key_default, sizeof(priv->rss_key));
	memset(priv->rss_table, 0, sizeof(priv->rss_table));
	priv->l4_hash = NETVSC_L4_HASH_ALL;
}

/*
 * Make the table serve @n queues: a table the user set stays as long as
 * every entry still names a queue in use; otherwise the default spread.
 */
static void netvsc_rss_fit(struct netvsc_dev *nvdev, u32 n)
{
	bool user = netif_is_rxfh_configured(nvdev->ndev);
	struct netvsc_priv *priv = nvdev->priv;
	u32 i;

	if (user && netvsc_indir_fits(priv->rss_table, nvdev->itab_size, n))
		return;
	if (user)
		netdev_warn(nvdev->ndev,
			    "RSS table names queues beyond %u: spread evenly again\n",
			    n);
	for (i = 0; i < nvdev->itab_size; i++)
		priv->rss_table[i] = ethtool_rxfh_indir_default(i, n);
}

static int netvsc_rss_send(struct netvsc_dev *nvdev, u16 flags)
{
	struct netvsc_priv *priv = nvdev->priv;
	u32 len;
	void *p;
	int ret;

	p = kmalloc(NETVSC_RSS_PARAMS_MAX, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	len = netvsc_rss_params_build(p, flags, NETVSC_RSS_HASH_INFO,
				      priv->rss_key, priv->rss_table,
				      nvdev->itab_size);
	ret = len ? netvsc_rndis_set(nvdev, NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS,
				     p, len) : -EINVAL;
	kfree(p);
	return ret;
}

/**
 * netvsc_rss_apply - give the host the RSS key and table of @priv
 * @nvdev: the device
 *
 * With one queue in use RSS is turned off, so the host sends everything
 * to the primary channel.  Hyper-V takes a changed table only after RSS
 * was disabled, so a change is disable, then the new parameters; frames in
 * between all go to queue 0, none is lost.
 *
 * Context: process, RTNL held.
 * Return: 0 or a negative errno.
 */
int netvsc_rss_apply(struct netvsc_dev *nvdev)
{
	int ret;

	ASSERT_RTNL();
	if (nvdev->rss_on) {
		ret = netvsc_rss_send(nvdev, NDIS_RSS_PARAM_DISABLE_RSS);
		if (ret)
			return ret;
		nvdev->rss_on = false;
	}
	if (nvdev->num_active < 2)
		return 0;
	ret = netvsc_rss_send(nvdev, 0);
	if (!ret)
		nvdev->rss_on = true;
	return ret;
}

/* The stack's view: queue counts and queue <-> NAPI links. */
static int netvsc_chans_to_stack(struct netvsc_dev *nvdev, u32 n)
{
	struct net_device *ndev = nvdev->ndev;
	u32 i;
	int ret;

	ret = netif_set_real_num_tx_queues(ndev, n);
	if (!ret)
		ret = netif_set_real_num_rx_queues(ndev, n);
	if (ret)
		return ret;
	for (i = 0; i < nvdev->num_queues; i++)
		netvsc_queue_set_napi(ndev, i, i < n ?
				      &nvdev->queues[i].napi : NULL);
	return 0;
}

/*
 * Guards the VMBus device's drvdata as netvsc_sc_open() reads it,
 * &netvsc_priv.sc_nvdev, &netvsc_dev.sc_limit and the start of a
 * subchannel's NAPI against &netvsc_dev.sc_closed (see DOC: Locking).
 */
static DEFINE_MUTEX(netvsc_sc_mutex);

/**
 * netvsc_sc_open - VMBus offers a subchannel (sc_creation_callback)
 * @chan: the subchannel
 *
 * Takes the offer for the queue its sub_channel_index names, if the device
 * being brought up asked for that queue and, once the host answered, was
 * granted it, and leaves the open to the queue's open work: an open the
 * host does not answer then holds neither VMBus's offer work nor a lock.
 * A late offer is left alone; an index never asked for or granted is a
 * host error.
 *
 * Context: process (VMBus work), without RTNL.
 */
void netvsc_sc_open(struct vmbus_channel *chan)
{
	struct hv_device *hdev = chan->primary_channel->device_obj;
	u16 idx = chan->offermsg.offer.sub_channel_index;
	struct netvsc_dev *nvdev = NULL;
	struct net_device *ndev;
	struct netvsc_queue *q;
	u32 limit = 0;

	mutex_lock(&netvsc_sc_mutex);
	/* cleared under this mutex before the net device is freed */
	ndev = hv_get_drvdata(hdev);
	if (ndev)
		nvdev = ((struct netvsc_priv *)netdev_priv(ndev))->sc_nvdev;
	if (nvdev)
		limit = nvdev->sc_limit;
	if (!nvdev || !idx || idx > limit || nvdev->queues[idx].sc_chan) {
		if (nvdev)
			netvsc_dev_host_error(nvdev->priv,
					      "subchannel %u offered, %u asked for or granted\n",
					      idx, limit);
		else if (ndev)
			netdev_dbg(ndev, "subchannel %u offered, not wanted\n",
				   idx);
		mutex_unlock(&netvsc_sc_mutex);
		return;
	}
	q = &nvdev->queues[idx];
	q->sc_chan = chan;
	refcount_inc(&nvdev->refs);
	/* taken once per bring-up: the work is new */
	INIT_WORK(&q->open_work, netvsc_sc_open_work);
	queue_work(netvsc_wq, &q->open_work);
	mutex_unlock(&netvsc_sc_mutex);
}

/**
 * netvsc_sc_open_work - open a subchannel that netvsc_sc_open() took
 * @work: &netvsc_queue.open_work
 *
 * The open waits for the host as long as VMBus does.  Its NAPI starts
 * unless the device began to close meanwhile; an open that ends after the
 * wait for offers stays parked.
 *
 * Context: process (netvsc_wq), without RTNL.
 */
void netvsc_sc_open_work(struct work_struct *work)
{
	struct netvsc_queue *q = container_of(work, struct netvsc_queue,
					      open_work);
	struct netvsc_dev *nvdev = q->nvdev;
	int ret;

	ret = netvsc_queue_open(q, q->sc_chan);
	if (ret)
		netdev_warn(nvdev->ndev, "cannot open subchannel %u: %d\n",
			    q->index, ret);
	mutex_lock(&netvsc_sc_mutex);
	if (!ret && !nvdev->sc_closed)
		netvsc_queue_start(q);
	else if (!ret)
		/* the primary closed first: the release closes it once more */
		nvdev->straggler = true;
	WRITE_ONCE(q->offered, true);
	mutex_unlock(&netvsc_sc_mutex);
	wake_up(&nvdev->sc_wait);
	netvsc_dev_put(nvdev);
}

/**
 * netvsc_chans_quiesce - no channel callback opens or polls any more
 * @nvdev: the device, about to close its channels
 *
 * Turns every queue's NAPI off; a subchannel open still waiting for the
 * host will not turn its NAPI on.
 *
 * Context: process, RTNL held.
 */
void netvsc_chans_quiesce(struct netvsc_dev *nvdev)
{
	u32 i;

	ASSERT_RTNL();
	/* no subchannel offer may open anything from here on */
	vmbus_set_sc_create_callback(nvdev->hdev->channel, NULL);
	mutex_lock(&netvsc_sc_mutex);
	nvdev->sc_closed = true;
	mutex_unlock(&netvsc_sc_mutex);
	for (i = 0; i < nvdev->num_queues; i++) {
		struct netvsc_queue *q = &nvdev->queues[i];

		netvsc_queue_set_napi(nvdev->ndev, i, NULL);
		if (q->napi_on)
			napi_disable(&q->napi);
		q->napi_on = false;
		netvsc_txc_stop(q);
	}
}

/**
 * netvsc_sc_forget - a late subchannel offer no longer finds the device
 * @hdev: the VMBus device whose net device is about to be freed
 *
 * Context: process.
 */
void netvsc_sc_forget(struct hv_device *hdev)
{
	mutex_lock(&netvsc_sc_mutex);
	hv_set_drvdata(hdev, NULL);
	mutex_unlock(&netvsc_sc_mutex);
}

/* Receive queues the host offers, 0 when it has no vRSS for us. */
static u32 netvsc_rss_caps(struct netvsc_dev *nvdev)
{
	struct ndis_rss_caps caps = {
		.hdr.type = NDIS_OBJ_TYPE_RSS_CAPS,
		.hdr.rev = NDIS_RSS_CAPS_REV_2,
		.hdr.size = cpu_to_le16(sizeof(caps)),
	};
	u32 queues, itab;
	int ret;

	ret = netvsc_rndis_query(nvdev, NDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES,
				 &caps, sizeof(caps), &caps, sizeof(caps),
				 sizeof(caps));
	if (ret >= 0)
		ret = netvsc_rss_caps_parse(&caps, ret, &queues, &itab);
	if (ret < 0) {
		netdev_info(nvdev->ndev, "no receive-scale capabilities (%d): one channel\n",
			    ret);
		return 0;
	}
	nvdev->itab_size = itab;
	return queues;
}

/* Ask for @want subchannels; returns how many the host will offer. */
static u32 netvsc_sc_request(struct netvsc_dev *nvdev, u32 want)
{
	struct nvsp_msg msg = {}, resp;
	u32 granted;
	int ret;

	msg.type = cpu_to_le32(NVSP_MSG_SUBCHANNEL);
	msg.body.subchan_req.op = cpu_to_le32(NVSP_SUBCHAN_ALLOCATE);
	msg.body.subchan_req.num_subchannels = cpu_to_le32(want);
	ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_SUBCHANNEL, &resp);
	if (!ret)
		ret = netvsc_subchan_comp_check(&resp.body.subchan_comp, want,
						&granted);
	if (ret == -EPROTO)
		netvsc_dev_host_error(netdev_priv(nvdev->ndev),
				      "granted more subchannels than asked for\n");
	else if (ret)
		granted = 0;
	if (ret && ret != -EPROTO)
		netdev_warn(nvdev->ndev, "subchannel request failed: %d\n", ret);
	return granted;
}

/* Whether the offers of subchannels 1..@n were all handled. */
static bool netvsc_sc_offered(struct netvsc_dev *nvdev, u32 n)
{
	u32 i;

	for (i = 1; i <= n; i++)
		if (!READ_ONCE(nvdev->queues[i].offered))
			return false;
	return true;
}

/* Wait, bounded, until @n offers were handled or the device went away. */
static void netvsc_sc_wait(struct netvsc_dev *nvdev, u32 n)
{
	unsigned long end = jiffies + msecs_to_jiffies(NETVSC_SC_TIMEOUT_MS);
	struct vmbus_channel *primary = nvdev->hdev->channel;

	while (!netvsc_sc_offered(nvdev, n) && !primary->rescind &&
	       time_before(jiffies, end))
		wait_event_timeout(nvdev->sc_wait, netvsc_sc_offered(nvdev, n),
				   msecs_to_jiffies(100));
}

/*
 * Ask for @want - 1 subchannels and open the ones granted; returns the
 * channels now open for use, the primary included.  Offers that came
 * before the answer for queues the host then did not grant stay open but
 * parked: VMBus closes subchannels only with their primary.
 */
static u32 netvsc_sc_setup(struct netvsc_dev *nvdev, u32 want)
{
	struct netvsc_priv *priv = nvdev->priv;
	u32 granted, n, i, extra = 0;

	mutex_lock(&netvsc_sc_mutex);
	nvdev->sc_limit = want - 1;
	priv->sc_nvdev = nvdev;
	mutex_unlock(&netvsc_sc_mutex);
	vmbus_set_sc_create_callback(nvdev->hdev->channel, netvsc_sc_open);
	granted = netvsc_sc_request(nvdev, want - 1);
	mutex_lock(&netvsc_sc_mutex);
	nvdev->sc_limit = granted;
	mutex_unlock(&netvsc_sc_mutex);
	netvsc_sc_wait(nvdev, granted);
	mutex_lock(&netvsc_sc_mutex);
	priv->sc_nvdev = NULL;
	mutex_unlock(&netvsc_sc_mutex);

	for (n = 1; n <= granted && nvdev->queues[n].open; n++)
		;
	/* offers taken before the answer: their opens may still be running */
	mutex_lock(&netvsc_sc_mutex);
	for (i = granted + 1; i < nvdev->num_queues; i++)
		extra += !!nvdev->queues[i].sc_chan;
	mutex_unlock(&netvsc_sc_mutex);
	if (extra)
		netvsc_dev_host_error(priv,
				      "%u subchannels offered beyond the %u granted, left unused\n",
				      extra, granted);
	if (n < want)
		netdev_warn(nvdev->ndev,
			    "host granted %u and opened %u of the %u subchannels asked for: %u channels\n",
			    granted, n - 1, want - 1, n);
	nvdev->num_granted = granted + 1;
	return n;
}

/**
 * netvsc_chans_max - the channel maximum now (ethtool max_combined)
 * @host_chans: channels the host allows (&netvsc_dev.max_chans)
 *
 * The online CPUs count at every call, so that a vCPU going offline or
 * coming back moves the maximum, as it moves what vRSS can spread over.
 *
 * Return: min(@host_chans, online CPUs), at least 1.
 */
u32 netvsc_chans_max(u32 host_chans)
{
	return netvsc_chans_limit(host_chans, num_online_cpus());
}

/**
 * netvsc_chans_setup - open the subchannels of a new bring-up
 * @nvdev: device whose primary channel and RNDIS are up
 * @want: channels wanted (primary included)
 *
 * Never fails: a host without vRSS, or one that grants or offers fewer
 * subchannels, leaves the device with the channels it got, and says so.
 *
 * Context: process, RTNL held.
 */
void netvsc_chans_setup(struct netvsc_dev *nvdev, u32 want)
{
	struct netvsc_priv *priv = nvdev->priv;
	u32 host;

	ASSERT_RTNL();
	nvdev->itab_size = NDIS_RSS_ITAB_DEFAULT;
	if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_5) {
		host = netvsc_rss_caps(nvdev);
		if (host > 1)
			nvdev->max_chans =
				netvsc_chans_limit(host, NVSP_VRSS_CHANNEL_MAX);
	}
	priv->max_chans = nvdev->max_chans;
	want = min3(want, netvsc_chans_max(nvdev->max_chans),
		    nvdev->num_queues);

	if (want > 1)
		nvdev->num_active = netvsc_sc_setup(nvdev, want);

	netvsc_rss_fit(nvdev, nvdev->num_active);
	if (netvsc_rss_apply(nvdev))
		netdev_warn(nvdev->ndev, "host refused the RSS parameters\n");
	if (netvsc_chans_to_stack(nvdev, nvdev->num_active)) {
		netdev_warn(nvdev->ndev, "cannot set the queue counts: one channel\n");
		nvdev->num_active = 1;
		netvsc_chans_to_stack(nvdev, 1);
	}
}

/*
 * Send what the queues just parked still hold in their send batches: an
 * XDP redirect (which flushes only at the end of its burst) or a sender
 * that picked the queue before the shrink may have left frames there.
 * Once synchronize_net() returns, no sender still uses the old count.
 */
static void netvsc_chans_flush_parked(struct netvsc_dev *nvdev, u32 from,
				      u32 to)
{
	struct netdev_queue *txq;
	u32 i;

	synchronize_net();
	for (i = from; i < to; i++) {
		txq = netdev_get_tx_queue(nvdev->ndev, i);
		__netif_tx_lock_bh(txq);
		netvsc_tx_flush(&nvdev->queues[i], txq);
		__netif_tx_unlock_bh(txq);
	}
}

/**
 * netvsc_chans_set_live - change the channels in use without a re-attach
 * @priv: the net device's private part
 * @count: channels to use
 *
 * Possible when channels 0..@count-1 were granted and are open: after a
 * shrink the others stay open, parked, until the next re-attach.
 * Shrinking tells the host first (it stops steering to the parked queues)
 * and the stack second; growing the other way round.  On failure the old count is restored.
 *
 * Context: process, RTNL held.
 * Return: 0, -EAGAIN when a re-attach is needed, or a negative errno.
 */
int netvsc_chans_set_live(struct netvsc_priv *priv, u32 count)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u16 saved[NDIS_RSS_ITAB_MAX];
	u32 old, i;
	int ret;

	ASSERT_RTNL();
	if (!nvdev)
		return -ENODEV;
	old = nvdev->num_active;
	if (count > nvdev->num_granted)
		return -EAGAIN;
	for (i = 0; i < count; i++)
		if (!nvdev->queues[i].open)
			return -EAGAIN;

	memcpy(saved, priv->rss_table, sizeof(saved));
	if (count > old) {
		ret = netvsc_chans_to_stack(nvdev, count);
		if (ret)
			goto err_stack;
	}
	WRITE_ONCE(nvdev->num_active, count);
	netvsc_rss_fit(nvdev, count);
	ret = netvsc_rss_apply(nvdev);
	if (ret)
		goto err_rss;
	if (count < old) {
		netvsc_chans_to_stack(nvdev, count);
		netvsc_chans_flush_parked(nvdev, count, old);
	}
	return 0;

err_rss:
	netdev_err(nvdev->ndev, "host refused the RSS table for %u channels: %d\n",
		   count, ret);
	memcpy(priv->rss_table, saved, sizeof(saved));
	WRITE_ONCE(nvdev->num_active, old);
	netvsc_rss_apply(nvdev);
err_stack:
	netvsc_chans_to_stack(nvdev, old);
	return ret;
}
