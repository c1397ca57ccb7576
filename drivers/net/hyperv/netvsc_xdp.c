// SPDX-License-Identifier: GPL-2.0
/*
 * XDP: attaching a program (ndo_bpf), running it on received frames, and
 * the sends it asks for (XDP_TX, and ndo_xdp_xmit for frames redirected to
 * us).  The receive buffer is shared with the host, so a program never
 * sees it: each frame is copied into a page of its own first, which also
 * lets XDP_PASS build its skb around that page without a second copy.
 * While a program is attached, LRO is off (ndo_fix_features) and the MTU
 * is capped to what one page holds; both come back when it is detached.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <net/xdp.h>

#include "netvsc.h"
#include "netvsc_nvsp.h"
#include "netvsc_tx.h"
#include "netvsc_xdp.h"

/**
 * netvsc_xdp_rxq_reg - register a queue with XDP
 * @q: the queue; its NAPI instance exists
 *
 * Return: 0 or a negative errno.
 */
int netvsc_xdp_rxq_reg(struct netvsc_queue *q)
{
	int ret;

	ret = xdp_rxq_info_reg(&q->xdp_rxq, q->nvdev->ndev, q->index,
			       q->napi.napi_id);
	if (ret)
		return ret;
	ret = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (ret)
		xdp_rxq_info_unreg(&q->xdp_rxq);
	return ret;
}

/**
 * netvsc_xdp_rxq_unreg - undo netvsc_xdp_rxq_reg(), if it was done
 * @q: the queue
 */
void netvsc_xdp_rxq_unreg(struct netvsc_queue *q)
{
	if (xdp_rxq_info_is_reg(&q->xdp_rxq))
		xdp_rxq_info_unreg(&q->xdp_rxq);
}

/* The TX queue of @q, locked against ndo_start_xmit and other XDP senders. */
static struct netdev_queue *netvsc_xdp_txq_lock(struct netvsc_queue *q)
	__acquires(q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->nvdev->ndev, q->index);

	__netif_tx_lock(txq, smp_processor_id());
	return txq;
}

/* XDP_TX: back out of the queue the frame came in on. */
static int netvsc_xdp_tx(struct netvsc_queue *q, const struct xdp_buff *xdp)
{
	struct netdev_queue *txq = netvsc_xdp_txq_lock(q);
	int ret;

	ret = netvsc_tx_raw(q, txq, xdp->data, xdp->data_end - xdp->data);
	__netif_tx_unlock(txq);
	if (!ret)
		q->xdp_done |= NETVSC_XDP_DONE_TX;
	return ret;
}

/* The program's verdict on the frame in @page; NULL unless XDP_PASS. */
static struct sk_buff *netvsc_xdp_act(struct netvsc_queue *q,
				      struct bpf_prog *prog, struct page *page,
				      u32 len)
{
	struct net_device *ndev = q->nvdev->ndev;
	void *hard = page_address(page);
	struct xdp_buff xdp;
	struct sk_buff *skb;
	u32 act;

	xdp_init_buff(&xdp, PAGE_SIZE, &q->xdp_rxq);
	xdp_prepare_buff(&xdp, hard, XDP_PACKET_HEADROOM, len, true);
	act = bpf_prog_run_xdp(prog, &xdp);

	switch (act) {
	case XDP_PASS:
		skb = napi_build_skb(hard, PAGE_SIZE);
		if (unlikely(!skb)) {
			netvsc_rx_count(q, &q->poll_stats.drops);
			break;
		}
		skb_reserve(skb, xdp.data - hard);
		skb_put(skb, xdp.data_end - xdp.data);
		if (xdp.data_meta < xdp.data)
			skb_metadata_set(skb, xdp.data - xdp.data_meta);
		return skb;
	case XDP_TX:
		if (unlikely(netvsc_xdp_tx(q, &xdp))) {
			trace_xdp_exception(ndev, prog, act);
			netvsc_rx_count(q, &q->poll_stats.xdp_drop);
			break;
		}
		netvsc_rx_count(q, &q->poll_stats.xdp_tx);
		break;
	case XDP_REDIRECT:
		if (unlikely(xdp_do_redirect(ndev, &xdp, prog))) {
			netvsc_rx_count(q, &q->poll_stats.xdp_drop);
			break;
		}
		/* the page belongs to the target now */
		q->xdp_done |= NETVSC_XDP_DONE_REDIRECT;
		netvsc_rx_count(q, &q->poll_stats.xdp_redirect);
		return NULL;
	default:
		bpf_warn_invalid_xdp_action(ndev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(ndev, prog, act);
		fallthrough;
	case XDP_DROP:
		netvsc_rx_count(q, &q->poll_stats.xdp_drop);
		break;
	}
	put_page(page);
	return NULL;
}

/**
 * netvsc_xdp_rx - run the queue's XDP program on a received frame
 * @q: the queue; &netvsc_queue.xdp_prog is set
 * @off: offset of each piece of the frame in the receive buffer
 * @len: length of each piece
 * @cnt: pieces (more than one for a coalesced frame)
 * @total: their summed length
 *
 * Context: NAPI, under rcu_read_lock().
 * Return: the skb to hand to the stack (XDP_PASS), or NULL when the frame
 * was consumed: dropped, sent back, redirected, or lost for want of
 * memory or room (each counted).
 */
struct sk_buff *netvsc_xdp_rx(struct netvsc_queue *q, const u32 *off,
			      const u32 *len, u32 cnt, u32 total)
{
	const u8 *rbuf = q->nvdev->recv.mem;
	struct page *page;
	u8 *dst;
	u32 i;

	if (unlikely(total > NETVSC_XDP_FRAME_MAX)) {
		/*
		 * Longer than the MTU XDP allows: a host breaking the MTU, or
		 * one still coalescing just after LRO was switched off.
		 */
		if (cnt == 1)
			netvsc_host_error(q, "%u-byte frame is longer than the MTU\n",
					  total);
		netvsc_rx_count(q, &q->poll_stats.drops);
		return NULL;
	}
	page = dev_alloc_page();
	if (unlikely(!page)) {
		netvsc_rx_count(q, &q->poll_stats.drops);
		return NULL;
	}
	dst = (u8 *)page_address(page) + XDP_PACKET_HEADROOM;
	for (i = 0; i < cnt; i++) {
		memcpy(dst, rbuf + off[i], len[i]);
		dst += len[i];
	}
	return netvsc_xdp_act(q, q->xdp_prog, page, total);
}

/**
 * netvsc_xdp_poll_end - finish what this poll's XDP verdicts started
 * @q: the queue
 *
 * Sends the batch XDP_TX filled and flushes redirects.
 *
 * Context: NAPI, before the poll returns.
 */
void netvsc_xdp_poll_end(struct netvsc_queue *q)
{
	struct netdev_queue *txq;

	if (likely(!q->xdp_done))
		return;
	if (q->xdp_done & NETVSC_XDP_DONE_TX) {
		txq = netvsc_xdp_txq_lock(q);
		netvsc_tx_flush(q, txq);
		__netif_tx_unlock(txq);
	}
	if (q->xdp_done & NETVSC_XDP_DONE_REDIRECT)
		xdp_do_flush();
	q->xdp_done = 0;
}

/**
 * netvsc_xdp_xmit - ndo_xdp_xmit: send frames redirected to this device
 * @ndev: the net device
 * @n: number of frames
 * @frames: the frames
 * @flags: XDP_XMIT_* flags
 *
 * Frames go out on the queue of the current CPU (modulo the queues in
 * use), copied into its send batch.  The batch is sent when the caller
 * asks for it (XDP_XMIT_FLUSH, which the core sets at the end of each
 * NAPI poll's redirects) or when it is full; ndo_start_xmit on the same
 * queue may send it earlier, which is harmless.
 *
 * Context: softirq, under RCU.
 * Return: frames taken (and released), or a negative errno; the caller
 * releases the frames not taken.
 */
int netvsc_xdp_xmit(struct net_device *ndev, int n, struct xdp_frame **frames,
		    u32 flags)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct netvsc_dev *nvdev;
	struct netdev_queue *txq;
	struct netvsc_queue *q;
	int i, sent = 0;
	u32 active;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	nvdev = rcu_dereference_bh(priv->nvdev);
	if (unlikely(!nvdev || READ_ONCE(nvdev->destroy)))
		return -ENETDOWN;
	active = READ_ONCE(nvdev->num_active);
	if (unlikely(!active || !netif_carrier_ok(ndev)))
		return -ENETDOWN;
	q = &nvdev->queues[smp_processor_id() % active];
	txq = netvsc_xdp_txq_lock(q);
	for (i = 0; i < n; i++) {
		if (netvsc_tx_raw(q, txq, frames[i]->data, frames[i]->len))
			break;
		sent++;
	}
	if (flags & XDP_XMIT_FLUSH)
		netvsc_tx_flush(q, txq);
	if (sent) {
		u64_stats_update_begin(&q->xmit_stats.syncp);
		u64_stats_add(&q->xmit_stats.xdp_xmit, sent);
		u64_stats_update_end(&q->xmit_stats.syncp);
	}
	__netif_tx_unlock(txq);

	/* copied: the frames are ours to give back */
	for (i = 0; i < sent; i++)
		xdp_return_frame(frames[i]);
	return sent;
}

static int netvsc_xdp_set(struct net_device *ndev, struct bpf_prog *prog,
			  struct netlink_ext_ack *extack)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	struct bpf_prog *old;

	ASSERT_RTNL();
	if (prog && ndev->mtu > NETVSC_XDP_MTU_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "MTU too large for XDP");
		netdev_warn(ndev, "XDP needs an MTU of at most %lu, not %u\n",
			    NETVSC_XDP_MTU_MAX, ndev->mtu);
		return -EOPNOTSUPP;
	}
	/* the core gave us a reference to @prog; the old one's is ours */
	old = rtnl_dereference(priv->xdp_prog);
	rcu_assign_pointer(priv->xdp_prog, prog);
	if (old)
		bpf_prog_put(old);

	WRITE_ONCE(ndev->max_mtu, prog ? min_t(u32, priv->max_mtu,
					       NETVSC_XDP_MTU_MAX) :
					 priv->max_mtu);
	/*
	 * LRO off while a program runs, back as wanted afterwards; not when
	 * the device is going away (the core detaches the program then).
	 */
	if (!old != !prog && ndev->reg_state == NETREG_REGISTERED)
		netdev_update_features(ndev);
	return 0;
}

/**
 * netvsc_bpf - ndo_bpf
 * @ndev: the net device
 * @bpf: the command
 *
 * Context: process, RTNL held.
 * Return: 0 or a negative errno.
 */
int netvsc_bpf(struct net_device *ndev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return netvsc_xdp_set(ndev, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}
