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

static int netvsc_hc_recv_gpadl(struct netvsc_dev *nvdev)
{
	return vmbus_establish_gpadl(nvdev->hdev->channel, nvdev->recv_buf,
				     nvdev->recv_buf_size, &nvdev->recv_gpadl);
}

static int netvsc_hc_send_gpadl(struct netvsc_dev *nvdev)
{
	return vmbus_establish_gpadl(nvdev->hdev->channel, nvdev->send_buf,
				     nvdev->send_buf_size, &nvdev->send_gpadl);
}

static int netvsc_recv_buf_init(struct netvsc_dev *nvdev, u32 sections)
{
	struct nvsp_msg msg, resp;
	u32 size, max;
	int ret;

	max = nvdev->nvsp_ver <= NVSP_PROTO_VERSION_2 ?
	      NVSP_RECV_BUF_SIZE_MAX_LEGACY : NVSP_RECV_BUF_SIZE_MAX;
	size = PAGE_ALIGN(min_t(u64, (u64)sections *
				NVSP_RECV_SECTION_SIZE, max));
	nvdev->recv_buf = vzalloc(size);
	if (!nvdev->recv_buf)
		return -ENOMEM;
	nvdev->recv_buf_size = size;

	ret = netvsc_host_call(nvdev, netvsc_hc_recv_gpadl,
			       "the receive buffer's GPADL");
	if (ret) {
		netdev_err(nvdev->ndev, "receive buffer GPADL failed: %d\n",
			   ret);
		return ret;
	}

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_RECV_BUF);
	msg.body.recv_buf.gpadl_handle =
		cpu_to_le32(nvdev->recv_gpadl.gpadl_handle);
	msg.body.recv_buf.id = cpu_to_le16(NVSP_RECV_BUF_ID);
	ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_SEND_RECV_BUF_COMP, &resp);
	if (ret)
		return ret;

	ret = netvsc_recv_buf_comp_check(&resp.body.recv_buf_comp,
					 sizeof(resp.body), size,
					 &nvdev->recv_section_size,
					 &nvdev->recv_sections);
	if (ret) {
		netdev_err(nvdev->ndev, "host rejected receive buffer: %d\n",
			   ret);
		return ret;
	}
	return 0;
}

static int netvsc_send_buf_init(struct netvsc_dev *nvdev, u32 sections)
{
	struct nvsp_msg msg, resp;
	u32 size;
	int ret;

	size = PAGE_ALIGN(min_t(u64, (u64)sections *
				NVSP_SEND_SECTION_SIZE, NVSP_SEND_BUF_SIZE_MAX));
	nvdev->send_buf = vzalloc(size);
	if (!nvdev->send_buf)
		return -ENOMEM;
	nvdev->send_buf_size = size;

	ret = netvsc_host_call(nvdev, netvsc_hc_send_gpadl,
			       "the send buffer's GPADL");
	if (ret) {
		netdev_err(nvdev->ndev, "send buffer GPADL failed: %d\n", ret);
		return ret;
	}

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_SEND_BUF);
	msg.body.send_buf.gpadl_handle =
		cpu_to_le32(nvdev->send_gpadl.gpadl_handle);
	msg.body.send_buf.id = cpu_to_le16(NVSP_SEND_BUF_ID);
	ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_SEND_SEND_BUF_COMP, &resp);
	if (ret)
		return ret;

	ret = netvsc_send_buf_comp_check(&resp.body.send_buf_comp, size,
					 &nvdev->send_section_size,
					 &nvdev->send_sections);
	if (ret) {
		netdev_err(nvdev->ndev,
			   "host rejected send buffer: status %u, section size %u for a %u-byte buffer: %d\n",
			   le32_to_cpu(resp.body.send_buf_comp.status),
			   le32_to_cpu(resp.body.send_buf_comp.section_size),
			   size, ret);
		return ret;
	}

	nvdev->send_map = bitmap_zalloc(nvdev->send_sections, GFP_KERNEL);
	nvdev->send_meta = kcalloc(nvdev->send_sections,
				   sizeof(*nvdev->send_meta), GFP_KERNEL);
	if (!nvdev->send_map || !nvdev->send_meta)
		return -ENOMEM;
	return 0;
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
	if (ret) {
		/* unless the open goes on, nothing is open to close */
		nvdev->closed = ret != -ETIMEDOUT;
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

static int netvsc_nvsp_connect(struct netvsc_dev *nvdev,
			       const struct netvsc_cfg *cfg)
{
	u32 i;
	int ret;

	ret = netvsc_nvsp_negotiate(nvdev);
	if (ret)
		return ret;
	ret = netvsc_nvsp_config(nvdev, cfg->mtu);
	if (ret)
		return ret;
	ret = netvsc_recv_buf_init(nvdev, cfg->rx_bufs);
	if (ret)
		return ret;
	for (i = 0; i < nvdev->num_queues; i++) {
		ret = netvsc_queue_rxc_alloc(&nvdev->queues[i]);
		if (ret)
			return ret;
	}
	return netvsc_send_buf_init(nvdev, cfg->tx_bufs);
}

/**
 * netvsc_dev_attach - bring the device up: channels, NVSP, buffers, RNDIS
 * @priv: the net device's private part
 * @cfg: MTU, channels and buffer sections to ask the host for
 *
 * Every step that waits for the host is bounded.  The host may grant fewer
 * channels than @cfg asks for; the device then runs with what it got.  On
 * success the new device is published in @priv->nvdev.
 *
 * Context: process, RTNL held.
 * Return: the device or an ERR_PTR(): -ETIMEDOUT when a VMBus call got no
 * answer in time (it goes on without RTNL), -EBUSY while such a call of an
 * earlier bring-up still waits.
 */
struct netvsc_dev *netvsc_dev_attach(struct netvsc_priv *priv,
				     const struct netvsc_cfg *cfg)
{
	struct netvsc_dev *nvdev;
	int ret;

	ASSERT_RTNL();
	/* a late host answer still owns the channel */
	if (atomic_read(&priv->stuck)) {
		netdev_err(priv->ndev,
			   "bring-up refused: an earlier VMBus request is still waiting for the host\n");
		return ERR_PTR(-EBUSY);
	}
	/* never more queues than the channel maximum can allow */
	nvdev = netvsc_dev_alloc(priv, netvsc_chans_max(cfg->chans));
	if (!nvdev)
		return ERR_PTR(-ENOMEM);

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
