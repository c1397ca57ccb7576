// SPDX-License-Identifier: GPL-2.0
/*
 * Attach and detach: the primary channel opened, NVSP version negotiation,
 * the NDIS config and version messages, the receive and send buffers
 * handed to the host over GPADLs, RNDIS, then the subchannels.
 * netvsc_dev_attach() is the bring-up and netvsc_dev_detach() its
 * mirrored teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/vmalloc.h>
#include <asm/mshyperv.h>

#include "netvsc.h"
#include "netvsc_attach.h"
#include "netvsc_bringup.h"
#include "netvsc_channel.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_proto.h"
#include "netvsc_queue.h"
#include "netvsc_rndis.h"
#include "netvsc_stats.h"

static const u32 netvsc_nvsp_versions[] = {
	NVSP_PROTO_VERSION_61, NVSP_PROTO_VERSION_6, NVSP_PROTO_VERSION_5,
	NVSP_PROTO_VERSION_4, NVSP_PROTO_VERSION_2, NVSP_PROTO_VERSION_1,
};

static int netvsc_nvsp_negotiate(struct netvsc_dev *nvdev)
{
	struct nvsp_msg msg, resp;
	int i, ret;

	/* the isolation state is the platform's: it cannot change under us */
	nvdev->isolated = hv_is_isolation_supported();
	for (i = 0; i < ARRAY_SIZE(netvsc_nvsp_versions); i++) {
		u32 ver = netvsc_nvsp_versions[i];

		/*
		 * Before 6.1 the host may hand us what an isolated VM must
		 * not take (VF association, a host-chosen layout of shared
		 * memory): older hosts are refused there.
		 */
		if (nvdev->isolated && ver < NVSP_PROTO_VERSION_61)
			break;

		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_INIT);
		msg.body.init.min_version = cpu_to_le32(ver);
		msg.body.init.max_version = cpu_to_le32(ver);
		ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_INIT_COMP, &resp);
		if (ret)
			return ret;
		if (le32_to_cpu(resp.body.init_comp.status) ==
		    NVSP_STATUS_SUCCESS) {
			nvdev->nvsp_ver = ver;
			nvdev->ndis_ver = netvsc_ndis_version(ver);
			return 0;
		}
	}
	if (nvdev->isolated)
		netdev_err(nvdev->ndev,
			   "host refuses NVSP 6.1, the oldest version an isolated VM may use\n");
	else
		netdev_err(nvdev->ndev, "host accepts no NVSP version we speak\n");
	return -EPROTO;
}

static int netvsc_nvsp_config(struct netvsc_dev *nvdev, u32 mtu)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	u64 caps = NVSP_NDIS_CAP_IEEE8021Q;
	struct nvsp_msg msg;
	int ret;

	if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_2) {
		/* teaming: without it the host sends no link-speed updates */
		if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_5)
			caps |= NVSP_NDIS_CAP_TEAMING;
		/*
		 * SR-IOV: the host offers a VF only to a guest that says it
		 * takes one; a Confidential VM does not (its VF would bypass
		 * the isolation the synthetic path keeps)
		 */
		if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_5 && !nvdev->isolated)
			caps |= NVSP_NDIS_CAP_SRIOV;
		if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_61)
			caps |= NVSP_NDIS_CAP_RSC;
		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_SEND_NDIS_CONFIG);
		msg.body.ndis_config.mtu = cpu_to_le32(mtu + ETH_HLEN);
		msg.body.ndis_config.caps = cpu_to_le64(caps);
		ret = netvsc_nvsp_send_inband(q, &msg, 0, false);
		if (ret)
			return ret;
	}

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_NDIS_VER);
	msg.body.ndis_ver.major = cpu_to_le32(nvdev->ndis_ver >> 16);
	msg.body.ndis_ver.minor = cpu_to_le32(nvdev->ndis_ver & 0xffff);
	return netvsc_nvsp_send_inband(q, &msg, 0, false);
}

/* What differs between the two buffers the host is handed. */
struct netvsc_buf_kind {
	const char *name;
	const char *gpadl_call;
	u32 msg;
	u32 comp;
	u16 id;
	u32 section_size;
};

static const struct netvsc_buf_kind netvsc_buf_recv = {
	.name = "receive",
	.gpadl_call = "the receive buffer's GPADL",
	.msg = NVSP_MSG_SEND_RECV_BUF,
	.comp = NVSP_MSG_SEND_RECV_BUF_COMP,
	.id = NVSP_RECV_BUF_ID,
	.section_size = NVSP_RECV_SECTION_SIZE,
};

static const struct netvsc_buf_kind netvsc_buf_send = {
	.name = "send",
	.gpadl_call = "the send buffer's GPADL",
	.msg = NVSP_MSG_SEND_SEND_BUF,
	.comp = NVSP_MSG_SEND_SEND_BUF_COMP,
	.id = NVSP_SEND_BUF_ID,
	.section_size = NVSP_SEND_SECTION_SIZE,
};

static struct netvsc_buf *netvsc_buf_of(struct netvsc_dev *nvdev,
					const struct netvsc_buf_kind *k)
{
	return k == &netvsc_buf_recv ? &nvdev->recv : &nvdev->send;
}

/* The most bytes the host takes for a buffer at NVSP version @ver. */
static u32 netvsc_buf_max(const struct netvsc_buf_kind *k, u32 ver)
{
	if (k == &netvsc_buf_send)
		return NVSP_SEND_BUF_SIZE_MAX;
	return ver <= NVSP_PROTO_VERSION_2 ? NVSP_RECV_BUF_SIZE_MAX_LEGACY :
					     NVSP_RECV_BUF_SIZE_MAX;
}

static int netvsc_hc_recv_gpadl(struct netvsc_dev *nvdev)
{
	return vmbus_establish_gpadl(nvdev->hdev->channel, nvdev->recv.mem,
				     nvdev->recv.size, &nvdev->recv.gpadl);
}

static int netvsc_hc_send_gpadl(struct netvsc_dev *nvdev)
{
	return vmbus_establish_gpadl(nvdev->hdev->channel, nvdev->send.mem,
				     nvdev->send.size, &nvdev->send.gpadl);
}

/*
 * Allocate a buffer of @sections sections of our size (at most what the
 * host takes at NVSP version @ver) and share it with the host: its GPADL.
 * A GPADL belongs to the channel, open or not, and outlives a close, so a
 * buffer can be shared while an older bring-up still runs on the channel.
 */
static int netvsc_buf_share(struct netvsc_dev *nvdev,
			    const struct netvsc_buf_kind *k, u32 sections,
			    u32 ver)
{
	struct netvsc_buf *buf = netvsc_buf_of(nvdev, k);
	int ret;

	buf->size = PAGE_ALIGN(min_t(u64, (u64)sections * k->section_size,
				     netvsc_buf_max(k, ver)));
	buf->mem = vzalloc(buf->size);
	if (!buf->mem)
		return -ENOMEM;
	ret = netvsc_host_call(nvdev, k == &netvsc_buf_recv ?
			       netvsc_hc_recv_gpadl : netvsc_hc_send_gpadl,
			       k->gpadl_call);
	if (ret)
		netdev_err(nvdev->ndev, "%s buffer GPADL failed: %d\n",
			   k->name, ret);
	return ret;
}

/*
 * Hand a shared buffer to the host and take its sections from the answer.
 * Sections expected before (a prepared bring-up) and answered otherwise
 * drop what was sized by them: netvsc_sections_alloc() sizes it again.
 */
static int netvsc_buf_give(struct netvsc_dev *nvdev,
			   const struct netvsc_buf_kind *k)
{
	struct netvsc_buf *buf = netvsc_buf_of(nvdev, k);
	bool recv = k == &netvsc_buf_recv;
	struct nvsp_msg msg, resp;
	struct nvsp_msg_buf *give;
	u32 size, count;
	int ret;

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(k->msg);
	give = recv ? &msg.body.recv_buf : &msg.body.send_buf;
	give->gpadl_handle = cpu_to_le32(buf->gpadl.gpadl_handle);
	give->id = cpu_to_le16(k->id);
	/* from now on the host may hold it: it must be revoked */
	buf->given = true;
	ret = netvsc_ctrl_nvsp(nvdev, &msg, k->comp, &resp);
	if (ret)
		return ret;

	if (recv)
		ret = netvsc_recv_buf_comp_check(&resp.body.recv_buf_comp,
						 sizeof(resp.body), buf->size,
						 &size, &count);
	else
		ret = netvsc_send_buf_comp_check(&resp.body.send_buf_comp,
						 buf->size, &size, &count);
	if (ret && recv)
		netdev_err(nvdev->ndev, "host rejected receive buffer: %d\n",
			   ret);
	else if (ret)
		netdev_err(nvdev->ndev,
			   "host rejected send buffer: status %u, section size %u for a %u-byte buffer: %d\n",
			   le32_to_cpu(resp.body.send_buf_comp.status),
			   le32_to_cpu(resp.body.send_buf_comp.section_size),
			   buf->size, ret);
	if (ret)
		return ret;

	if (!recv && count != buf->sections) {
		/* sized for the sections expected: none is in use yet */
		kfree(nvdev->send_meta);
		bitmap_free(nvdev->send_map);
		nvdev->send_meta = NULL;
		nvdev->send_map = NULL;
	}
	buf->section_size = size;
	buf->sections = count;
	return 0;
}

/* What is sized by the host's sections: completion rings, the send map. */
static int netvsc_sections_alloc(struct netvsc_dev *nvdev)
{
	u32 i;
	int ret;

	for (i = 0; i < nvdev->num_queues; i++) {
		ret = netvsc_queue_rxc_alloc(&nvdev->queues[i]);
		if (ret)
			return ret;
	}
	if (!nvdev->send_map)
		nvdev->send_map = bitmap_zalloc(nvdev->send.sections,
						GFP_KERNEL);
	if (!nvdev->send_meta)
		nvdev->send_meta = kcalloc(nvdev->send.sections,
					   sizeof(*nvdev->send_meta),
					   GFP_KERNEL);
	return nvdev->send_map && nvdev->send_meta ? 0 : -ENOMEM;
}

static int netvsc_hc_open(struct netvsc_dev *nvdev)
{
	return netvsc_queue_open(&nvdev->queues[0], nvdev->hdev->channel);
}

static int netvsc_chan_open(struct netvsc_dev *nvdev)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	int ret;

	ret = netvsc_host_call(nvdev, netvsc_hc_open, "the channel open");
	/* unless it failed for good, there is an open to close */
	nvdev->closed = ret && ret != -ETIMEDOUT;
	if (ret) {
		netdev_err(nvdev->ndev, "cannot open VMBus channel: %d\n", ret);
		return ret;
	}
	netvsc_queue_start(q);
	netvsc_queue_set_napi(nvdev->ndev, 0, &q->napi);
	return 0;
}

/*
 * Stop NAPI and close the channel, the host's part bounded.  Return:
 * false when the close was abandoned (the device then belongs to it).
 */
static bool netvsc_chan_close(struct netvsc_dev *nvdev)
{
	netvsc_chans_quiesce(nvdev);
	return netvsc_host_call(nvdev, netvsc_hc_close,
				"the channel close") != -ETIMEDOUT;
}

/* A late host answer still owns the channel: no bring-up may use it. */
static bool netvsc_chan_held(struct netvsc_priv *priv)
{
	if (!atomic_read(&priv->stuck))
		return false;
	netdev_err(priv->ndev,
		   "bring-up refused: an earlier VMBus request is still waiting for the host\n");
	return true;
}

/* Buffers prepared for a version the host no longer speaks are refused. */
static int netvsc_bufs_fit(struct netvsc_dev *nvdev)
{
	u32 max = netvsc_buf_max(&netvsc_buf_recv, nvdev->nvsp_ver);

	if (nvdev->recv.size <= max)
		return 0;
	netdev_err(nvdev->ndev,
		   "host now speaks NVSP %#x: the %u-byte receive buffer prepared is too large\n",
		   nvdev->nvsp_ver, nvdev->recv.size);
	return -EPROTO;
}

static int netvsc_nvsp_connect(struct netvsc_dev *nvdev,
			       const struct netvsc_cfg *cfg)
{
	int ret;

	ret = netvsc_nvsp_negotiate(nvdev);
	if (ret)
		return ret;
	ret = netvsc_nvsp_config(nvdev, cfg->mtu);
	if (ret)
		return ret;
	if (nvdev->recv.mem)
		ret = netvsc_bufs_fit(nvdev);
	else
		ret = netvsc_buf_share(nvdev, &netvsc_buf_recv, cfg->rx_bufs,
				       nvdev->nvsp_ver);
	if (!ret)
		ret = netvsc_buf_give(nvdev, &netvsc_buf_recv);
	if (!ret && !nvdev->send.mem)
		ret = netvsc_buf_share(nvdev, &netvsc_buf_send, cfg->tx_bufs,
				       nvdev->nvsp_ver);
	if (!ret)
		ret = netvsc_buf_give(nvdev, &netvsc_buf_send);
	return ret ?: netvsc_sections_alloc(nvdev);
}

/**
 * netvsc_dev_prepare - a bring-up made ready while the running one goes on
 * @priv: the net device's private part
 * @cfg: MTU, channels and buffer sections the bring-up is for
 * @hint: the running bring-up, or NULL
 *
 * Allocates what the bring-up needs before the host is asked anything
 * through it: its queues with their NAPI and control slots; with @hint
 * also both buffers, shared with the host (their GPADLs, which the host
 * keeps apart from the running bring-up's), and what is sized by their
 * sections, expecting the sections the host gave @hint (the same host
 * answers alike; netvsc_dev_commit() checks).  Nothing of the running
 * bring-up is touched: a failure here leaves it running as it was.  The
 * channels' rings cannot be among it: VMBus keeps a channel's ring in the
 * channel, where the running bring-up's is, and the subchannels come only
 * once the host is asked for them.
 *
 * Context: process, RTNL held.
 * Return: the bring-up, for netvsc_dev_commit() or netvsc_dev_discard(),
 * or an ERR_PTR(): -ENOMEM, the GPADL's error, -EBUSY while a VMBus call
 * of an earlier bring-up still waits for the host.
 */
struct netvsc_dev *netvsc_dev_prepare(struct netvsc_priv *priv,
				      const struct netvsc_cfg *cfg,
				      const struct netvsc_dev *hint)
{
	struct netvsc_dev *nvdev;
	int ret;

	ASSERT_RTNL();
	if (netvsc_chan_held(priv))
		return ERR_PTR(-EBUSY);
	/* never more queues than the channel maximum can allow */
	nvdev = netvsc_dev_alloc(priv, netvsc_chans_max(cfg->chans));
	if (!nvdev)
		return ERR_PTR(-ENOMEM);
	if (!hint)
		return nvdev;

	nvdev->nvsp_ver = hint->nvsp_ver;
	ret = netvsc_buf_share(nvdev, &netvsc_buf_recv, cfg->rx_bufs,
			       hint->nvsp_ver);
	if (!ret)
		ret = netvsc_buf_share(nvdev, &netvsc_buf_send, cfg->tx_bufs,
				       hint->nvsp_ver);
	if (ret)
		goto err;
	nvdev->recv.section_size = hint->recv.section_size;
	nvdev->recv.sections = nvdev->recv.size / hint->recv.section_size;
	nvdev->send.section_size = hint->send.section_size;
	nvdev->send.sections = nvdev->send.size / hint->send.section_size;
	ret = netvsc_sections_alloc(nvdev);
	if (ret)
		goto err;
	return nvdev;
err:
	netvsc_dev_discard(nvdev);
	return ERR_PTR(ret);
}

/**
 * netvsc_dev_discard - drop a prepared bring-up that was never committed
 * @nvdev: from netvsc_dev_prepare()
 *
 * Its GPADLs are torn down, waiting for the host without RTNL.
 *
 * Context: process, RTNL held.
 */
void netvsc_dev_discard(struct netvsc_dev *nvdev)
{
	netvsc_dev_put_owner(nvdev);
}

/**
 * netvsc_dev_commit - bring a prepared bring-up up: channels, NVSP, RNDIS
 * @priv: the net device's private part, detached
 * @nvdev: from netvsc_dev_prepare(); the call owns it from now on
 * @cfg: what it was prepared for
 *
 * Every step that waits for the host is bounded.  The host may grant fewer
 * channels than @cfg asks for; the device then runs with what it got.  On
 * success the device is published in @priv->nvdev.
 *
 * Context: process, RTNL held.
 * Return: the device or an ERR_PTR(): -ETIMEDOUT when a VMBus call got no
 * answer in time (it goes on without RTNL), -EBUSY while such a call of an
 * earlier bring-up still waits.
 */
struct netvsc_dev *netvsc_dev_commit(struct netvsc_priv *priv,
				     struct netvsc_dev *nvdev,
				     const struct netvsc_cfg *cfg)
{
	int ret;

	ASSERT_RTNL();
	/* (the detach of the running bring-up may have left it held) */
	if (netvsc_chan_held(priv)) {
		ret = -EBUSY;
		goto err_put;
	}
	ret = netvsc_chan_open(nvdev);
	if (ret)
		goto err_put;
	ret = netvsc_nvsp_connect(nvdev, cfg);
	if (ret)
		goto err_close;
	ret = netvsc_rndis_bringup(nvdev);
	if (ret)
		goto err_close;
	netvsc_chans_setup(nvdev, cfg->chans);

	rcu_assign_pointer(priv->stats_nvdev, nvdev);
	rcu_assign_pointer(priv->nvdev, nvdev);
	return nvdev;

err_close:
	WRITE_ONCE(nvdev->destroy, true);
	if (!nvdev->hc_abandoned)
		netvsc_revoke_bufs(nvdev);
	netvsc_chan_close(nvdev);
err_put:
	netvsc_dev_put_owner(nvdev);
	netdev_err(priv->ndev, "bring-up failed: %d\n", ret);
	return ERR_PTR(ret);
}

/**
 * netvsc_dev_attach - bring the device up: prepared and committed at once
 * @priv: the net device's private part, detached
 * @cfg: MTU, channels and buffer sections to ask the host for
 *
 * The buffers are made once the host said which NVSP version it speaks.
 *
 * Context: process, RTNL held.
 * Return: as netvsc_dev_commit().
 */
struct netvsc_dev *netvsc_dev_attach(struct netvsc_priv *priv,
				     const struct netvsc_cfg *cfg)
{
	struct netvsc_dev *nvdev = netvsc_dev_prepare(priv, cfg, NULL);

	if (IS_ERR(nvdev)) {
		netdev_err(priv->ndev, "bring-up failed: %d\n",
			   (int)PTR_ERR(nvdev));
		return nvdev;
	}
	return netvsc_dev_commit(priv, nvdev, cfg);
}

static void netvsc_drain(struct netvsc_dev *nvdev)
{
	unsigned long end = jiffies + msecs_to_jiffies(NETVSC_DRAIN_TIMEOUT_MS);
	u32 i;

	for (i = 0; i < nvdev->num_queues; i++) {
		struct netvsc_queue *q = &nvdev->queues[i];

		while (q->open && atomic_read(&q->sends) > 0 &&
		       !q->chan->rescind) {
			if (time_after(jiffies, end)) {
				netdev_warn(nvdev->ndev,
					    "queue %u: host left %d sends uncompleted\n",
					    i, atomic_read(&q->sends));
				break;
			}
			usleep_range(1000, 2000);
		}
	}
}

/**
 * netvsc_dev_detach - tear the device down, mirroring netvsc_dev_attach()
 * @priv: the net device's private part
 *
 * The caller has stopped the data path (packet filter 0, TX disabled).
 * When the host does not answer the close in time, the device is freed
 * once it does (see DOC: Locking); netvsc_dev_wait_gone() waits for that.
 *
 * Context: process, RTNL held.
 */
void netvsc_dev_detach(struct netvsc_priv *priv)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 i;

	ASSERT_RTNL();
	if (!nvdev)
		return;

	RCU_INIT_POINTER(priv->nvdev, NULL);
	synchronize_net();
	cancel_work_sync(&nvdev->rx_mode_work);

	netvsc_rndis_halt(nvdev);
	WRITE_ONCE(nvdev->destroy, true);
	netvsc_drain(nvdev);
	netvsc_revoke_bufs(nvdev);
	netvsc_chan_close(nvdev);

	for (i = 0; i < nvdev->num_queues; i++)
		netdev_tx_reset_queue(netdev_get_tx_queue(priv->ndev, i));
	/* NAPI is off: what the drain counted is in the totals */
	netvsc_stats_fold(priv, nvdev);
	synchronize_net();
	netvsc_dev_put_owner(nvdev);
}

/**
 * netvsc_dev_wait_gone - wait until every bring-up of @priv is freed
 * @priv: the net device's private part
 *
 * Before the net device is freed: a bring-up left to a VMBus call the host
 * has not answered yet is freed only when it does (or rescinds).
 *
 * Context: process, without RTNL.
 */
void netvsc_dev_wait_gone(struct netvsc_priv *priv)
{
	if (atomic_read(&priv->nvdevs))
		netdev_warn(priv->ndev,
			    "waiting for the host to answer a VMBus request before the device goes\n");
	wait_event(priv->nvdev_wq, !atomic_read(&priv->nvdevs));
	/* the last free ran under RTNL: once RTNL is ours it has left priv */
	rtnl_lock();
	rtnl_unlock();
	cancel_work_sync(&priv->recover_work);
}
