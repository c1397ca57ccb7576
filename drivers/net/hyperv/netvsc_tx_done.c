// SPDX-License-Identifier: GPL-2.0
/*
 * Send completions: the host finished reading a section or a GPA-direct
 * frame.  The frames are freed, reported to BQL once per poll, and a
 * stopped TX queue is woken when its ring has room again or nothing of it
 * is in flight.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "netvsc.h"
#include "netvsc_build.h"
#include "netvsc_tx.h"
#include "netvsc_tx_done.h"

/*
 * Wake TX queue @tq's stopped queue when its ring has room to the wake
 * mark, or when nothing of it is in flight and one more frame fits: no
 * completion would come to wake it later.  Not once the data path stopped
 * (netif_tx_disable()).  @q, whose NAPI runs this, counts the wake.
 */
static void netvsc_tx_maybe_wake(struct netvsc_queue *q,
				 struct netvsc_queue *tq,
				 struct netdev_queue *txq)
{
	u32 room = netvsc_tx_room(tq);

	if (room < NETVSC_TX_WAKE_BYTES &&
	    (atomic_read(&tq->sends) || room < NETVSC_TX_MIN_ROOM))
		return;
	/* pairs with the barrier in netvsc_tx_stop() */
	smp_mb();
	if (likely(!netif_tx_queue_stopped(txq)) ||
	    !READ_ONCE(tq->nvdev->filter_on))
		return;
	/* (another queue's NAPI leaves it: the poll of @tq may need it) */
	if (q == tq)
		set_channel_pending_send_size(tq->chan, 0);
	netif_tx_wake_queue(txq);
	netvsc_rx_count(q, &q->poll_stats.wakes);
}

/* @q's NAPI reports @pkts frames of TX queue @qi done (BQL, wake-up). */
static void netvsc_tx_report(struct netvsc_queue *q, u16 qi, u32 pkts,
			     u32 bytes)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->nvdev->ndev, qi);

	u64_stats_update_begin(&q->poll_stats.syncp);
	u64_stats_add(&q->poll_stats.tx_packets, pkts);
	u64_stats_add(&q->poll_stats.tx_bytes, bytes);
	u64_stats_update_end(&q->poll_stats.syncp);

	netdev_tx_completed_queue(txq, pkts, bytes);
	netvsc_tx_maybe_wake(q, &q->nvdev->queues[qi], txq);
}

/*
 * Completions of this queue's own sends are summed over the poll and
 * reported once at its end (netvsc_tx_done_flush()): BQL sizes its limit
 * from what completes between two reports, and expects one report per
 * interrupt or poll, not one per frame.
 */
static void netvsc_tx_completed(struct netvsc_queue *q, u16 qi, u32 pkts,
				u32 bytes)
{
	if (unlikely(qi != q->index)) {
		netvsc_tx_report(q, qi, pkts, bytes);
		return;
	}
	q->tx_done_pkts += pkts;
	q->tx_done_bytes += bytes;
}

/**
 * netvsc_tx_done_flush - report the frames completed during a poll
 * @q: the queue
 *
 * With nothing completed, a stopped TX queue is still woken if the host
 * freed room: it interrupts us for that (pending_send_sz) with no packet.
 *
 * Context: NAPI, at the end of the poll.
 */
void netvsc_tx_done_flush(struct netvsc_queue *q)
{
	struct netdev_queue *txq;

	if (!q->tx_done_pkts) {
		txq = netdev_get_tx_queue(q->nvdev->ndev, q->index);
		if (unlikely(netif_tx_queue_stopped(txq)))
			netvsc_tx_maybe_wake(q, q, txq);
		return;
	}
	netvsc_tx_report(q, q->index, q->tx_done_pkts, q->tx_done_bytes);
	q->tx_done_pkts = 0;
	q->tx_done_bytes = 0;
}

/**
 * netvsc_tx_done - the host finished reading a GPA-direct frame
 * @q: queue the completion arrived on
 * @cookie: the skb pointer given with the send
 *
 * Context: NAPI.
 * Return: the frames completed: 1.
 */
u32 netvsc_tx_done(struct netvsc_queue *q, u64 cookie)
{
	struct sk_buff *skb = (struct sk_buff *)(uintptr_t)cookie;
	u32 len = skb->len;

	skb_unlink(skb, &q->inflight);
	netvsc_tx_dma_unmap(q, skb);
	napi_consume_skb(skb, 1);
	netvsc_tx_completed(q, q->index, 1, len);
	return 1;
}

/**
 * netvsc_tx_section_done - the host finished reading a send section
 * @q: queue the completion arrived on
 * @section: the section
 *
 * Context: NAPI.
 * Return: the frames completed.
 */
u32 netvsc_tx_section_done(struct netvsc_queue *q, u32 section)
{
	struct netvsc_dev *nvdev = q->nvdev;
	struct netvsc_section meta;

	if (section >= nvdev->send.sections) {
		WARN_ON_ONCE(1);
		return 0;
	}
	meta = nvdev->send_meta[section];
	nvdev->send_meta[section].skbs = NULL;
	netvsc_section_free(nvdev->send_map, nvdev->send.sections, section);
	netvsc_tx_skbs_free(meta.skbs, true);
	if (meta.queue < nvdev->num_queues)
		netvsc_tx_completed(q, meta.queue, meta.pkts, meta.bytes);
	return meta.pkts;
}
