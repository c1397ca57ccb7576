// SPDX-License-Identifier: GPL-2.0
/*
 * A bring-up's life (struct netvsc_dev): its allocation, the VMBus calls
 * that wait for the host run bounded from a work item (netvsc_host_call()),
 * its references and its release, which closes what a late host answer
 * left open and frees the buffers the host may no longer see (see DOC:
 * Locking).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/kmemleak.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "netvsc.h"
#include "netvsc_bringup.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_queue.h"
#include "netvsc_rndis.h"
#include "netvsc_tx.h"

static void netvsc_hc_work(struct work_struct *work)
{
	struct netvsc_dev *nvdev = container_of(work, struct netvsc_dev,
						hc_work);
	bool abandoned;
	int ret;

	ret = nvdev->hc_fn(nvdev);
	spin_lock(&nvdev->hc_lock);
	nvdev->hc_ret = ret;
	abandoned = nvdev->hc_abandoned;
	if (!abandoned)
		complete(&nvdev->hc_done);
	spin_unlock(&nvdev->hc_lock);
	if (abandoned)
		netdev_warn(nvdev->ndev, "host answered %s late (%d)\n",
			    nvdev->hc_what, ret);
	netvsc_dev_put(nvdev);
}

/**
 * netvsc_host_call - a VMBus call that waits for the host, bounded
 * @nvdev: the bring-up
 * @fn: the call
 * @what: what it is, for the log
 *
 * Runs @fn, which waits for the host as long as the host likes, in the
 * bring-up's host-call work and waits for it at most
 * NETVSC_HOST_TIMEOUT_MS.  On -ETIMEDOUT the call goes on: the bring-up
 * then belongs to it (see DOC: Locking) and the caller may only turn NAPI
 * off and drop its reference.
 *
 * Context: process, RTNL held.
 * Return: what @fn returned, or -ETIMEDOUT.
 */
int netvsc_host_call(struct netvsc_dev *nvdev,
		     int (*fn)(struct netvsc_dev *nvdev), const char *what)
{
	unsigned long tmo = msecs_to_jiffies(NETVSC_HOST_TIMEOUT_MS);
	bool abandoned = false;

	if (nvdev->hc_abandoned)
		return -ETIMEDOUT;
	nvdev->hc_fn = fn;
	nvdev->hc_what = what;
	reinit_completion(&nvdev->hc_done);
	refcount_inc(&nvdev->refs);
	queue_work(netvsc_wq, &nvdev->hc_work);
	if (!wait_for_completion_timeout(&nvdev->hc_done, tmo)) {
		spin_lock(&nvdev->hc_lock);
		abandoned = !completion_done(&nvdev->hc_done);
		nvdev->hc_abandoned = abandoned;
		spin_unlock(&nvdev->hc_lock);
	}
	if (!abandoned) {
		/* the work may still be on its way out: nothing of it is left */
		flush_work(&nvdev->hc_work);
		return nvdev->hc_ret;
	}
	atomic_inc(&nvdev->priv->stuck);
	netvsc_dev_host_error(nvdev->priv,
			      "no answer to %s within %u ms; the device waits for it without RTNL\n",
			      what, NETVSC_HOST_TIMEOUT_MS);
	return -ETIMEDOUT;
}

/**
 * netvsc_revoke_bufs - take the receive and send buffers back from the host
 * @nvdev: the bring-up; the revokes need no answer
 */
void netvsc_revoke_bufs(struct netvsc_dev *nvdev)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	struct nvsp_msg msg;

	/* no reply is expected; a rescinded channel needs none */
	if (nvdev->recv.given) {
		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_REVOKE_RECV_BUF);
		msg.body.revoke_recv_buf.id = cpu_to_le16(NVSP_RECV_BUF_ID);
		netvsc_nvsp_send_inband(q, &msg, 0, false);
	}
	if (nvdev->send.given) {
		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_REVOKE_SEND_BUF);
		msg.body.revoke_send_buf.id = cpu_to_le16(NVSP_SEND_BUF_ID);
		netvsc_nvsp_send_inband(q, &msg, 0, false);
	}
}

static void netvsc_teardown_gpadls(struct netvsc_dev *nvdev)
{
	struct vmbus_channel *chan = nvdev->hdev->channel;

	if (nvdev->recv.gpadl.gpadl_handle)
		vmbus_teardown_gpadl(chan, &nvdev->recv.gpadl);
	if (nvdev->send.gpadl.gpadl_handle)
		vmbus_teardown_gpadl(chan, &nvdev->send.gpadl);
}

/**
 * netvsc_hc_close - close the channels and tear the GPADLs down
 * @nvdev: the bring-up
 *
 * Waits for the host: run it through netvsc_host_call() under RTNL.
 *
 * Return: 0.
 */
int netvsc_hc_close(struct netvsc_dev *nvdev)
{
	struct vmbus_channel *primary = nvdev->hdev->channel;
	u32 i;

	/* hosts before Windows 10 want the GPADLs gone before the close */
	if (vmbus_proto_version < VERSION_WIN10)
		netvsc_teardown_gpadls(nvdev);
	/* closes the subchannels too */
	vmbus_close(primary);
	if (vmbus_proto_version >= VERSION_WIN10)
		netvsc_teardown_gpadls(nvdev);
	for (i = 0; i < nvdev->num_queues; i++) {
		nvdev->queues[i].desc = NULL;
		nvdev->queues[i].rx_range = 0;
		WRITE_ONCE(nvdev->queues[i].open, false);
	}
	nvdev->closed = true;
	return 0;
}

/**
 * netvsc_dev_put - drop a reference to a bring-up
 * @nvdev: the device
 *
 * The last one outside the owner's RTNL section frees it from a work
 * item, closing first what a late host answer left open.
 *
 * Context: process.
 */
void netvsc_dev_put(struct netvsc_dev *nvdev)
{
	if (refcount_dec_and_test(&nvdev->refs))
		queue_work(netvsc_wq, &nvdev->release_work);
}

/*
 * Free a buffer that was shared with the host, unless it still is: in an
 * isolated VM its pages were made host-visible (decrypted) for the GPADL,
 * and VMBus clears gpadl->decrypted only once the teardown re-encrypted
 * them.  Pages still decrypted, or still in a GPADL the teardown could not
 * remove, must never go back to the page allocator: they are leaked, and
 * kmemleak is told to ignore them (it would report them at every scan, the
 * line logged here says it once; ignored rather than marked not-a-leak, as
 * they hold packet bytes, never kernel pointers, and need no scanning).
 */
static void netvsc_buf_free(struct netvsc_dev *nvdev, void *buf, u32 size,
			    const struct vmbus_gpadl *gpadl, const char *what)
{
	if (!buf)
		return;
	if (!gpadl->decrypted && !gpadl->gpadl_handle) {
		vfree(buf);
		return;
	}
	netdev_warn(nvdev->ndev,
		    "%s buffer still shared with the host after the GPADL teardown (%s): %u bytes leaked\n",
		    what, gpadl->decrypted ? "not re-encrypted" : "not torn down",
		    size);
	kmemleak_ignore(buf);
}

static void netvsc_dev_free(struct netvsc_dev *nvdev)
{
	u32 i;

	/* NAPI is off and the channel closed: nothing queues it again */
	cancel_work_sync(&nvdev->ka_work);
	for (i = 0; i < nvdev->num_queues; i++)
		netvsc_queue_destroy(&nvdev->queues[i]);
	netvsc_ctrl_free(&nvdev->ctrl);
	/* sections the host never gave back */
	for (i = 0; nvdev->send_meta && i < nvdev->send.sections; i++)
		netvsc_tx_skbs_free(nvdev->send_meta[i].skbs, false);
	kfree(nvdev->send_meta);
	bitmap_free(nvdev->send_map);
	netvsc_buf_free(nvdev, nvdev->send.mem, nvdev->send.size,
			&nvdev->send.gpadl, "send");
	netvsc_buf_free(nvdev, nvdev->recv.mem, nvdev->recv.size,
			&nvdev->recv.gpadl, "receive");
	kfree(nvdev);
}

/* Free a bring-up nobody uses any more and tell who waits for that. */
static void netvsc_dev_finish(struct netvsc_dev *nvdev)
{
	struct netvsc_priv *priv = nvdev->priv;
	bool stuck = nvdev->hc_abandoned;

	ASSERT_RTNL();
	netvsc_dev_free(nvdev);
	if (stuck && atomic_dec_and_test(&priv->stuck) && priv->lost)
		queue_work(netvsc_wq, &priv->recover_work);
	/* the waiter takes RTNL after it saw 0: priv outlives this */
	if (atomic_dec_and_test(&priv->nvdevs))
		wake_up(&priv->nvdev_wq);
}

static void netvsc_dev_release_work(struct work_struct *work)
{
	struct netvsc_dev *nvdev = container_of(work, struct netvsc_dev,
						release_work);

	/* left open by a call the host answered late, or a late subchannel */
	if (!nvdev->closed) {
		WRITE_ONCE(nvdev->destroy, true);
		netvsc_revoke_bufs(nvdev);
	}
	if (!nvdev->closed || nvdev->straggler)
		netvsc_hc_close(nvdev);
	else
		/* shared by a bring-up that never opened the channel */
		netvsc_teardown_gpadls(nvdev);
	/* NAPI instances hang on the net device: RTNL orders their removal */
	rtnl_lock();
	netvsc_dev_finish(nvdev);
	rtnl_unlock();
}

/**
 * netvsc_dev_put_owner - drop the owner's reference to a bring-up
 * @nvdev: the bring-up
 *
 * Frees it at once when it is the last and nothing is left open or
 * shared, else from the release work.
 *
 * Context: process, RTNL held.
 */
void netvsc_dev_put_owner(struct netvsc_dev *nvdev)
{
	if (!refcount_dec_and_test(&nvdev->refs))
		return;
	if (nvdev->closed && !nvdev->straggler &&
	    !nvdev->recv.gpadl.gpadl_handle && !nvdev->send.gpadl.gpadl_handle)
		netvsc_dev_finish(nvdev);
	else
		queue_work(netvsc_wq, &nvdev->release_work);
}

/**
 * netvsc_dev_alloc - a new bring-up with @nqueues queues set up
 * @priv: the net device's private part
 * @nqueues: queues to set up, the most the bring-up may use
 *
 * Context: process, RTNL held.
 * Return: the bring-up, holding the owner's reference, or NULL.
 */
struct netvsc_dev *netvsc_dev_alloc(struct netvsc_priv *priv, u32 nqueues)
{
	struct netvsc_dev *nvdev;
	u32 i;

	nvdev = kzalloc(struct_size(nvdev, queues, nqueues), GFP_KERNEL);
	if (!nvdev)
		return NULL;
	nvdev->priv = priv;
	nvdev->hdev = priv->hdev;
	nvdev->ndev = priv->ndev;
	/* nothing is open until netvsc_chan_open() says so */
	nvdev->closed = true;
	nvdev->num_active = 1;
	nvdev->num_granted = 1;
	nvdev->max_chans = 1;
	nvdev->rndis_max_pkts = RNDIS_INIT_MAX_PKTS_DEFAULT;
	nvdev->rndis_align = RNDIS_INIT_PKT_ALIGN_DEFAULT;
	init_waitqueue_head(&nvdev->sc_wait);
	refcount_set(&nvdev->refs, 1);
	INIT_WORK(&nvdev->hc_work, netvsc_hc_work);
	init_completion(&nvdev->hc_done);
	spin_lock_init(&nvdev->hc_lock);
	INIT_WORK(&nvdev->release_work, netvsc_dev_release_work);
	netvsc_ctrl_init(&nvdev->ctrl);
	INIT_WORK(&nvdev->rx_mode_work, netvsc_rx_mode_work);
	INIT_WORK(&nvdev->ka_work, netvsc_keepalive_work);
	if (netvsc_ctrl_alloc(&nvdev->ctrl))
		goto err;
	for (i = 0; i < nqueues; i++) {
		/* num_queues counts initialised queues, for netvsc_dev_free() */
		nvdev->num_queues = i + 1;
		if (netvsc_queue_init(nvdev, i))
			goto err;
	}
	atomic_inc(&priv->nvdevs);
	return nvdev;
err:
	netvsc_dev_free(nvdev);
	return NULL;
}
