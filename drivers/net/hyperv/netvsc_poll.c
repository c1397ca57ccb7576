// SPDX-License-Identifier: GPL-2.0
/*
 * The NAPI poll and the channel callback: everything the host puts in a
 * queue's ring goes to its handler from here (completions of our sends to
 * TX and the control path, receive packets in transfer pages to RX,
 * inband host messages handled here).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>

#include "netvsc.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_poll.h"
#include "netvsc_proto.h"
#include "netvsc_rx.h"
#include "netvsc_tx.h"
#include "netvsc_tx_done.h"
#include "netvsc_txc.h"
#include "netvsc_xdp.h"
#include "netvsc_trace.h"

/*
 * Whether the host completed a data send with a failure: it did not send
 * the frames.  A completion too short to say counts as a host error and
 * as done.
 */
static bool netvsc_data_comp_failed(struct netvsc_queue *q, const void *data,
				    u32 len)
{
	if (len < NVSP_MSG_HDR_SIZE + sizeof(struct nvsp_msg_rndis_pkt_comp)) {
		netvsc_host_error(q, "send completion of %u bytes, no status\n",
				  len);
		return false;
	}
	return get_unaligned_le32(data + NVSP_MSG_HDR_SIZE) !=
	       NVSP_STATUS_SUCCESS;
}

static void netvsc_completion(struct netvsc_queue *q,
			      const struct vmpacket_descriptor *desc)
{
	const void *data = hv_pkt_data(desc);
	u32 len = hv_pkt_datalen(desc);
	u32 frames = 0;
	u64 cookie;

	cookie = q->chan->request_addr_callback(q->chan, desc->trans_id);
	if (cookie == VMBUS_RQST_ERROR) {
		netvsc_host_error(q, "completion with unknown id %#llx\n",
				  desc->trans_id);
		return;
	}
	atomic_dec(&q->sends);
	if (len >= NVSP_MSG_HDR_SIZE)
		trace_netvsc_nvsp_recv(q->nvdev->ndev, q->index,
				       get_unaligned_le32(data), len);

	if (netvsc_cookie_is_skb(cookie)) {
		frames = netvsc_tx_done(q, cookie);
		goto data;
	}
	switch (FIELD_GET(NETVSC_COOKIE_KIND, cookie)) {
	case NETVSC_COOKIE_KIND_NVSP:
		netvsc_ctrl_nvsp_done(q, FIELD_GET(NETVSC_COOKIE_VAL, cookie),
				      data, len);
		break;
	case NETVSC_COOKIE_KIND_RNDIS:
		netvsc_ctrl_sent(q, FIELD_GET(NETVSC_COOKIE_VAL, cookie));
		break;
	case NETVSC_COOKIE_KIND_SECTION:
		frames = netvsc_tx_section_done(q, FIELD_GET(NETVSC_COOKIE_VAL,
							     cookie));
		goto data;
	default:
		WARN_ON_ONCE(1);
	}
	return;
data:
	if (unlikely(netvsc_data_comp_failed(q, data, len))) {
		u64_stats_update_begin(&q->poll_stats.syncp);
		u64_stats_add(&q->poll_stats.tx_failed, frames);
		u64_stats_update_end(&q->poll_stats.syncp);
	}
}

static void netvsc_inband(struct netvsc_queue *q,
			  const struct vmpacket_descriptor *desc)
{
	u8 buf[sizeof(struct nvsp_msg) + NVSP_SEND_TABLE_SIZE * sizeof(u32)];
	struct netvsc_dev *nvdev = q->nvdev;
	u32 len = min_t(u32, hv_pkt_datalen(desc), sizeof(buf));
	u32 table[NVSP_SEND_TABLE_SIZE];
	u32 type;
	int i;

	if (len < NVSP_MSG_HDR_SIZE) {
		netvsc_host_error(q, "short inband message (%u bytes)\n", len);
		return;
	}
	memcpy(buf, hv_pkt_data(desc), len);
	type = get_unaligned_le32(buf);
	trace_netvsc_nvsp_recv(nvdev->ndev, q->index, type, len);

	switch (type) {
	case NVSP_MSG_SEND_INDIRECTION_TABLE:
		if (netvsc_send_table_parse(buf, len, nvdev->nvsp_ver, table)) {
			netvsc_host_error(q, "malformed send table\n");
			return;
		}
		for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
			WRITE_ONCE(nvdev->send_table[i], table[i]);
		break;
	case NVSP_MSG_SEND_VF_ASSOCIATION:
		if (len < NVSP_MSG_HDR_SIZE + sizeof(struct nvsp_msg_vf_assoc)) {
			netvsc_host_error(q, "VF association of %u bytes\n",
					  len);
			return;
		}
		netvsc_vf_assoc_post(netdev_priv(nvdev->ndev),
				     get_unaligned_le32(buf + NVSP_MSG_HDR_SIZE),
				     get_unaligned_le32(buf + NVSP_MSG_HDR_SIZE + 4));
		break;
	default:
		/* also what a truncated message looks like: zero padding */
		netvsc_host_error(q, "unknown inband NVSP message %u (%u bytes)\n",
				  type, len);
	}
}

/* Hand (part of) a ring packet to its handler; returns its work, at least 1. */
static u32 netvsc_dispatch(struct netvsc_queue *q,
			   const struct vmpacket_descriptor *desc, u32 budget)
{
	u32 len = hv_pkt_len(desc);

	if (desc->offset8 > desc->len8) {
		netvsc_host_error(q, "bad packet data offset\n");
		return 1;
	}
	switch (desc->type) {
	case VM_PKT_COMP:
		netvsc_completion(q, desc);
		break;
	case VM_PKT_DATA_USING_XFER_PAGES:
		return netvsc_rx_xfer(q, desc, len, budget);
	case VM_PKT_DATA_INBAND:
		netvsc_inband(q, desc);
		break;
	default:
		netvsc_host_error(q, "unknown packet type %u\n", desc->type);
	}
	return 1;
}

/**
 * netvsc_poll - NAPI poll of one queue
 * @napi: the queue's NAPI instance
 * @budget: most frames to take in
 *
 * Processes ring packets until @budget frames were taken in (a packet
 * that carries no frame counts one; a receive packet with more frames than
 * the budget left is finished by the next poll) or the ring is empty,
 * reports the send completions to the stack in one go, sends the receive
 * completions collected, and re-enables host interrupts (unless
 * send-completion coalescing holds them masked, netvsc_txc.c).  Stops early
 * while the receive-completion ring is full, so a host that does not drain
 * our completions cannot make us lose track of its buffers; completions
 * our full ring to the host refused go at the interrupt the host raises
 * once it frees room.
 *
 * Return: work done.
 */
int netvsc_poll(struct napi_struct *napi, int budget)
{
	struct netvsc_queue *q = container_of(napi, struct netvsc_queue, napi);
	struct vmbus_channel *chan = q->chan;
	u32 comps = 0;
	int work = 0;
	int pending;
	bool hold;

	netvsc_txc_poll_begin(q);
	if (!q->desc)
		q->desc = hv_pkt_iter_first(chan);

	while (q->desc && work < budget) {
		if (netvsc_rxc_full(q) && netvsc_rxc_flush(q) &&
		    netvsc_rxc_full(q))
			break;
		comps += q->desc->type == VM_PKT_COMP;
		work += netvsc_dispatch(q, q->desc, budget - work);
		/* a packet with more frames than the budget left goes on next */
		if (q->rx_range)
			break;
		q->desc = hv_pkt_iter_next(chan, q->desc);
	}
	netvsc_tx_done_flush(q);
	netvsc_xdp_poll_end(q);

	pending = netvsc_rxc_flush(q);
	/*
	 * Completions the full ring refused wait for the host to read it,
	 * which it tells with an interrupt: polling again at once would spin
	 * for as long as it does not.
	 */
	if (pending && !netvsc_ring_ask_room(q, NETVSC_TX_STOP_BYTES))
		pending = 0;

	if (work >= budget)
		return budget;
	/* send completions only: the host's interrupts may stay masked */
	hold = netvsc_txc_hold(q, comps, work, pending);
	if (!napi_complete_done(napi, work))
		return work;
	if (hold) {
		netvsc_txc_held(q);
		return work;
	}
	if ((pending || hv_end_read(&chan->inbound)) &&
	    napi_schedule_prep(napi)) {
		hv_begin_read(&chan->inbound);
		__napi_schedule(napi);
	}
	return work;
}

/**
 * netvsc_chan_cb - VMBus channel callback of a queue
 * @context: the queue
 *
 * Schedules the queue's NAPI with host interrupts masked until the poll
 * is done; does nothing while NAPI is off.
 *
 * Context: hard interrupt (HV_CALL_ISR).
 */
void netvsc_chan_cb(void *context)
{
	struct netvsc_queue *q = context;

	if (napi_schedule_prep(&q->napi)) {
		/* mask host interrupts until the poll is done */
		hv_begin_read(&q->chan->inbound);
		__napi_schedule_irqoff(&q->napi);
	}
}
