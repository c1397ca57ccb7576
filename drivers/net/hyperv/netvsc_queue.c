// SPDX-License-Identifier: GPL-2.0
/*
 * A queue's life: its memory, its NAPI instance and XDP registration,
 * the open of its VMBus channel and the start of its NAPI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "netvsc.h"
#include "netvsc_poll.h"
#include "netvsc_queue.h"
#include "netvsc_tx.h"
#include "netvsc_txc.h"
#include "netvsc_xdp.h"

/**
 * netvsc_queue_init - set up queue @index of a bring-up
 * @nvdev: the bring-up
 * @index: the queue
 *
 * Its NAPI instance is added (off) and its XDP receive queue registered;
 * what the receive buffer's size decides comes later
 * (netvsc_queue_rxc_alloc()).
 *
 * Context: process, RTNL held.
 * Return: 0 or -ENOMEM; netvsc_queue_destroy() undoes either.
 */
int netvsc_queue_init(struct netvsc_dev *nvdev, u16 index)
{
	struct netvsc_queue *q = &nvdev->queues[index];

	q->nvdev = nvdev;
	q->index = index;
	netvsc_txc_init(q);
	atomic_set(&q->sends, 0);
	skb_queue_head_init(&q->inflight);
	u64_stats_init(&q->poll_stats.syncp);
	u64_stats_init(&q->xmit_stats.syncp);
	q->batch.section = NVSP_SEND_SECTION_NONE;
	q->scratch = kmalloc(NETVSC_CTRL_RESP_MAX, GFP_KERNEL);
	q->rsc = kzalloc(sizeof(*q->rsc), GFP_KERNEL);
	q->gpa_buf = kmalloc(NETVSC_GPA_BUF_SIZE, GFP_KERNEL);
	if (!q->scratch || !q->rsc || !q->gpa_buf)
		return -ENOMEM;
	netif_napi_add(nvdev->ndev, &q->napi, netvsc_poll);
	return netvsc_xdp_rxq_reg(q);
}

/**
 * netvsc_queue_rxc_alloc - the queue's ring of receive completions
 * @q: the queue, its bring-up's receive sections known (or expected)
 *
 * A ring already there for as many sections is kept (one prepared before
 * the host answered, netvsc_dev_prepare()); one of another size is
 * replaced.  The queue's channel is not open yet.
 *
 * Return: 0 or -ENOMEM.
 */
int netvsc_queue_rxc_alloc(struct netvsc_queue *q)
{
	u32 size = q->nvdev->recv.sections + 1;

	if (q->rxc_ids && q->rxc_fail && q->rxc_size == size)
		return 0;
	kvfree(q->rxc_ids);
	bitmap_free(q->rxc_fail);
	q->rxc_size = size;
	q->rxc_ids = kvcalloc(q->rxc_size, sizeof(*q->rxc_ids), GFP_KERNEL);
	q->rxc_fail = bitmap_zalloc(q->rxc_size, GFP_KERNEL);
	return q->rxc_ids && q->rxc_fail ? 0 : -ENOMEM;
}

/**
 * netvsc_queue_destroy - free what netvsc_queue_init() and later set up
 * @q: the queue; its channel is closed and its NAPI off
 */
void netvsc_queue_destroy(struct netvsc_queue *q)
{
	netvsc_txc_stop(q);
	netvsc_xdp_rxq_unreg(q);
	if (q->napi.poll)
		netif_napi_del(&q->napi);
	netvsc_tx_inflight_purge(q);
	netvsc_tx_skbs_free(q->batch.skbs, false);
	kvfree(q->rxc_ids);
	bitmap_free(q->rxc_fail);
	kfree(q->gpa_buf);
	kfree(q->rsc);
	kfree(q->scratch);
}

/**
 * netvsc_queue_open - open a VMBus channel for a queue
 * @q: the queue
 * @chan: the primary channel or one of its subchannels
 *
 * Waits for the host's answer as long as VMBus does; NAPI stays off
 * (netvsc_queue_start()).
 *
 * Context: process, without RTNL (a host call or a subchannel's open work).
 * Return: 0 or the vmbus_open() error.
 */
int netvsc_queue_open(struct netvsc_queue *q, struct vmbus_channel *chan)
{
	set_channel_read_mode(chan, HV_CALL_ISR);
	chan->next_request_id_callback = vmbus_next_request_id;
	chan->request_addr_callback = vmbus_request_addr;
	/* one id per packet that fits the ring, at the smallest size */
	chan->rqstor_size = NETVSC_RING_BYTES / 56 + NETVSC_RING_BYTES / 16;
	chan->max_pkt_size = NVSP_MAX_PKT_SIZE;

	q->chan = chan;
	return vmbus_open(chan, NETVSC_RING_BYTES, NETVSC_RING_BYTES, NULL, 0,
			  netvsc_chan_cb, q);
}

/**
 * netvsc_queue_start - turn on the NAPI of a queue whose channel opened
 * @q: the queue
 *
 * The channel callback schedules nothing while NAPI is off, so a poll is
 * run now for whatever the host sent in between.
 *
 * Context: process; RTNL or netvsc_sc_mutex held (see DOC: Locking).
 */
void netvsc_queue_start(struct netvsc_queue *q)
{
	napi_enable(&q->napi);
	q->napi_on = true;
	WRITE_ONCE(q->open, true);
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
}
