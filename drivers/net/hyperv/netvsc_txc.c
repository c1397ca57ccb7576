// SPDX-License-Identifier: GPL-2.0
/*
 * Send-completion coalescing (ethtool -C tx-usecs, tx-frames).  The host
 * completes every send, and each completion that finds the channel's ring
 * empty costs an interrupt (a synthetic interrupt on Hyper-V).  While a
 * queue only sends, a poll that took nothing but send completions, after
 * another such poll, may leave the host's interrupts masked; the
 * completions are then taken by a poll that the send path starts after
 * tx-frames more sends, or that a timer starts tx-usecs later, whichever
 * comes first.  Anything else in a poll (a received frame, a message from
 * the host), a stopped queue or receive completions still to send ends
 * it: the next poll unmasks as usual, so a queue that also receives keeps
 * its latency.  tx-usecs 0 (the default) turns it off.
 */
#include <linux/hrtimer.h>
#include <linux/netdevice.h>

#include "netvsc.h"
#include "netvsc_txc.h"

/* Start the queue's poll for the completions held back, if still held. */
static void netvsc_txc_kick(struct netvsc_queue *q)
{
	if (!READ_ONCE(q->txc_held) || !napi_schedule_prep(&q->napi))
		return;
	WRITE_ONCE(q->txc_held, false);
	/* host interrupts stay masked: the poll unmasks them */
	__napi_schedule(&q->napi);
}

static enum hrtimer_restart netvsc_txc_expired(struct hrtimer *timer)
{
	netvsc_txc_kick(container_of(timer, struct netvsc_queue, txc_timer));
	return HRTIMER_NORESTART;
}

/**
 * netvsc_txc_init - set up a queue's coalescing timer
 * @q: the queue
 */
void netvsc_txc_init(struct netvsc_queue *q)
{
	hrtimer_init(&q->txc_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	q->txc_timer.function = netvsc_txc_expired;
}

/**
 * netvsc_txc_stop - forget what coalescing holds back
 * @q: the queue, its NAPI off: no poll holds anything again
 *
 * The host's interrupts may stay masked; the poll that netvsc_queue_start()
 * runs unmasks them.
 */
void netvsc_txc_stop(struct netvsc_queue *q)
{
	hrtimer_cancel(&q->txc_timer);
	WRITE_ONCE(q->txc_held, false);
	q->txc_streak = 0;
}

/**
 * netvsc_txc_poll_begin - a poll starts: nothing is held back any more
 * @q: the queue
 *
 * Context: NAPI.
 */
void netvsc_txc_poll_begin(struct netvsc_queue *q)
{
	WRITE_ONCE(q->txc_held, false);
}

/**
 * netvsc_txc_hold - may this poll leave the host's interrupts masked?
 * @q: the queue
 * @comps: send completions the poll took
 * @work: what the poll did, completions included (netvsc_poll())
 * @pending: receive completions still to send
 *
 * Yes when coalescing is on, the poll took send completions and nothing
 * else, so did the poll before it, the queue is a running TX queue and
 * nothing waits in the ring.  A poll that found the ring empty (the send
 * path started it before the host completed anything) keeps the streak
 * while frames were sent since the last hold, and ends it otherwise: a
 * queue gone idle gets its interrupts back at the hold's timer.
 *
 * Context: NAPI, before napi_complete_done().
 * Return: true to hold; the caller then calls netvsc_txc_held().
 */
bool netvsc_txc_hold(struct netvsc_queue *q, u32 comps, int work, int pending)
{
	struct net_device *ndev = q->nvdev->ndev;
	struct netvsc_priv *priv = netdev_priv(ndev);

	if (work != comps || pending) {
		q->txc_streak = 0;
		return false;
	}
	if (comps) {
		if (q->txc_streak < 2)
			q->txc_streak++;
	} else if (READ_ONCE(q->txc_sent) == q->txc_base) {
		/* an empty poll with nothing sent since the hold: idle */
		q->txc_streak = 0;
		return false;
	}
	return q->txc_streak >= 2 && READ_ONCE(priv->txc_usecs) &&
	       READ_ONCE(q->nvdev->filter_on) &&
	       q->index < READ_ONCE(q->nvdev->num_active) &&
	       !netif_tx_queue_stopped(netdev_get_tx_queue(ndev, q->index)) &&
	       !hv_get_bytes_to_read(&q->chan->inbound);
}

/**
 * netvsc_txc_held - the poll completed with the host's interrupts masked
 * @q: the queue
 *
 * Arms the timer that bounds the wait.
 *
 * Context: NAPI, after napi_complete_done() returned true.
 */
void netvsc_txc_held(struct netvsc_queue *q)
{
	struct netvsc_priv *priv = netdev_priv(q->nvdev->ndev);

	q->txc_base = READ_ONCE(q->txc_sent);
	WRITE_ONCE(q->txc_held, true);
	netvsc_rx_count(q, &q->poll_stats.txc_holds);
	hrtimer_start(&q->txc_timer,
		      ns_to_ktime((u64)READ_ONCE(priv->txc_usecs) * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
}

/**
 * netvsc_txc_sent - the send path handed the host a send
 * @q: the queue
 * @stopping: the TX queue is about to stop: take the completions now
 *
 * After tx-frames sends while completions are held back, starts the poll.
 *
 * Context: the TX queue's lock, bottom halves off.
 */
void netvsc_txc_sent(struct netvsc_queue *q, bool stopping)
{
	struct netvsc_priv *priv = netdev_priv(q->nvdev->ndev);

	WRITE_ONCE(q->txc_sent, q->txc_sent + 1);
	if (!READ_ONCE(q->txc_held))
		return;
	if (q->txc_sent - READ_ONCE(q->txc_base) < READ_ONCE(priv->txc_frames) &&
	    !stopping)
		return;
	netvsc_xmit_count(q, &q->xmit_stats.txc_kicks);
	netvsc_txc_kick(q);
}

/**
 * netvsc_txc_set - set send-completion coalescing (ethtool -C)
 * @priv: the NIC
 * @usecs: longest hold in microseconds, 0 turns it off
 * @frames: sends that end a hold, at least 1
 *
 * Taken by the next poll; a hold under way keeps its timer.
 *
 * Context: RTNL held.
 */
void netvsc_txc_set(struct netvsc_priv *priv, u32 usecs, u32 frames)
{
	WRITE_ONCE(priv->txc_frames, frames);
	WRITE_ONCE(priv->txc_usecs, usecs);
}
